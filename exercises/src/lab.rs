//! The checkers' side: a private lab in which a program runs job by job and
//! is observed from outside.
//!
//! A [`Lab`] is a private temporary directory holding the program's work
//! directory (`work/`, the one argument it is given), an empty working
//! directory for it to start in, a private `TMPDIR`, and the report file.
//! A [`Session`] is one run: it hands out jobs on the program's stdin one at
//! a time, and each time the program is blocked asking for the next one (see
//! [`procfs::waiting_on_stdin`]) the checker can look at what it holds open
//! and what it has written. When the run ends, anything the program wrote
//! outside its work directory is found, reported and removed.

pub mod files;
mod flock;

use crate::kit::{REPORT_VAR, TOKEN_VAR};
use defer_issues_harness::cargo::workspace_root;
use defer_issues_harness::child::{self, Group};
use defer_issues_harness::procfs;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;

/// The longest a program may take to ask for its next job, or to end after
/// its last: the programs take milliseconds, so only a hang gets here.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(10);

/// The umask a run starts with. What the program creates gets a mode that
/// nothing else makes, writable by others but not by the group (`rw-r---w-`
/// for a file made with the usual 0o666), so that a file appearing outside
/// the work directory during the run can be told from the files other
/// programs on the machine make meanwhile, which are never touched. Runs
/// side by side (`exercise --verify`) share the mark: a file one of them
/// leaves outside may be blamed on another too.
const RUN_UMASK: libc::mode_t = 0o025;

/// Whether a file's mode says it was made under [`RUN_UMASK`].
fn made_in_a_run(mode: u32) -> bool {
    mode & 0o022 == 0o002
}

/// A private directory for the runs of one check.
pub struct Lab {
    dir: TempDir,
}

/// How to start a run.
#[derive(Clone, Copy, Default)]
pub struct Start {
    /// A soft and hard RLIMIT_NOFILE for the program.
    pub nofile: Option<u64>,
    /// Whether the kit's reports are asked for. A run without them looks
    /// like a run from a terminal: no checker variables at all.
    pub reports: bool,
}

impl Lab {
    pub fn new() -> io::Result<Self> {
        // A plain name: nothing in the program's paths says "checker".
        let dir = tempfile::Builder::new().prefix("run-").tempdir()?;
        child::remove_on_interrupt(dir.path().to_owned());
        Ok(Self { dir })
    }

    /// The program's work directory, empty at the start of every run.
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Starts `program` on a fresh, empty work directory. `prepare` fills the
    /// directory first (the inputs of the run).
    pub fn start(
        &self,
        program: &Path,
        start: Start,
        prepare: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<Session<'_>> {
        for sub in ["work", "cwd", "tmp"] {
            let path = self.dir.path().join(sub);
            if path.exists() {
                fs::remove_dir_all(&path)?;
            }
            fs::create_dir(&path)?;
        }
        prepare(&self.work())?;
        let report = self.dir.path().join("report");
        File::create(&report)?;
        let token = format!("{:016x}", random_u64()?);
        let stdout = tempfile::tempfile()?;
        let stderr = tempfile::tempfile()?;
        let mut command: Command = child::clean_command(program);
        command
            .arg(self.work())
            .current_dir(self.dir.path().join("cwd"))
            .env("TMPDIR", self.dir.path().join("tmp"))
            .env_remove(REPORT_VAR)
            .env_remove(TOKEN_VAR)
            .stdin(Stdio::piped())
            .stdout(stdout.try_clone()?)
            .stderr(stderr.try_clone()?);
        if start.reports {
            command.env(REPORT_VAR, &report).env(TOKEN_VAR, &token);
        }
        if let Some(limit) = start.nofile {
            child::limit_descriptors(&mut command, limit);
        }
        // SAFETY: umask is a system call, async-signal-safe, and cannot fail.
        unsafe {
            command.pre_exec(|| {
                libc::umask(RUN_UMASK);
                Ok(())
            });
        }
        let outside_before = outside_entries()?;
        let started_at = SystemTime::now();
        let group = Group::spawn(&mut command)?;
        Ok(Session {
            lab: self,
            group,
            token,
            report,
            stdout,
            stderr,
            outside_before,
            held_outside: RefCell::default(),
            started_at,
        })
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        child::forget_on_interrupt(self.dir.path());
    }
}

/// What the program is doing when the checker next looks.
#[derive(Debug)]
pub enum Request {
    /// Blocked reading stdin: it wants the next job.
    NextJob,
    /// It has ended.
    Ended(ExitStatus),
}

/// One run of a program.
pub struct Session<'lab> {
    lab: &'lab Lab,
    group: Group,
    token: String,
    report: PathBuf,
    stdout: File,
    stderr: File,
    outside_before: BTreeSet<PathBuf>,
    /// Files outside the lab the program was seen holding open.
    held_outside: RefCell<BTreeSet<PathBuf>>,
    started_at: SystemTime,
}

impl Session<'_> {
    pub fn pid(&self) -> u32 {
        self.group.id()
    }

    /// Waits until the program asks for its next job or ends.
    pub fn next_request(&mut self) -> io::Result<Request> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.group.try_wait()? {
                return Ok(Request::Ended(status));
            }
            if procfs::waiting_on_stdin(self.pid())? {
                return Ok(Request::NextJob);
            }
            if started.elapsed() > JOB_TIMEOUT {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the program neither asked for a job nor ended within {} s",
                        JOB_TIMEOUT.as_secs()
                    ),
                ));
            }
            thread::sleep(Duration::from_micros(200));
        }
    }

    /// Gives the program its next job, one line.
    pub fn send(&mut self, job: &str) -> io::Result<()> {
        let stdin = self
            .group
            .stdin()
            .ok_or_else(|| io::Error::other("stdin is closed"))?;
        stdin.write_all(format!("{job}\n").as_bytes())?;
        stdin.flush()
    }

    /// Tells the program there are no more jobs.
    pub fn end_of_jobs(&mut self) {
        self.group.close_stdin();
    }

    /// The files inside `dir` that the program has open right now, by path.
    /// Files it holds outside the lab are noted, to be removed at the end.
    pub fn open_in(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let targets: Vec<PathBuf> = procfs::fd_targets(self.pid())?
            .into_iter()
            .map(|(_, target)| target)
            .collect();
        for target in &targets {
            // Pipes, sockets and the like show as `pipe:[123]`, not paths.
            let a_file_outside = target.is_absolute()
                && !target.starts_with(self.lab.dir.path())
                && !target.starts_with("/dev")
                && !target.starts_with("/proc");
            if a_file_outside {
                self.held_outside.borrow_mut().insert(target.clone());
            }
        }
        Ok(targets
            .into_iter()
            .filter(|target| target.starts_with(dir))
            .collect())
    }

    /// The kit's reports so far that carry this run's token, without it.
    /// Lines with another token are forged or stale, and left out.
    pub fn reports(&self) -> io::Result<Vec<String>> {
        let text = fs::read_to_string(&self.report)?;
        let mark = format!("{} ", self.token);
        Ok(text
            .lines()
            .filter_map(|line| line.strip_prefix(&mark))
            .map(str::to_string)
            .collect())
    }

    /// The latest heap report: live bytes, live blocks, peak bytes.
    pub fn latest_heap(&self) -> io::Result<Option<[usize; 3]>> {
        Ok(self.reports()?.iter().rev().find_map(|line| {
            let mut numbers = line.strip_prefix("heap ")?.split(' ').map(str::parse);
            Some([
                numbers.next()?.ok()?,
                numbers.next()?.ok()?,
                numbers.next()?.ok()?,
            ])
        }))
    }

    /// Ends the input, waits for the program to end (killing it and anything
    /// it started after [`JOB_TIMEOUT`]), and collects what it did.
    pub fn finish(mut self) -> io::Result<Outcome> {
        self.end_of_jobs();
        let status = self.group.wait_within(JOB_TIMEOUT);
        let reports = self.reports()?;
        let outcome = Outcome {
            status: status?,
            stdout: child::read_from_start(&mut self.stdout)?,
            stderr: child::read_from_start(&mut self.stderr)?,
            reports,
            outside: self.clean_outside()?,
        };
        Ok(outcome)
    }

    /// Everything the run created outside its work directory: whatever is
    /// in its starting directory and private TMPDIR, and the files with the
    /// run's mark (see [`RUN_UMASK`]) made since it started that appeared in
    /// the repository's root, the temporary directories, or that it was seen
    /// holding open at a checkpoint. Each is removed once listed.
    fn clean_outside(&self) -> io::Result<Vec<PathBuf>> {
        let mut found = BTreeSet::new();
        for sub in ["cwd", "tmp"] {
            for entry in fs::read_dir(self.lab.dir.path().join(sub))? {
                found.insert(entry?.path());
            }
        }
        let appeared = outside_entries()?
            .into_iter()
            .filter(|path| !self.outside_before.contains(path));
        let held = self.held_outside.borrow().clone().into_iter();
        for path in appeared.chain(held) {
            // Only what the run made: never someone else's file.
            let new = fs::symlink_metadata(&path).is_ok_and(|meta| {
                made_in_a_run(meta.permissions().mode())
                    && meta.modified().is_ok_and(|at| at >= self.started_at)
            });
            if new {
                found.insert(path);
            }
        }
        for path in &found {
            let removed = if path.is_dir() && !path.is_symlink() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
            removed.ok();
        }
        Ok(found.into_iter().collect())
    }
}

/// How a run ended and what it did.
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// The kit's reports, in order.
    pub reports: Vec<String>,
    /// Files the program wrote outside its work directory (now removed).
    pub outside: Vec<PathBuf>,
}

impl Outcome {
    /// Why the run does not count as a clean run, if it does not: it failed,
    /// or it wrote outside its work directory.
    pub fn problem(&self) -> Option<String> {
        if !self.status.success() {
            let stderr = self.stderr.trim_end();
            let said = if stderr.is_empty() {
                "and printed nothing on stderr".to_string()
            } else {
                format!("and printed:\n{}", crate::verdict::indent(stderr))
            };
            return Some(format!("it failed ({}) {said}", self.status));
        }
        self.wrote_outside()
    }

    /// What it wrote outside its work directory, if anything: a fault
    /// whatever its exit status means.
    pub fn wrote_outside(&self) -> Option<String> {
        if self.outside.is_empty() {
            return None;
        }
        let paths: Vec<String> = self
            .outside
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        Some(format!(
            "it wrote outside its work directory (removed now): {}",
            paths.join(", ")
        ))
    }
}

/// The entries of the repository's root, where a stray program is likely to
/// write. Not the shared temporary directories: other processes (compilers,
/// tests, other checks) create and remove entries there all the time, and
/// nothing tells whose an entry is, so counting them would blame the program
/// and remove someone else's files. The program's own TMPDIR is private.
fn outside_entries() -> io::Result<BTreeSet<PathBuf>> {
    let mut entries = BTreeSet::new();
    for entry in fs::read_dir(workspace_root())? {
        entries.insert(entry?.path());
    }
    Ok(entries)
}

/// A random number from the kernel, for tokens and file contents that a
/// program cannot know in advance.
pub fn random_u64() -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(u64::from_ne_bytes(bytes))
}

/// Gives the program `jobs` one at a time. Each time it asks for the next
/// job, after the first, and once more after the last, `checkpoint(done,
/// session)` looks at it while it waits, with `done` jobs handed out. The
/// first complaint (an `Err` with what was wrong) ends the feeding; so does
/// a program that ends before it has asked for every job.
pub fn feed(
    session: &mut Session,
    jobs: &[String],
    mut checkpoint: impl FnMut(usize, &Session) -> io::Result<Result<(), String>>,
) -> io::Result<Result<(), String>> {
    for done in 0..=jobs.len() {
        match session.next_request()? {
            Request::NextJob => {
                if done > 0
                    && let Err(complaint) = checkpoint(done, session)?
                {
                    return Ok(Err(complaint));
                }
                if let Some(job) = jobs.get(done) {
                    session.send(job)?;
                }
            }
            Request::Ended(status) if done < jobs.len() => {
                return Ok(Err(format!(
                    "the program ended ({status}) after asking for {done} of its {} jobs: \
                     it must read every name on its standard input",
                    jobs.len()
                )));
            }
            Request::Ended(_) => {}
        }
    }
    Ok(Ok(()))
}
