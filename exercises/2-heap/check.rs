//! The checker for exercise 2. It hands out jobs whose texts the program
//! cannot guess, one at a time, and each time the program asks for the next
//! job it looks from outside: whether a lock file is still in the work
//! directory, whether the last log is on disk with the right text, and, from
//! the directory's change events (inotify), whether the lock was taken before
//! the log was written and removed only after. In one run, with the kit's
//! reports and a descriptor limit, it also reads the live heap at every
//! checkpoint: it must not grow with the number of jobs. Another run, with
//! no checker variables and no limit, is watched the same way, so that a
//! program that behaves only when it sees a checker is caught.

use crate::lab::{self, Lab, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use std::ffi::CString;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 2,
    folder: "2-heap",
    title: "Keep the Heap Flat",
    chapter: ("Memory Profiling", "memory-profiling.md"),
    minutes: 20,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "nothing",
            trick: "reads the jobs and does nothing",
            fails_with: "job-000.log is missing",
        },
        Cheat {
            name: "printed",
            trick: "prints what a working program prints, writes nothing",
            fails_with: "job-000.log is missing",
        },
        Cheat {
            name: "kept-paths",
            trick: "removes each lock in time but keeps every lock's path in a Vec",
            fails_with: "blocks more for",
        },
        Cheat {
            name: "no-allocator",
            trick: "does the work but does not install the counting allocator",
            fails_with: "no heap reports",
        },
        Cheat {
            name: "env-detecting",
            trick: "removes locks in time only when it sees the checker's variables",
            fails_with: "job-000.lock was still in",
        },
        Cheat {
            name: "limit-adaptive",
            trick: "removes locks in time only under a low descriptor limit",
            fails_with: "job-000.lock was still in",
        },
        Cheat {
            name: "lock-too-short",
            trick: "removes each lock before writing its log",
            fails_with: "before it had written job-000.log",
        },
        Cheat {
            name: "lock-after",
            trick: "writes each log first, then takes and removes its lock",
            fails_with: "before it created job-000.lock",
        },
        Cheat {
            name: "no-lock",
            trick: "writes every log without taking its lock",
            fails_with: "without creating job-000.lock",
        },
        Cheat {
            name: "all-at-end",
            trick: "reads every job first, then writes every log at the end",
            fails_with: "job-000.log is missing",
        },
        Cheat {
            name: "truncated",
            trick: "writes only the start of each text",
            fails_with: "does not hold the job's text",
        },
        Cheat {
            name: "log-link",
            trick: "makes each log a hard link to a hidden file",
            fails_with: "not a regular file with one name",
        },
        Cheat {
            name: "scratch-left",
            trick: "leaves a scratch copy of every log in the work directory",
            fails_with: "should hold the logs only",
        },
        Cheat {
            name: "undone-at-exit",
            trick: "removes every log as it exits",
            fails_with: "at the end,",
        },
        Cheat {
            name: "journal",
            trick: "does the work, and leaves a journal where it was started",
            fails_with: "outside its work directory",
        },
    ],
    honest: &["lock-guard"],
    extra_programs: &[],
    check,
};

/// Jobs in the run with the kit's reports, and in the plain run.
const REPORTED: usize = 40;
const PLAIN: usize = 20;
/// stdin, stdout, stderr, the lock and the log, and room to spare.
const LIMIT: u64 = 16;
/// The checkpoint from which the live heap must not grow, by a byte or a
/// block: the first job may make what every later job reuses (stdout's
/// buffer, on a first print). Measured: the solution holds the same 4 blocks
/// (8760 B with the lab in /tmp) from the first job to the last; the starter
/// 2 blocks more per job.
const SETTLED: usize = 2;

struct Job {
    name: String,
    text: String,
}

impl Job {
    fn line(&self) -> String {
        format!("{} {}", self.name, self.text)
    }

    fn log(&self) -> String {
        format!("{}.log", self.name)
    }

    fn lock(&self) -> String {
        format!("{}.lock", self.name)
    }
}

/// `count` jobs, each with a text the program cannot know in advance.
fn jobs(count: usize) -> io::Result<Vec<Job>> {
    let run = lab::random_u64()?;
    (0..count)
        .map(|i| {
            Ok(Job {
                name: format!("job-{i:03}"),
                text: format!("entry {i} of run {run:016x}: {:016x}", lab::random_u64()?),
            })
        })
        .collect()
}

/// "1 job", "2 jobs".
fn jobs_done(count: usize) -> String {
    match count {
        1 => "1 job".to_string(),
        _ => format!("{count} jobs"),
    }
}

/// What one run showed.
#[derive(Default)]
struct Watched {
    /// The first time locks were found while the program waited: after how
    /// many jobs, and which.
    first_locks: Option<(usize, Vec<String>)>,
    /// How many locks were in the directory at the last checkpoint.
    last_locks: usize,
    /// The live heap (bytes, blocks) at each checkpoint, by jobs done.
    heap: Vec<HeapAt>,
}

/// The lock files in `dir`, by name.
fn locks_in(dir: &Path) -> io::Result<Vec<String>> {
    let mut locks = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") {
            locks.push(name);
        }
    }
    locks.sort();
    Ok(locks)
}

/// Whether the job's log is on disk, a file of its own with the job's text.
fn verify_log(dir: &Path, job: &Job) -> io::Result<Result<(), String>> {
    let log = job.log();
    let Ok(meta) = fs::symlink_metadata(dir.join(&log)) else {
        return Ok(Err(format!("{log} is missing")));
    };
    if !meta.file_type().is_file() || meta.nlink() != 1 {
        return Ok(Err(format!(
            "{log} is not a regular file with one name (a link, or something else)"
        )));
    }
    if fs::read_to_string(dir.join(&log))? != format!("{}\n", job.text) {
        return Ok(Err(format!(
            "{log} does not hold the job's text and a newline"
        )));
    }
    Ok(Ok(()))
}

/// Whether the lock covered the writing of the log, from the directory's
/// changes during the job.
fn verify_order(changes: &[(Change, String)], job: &Job) -> Result<(), String> {
    let (lock, log) = (job.lock(), job.log());
    let position = |name: &str, kinds: &[Change], last: bool| {
        let mut found = changes
            .iter()
            .enumerate()
            .filter(|(_, (kind, on))| on == name && kinds.contains(kind))
            .map(|(i, _)| i);
        if last {
            found.next_back()
        } else {
            found.next()
        }
    };
    let taken = position(&lock, &[Change::Created], false);
    let released = position(&lock, &[Change::Removed], true);
    let first_write = position(&log, &[Change::Created, Change::Written], false);
    let last_write = position(&log, &[Change::Created, Change::Written], true);
    let (Some(taken), Some(first_write), Some(last_write)) = (taken, first_write, last_write)
    else {
        return Err(format!("it wrote {log} without creating {lock} first"));
    };
    if first_write < taken {
        return Err(format!("it wrote {log} before it created {lock}"));
    }
    if released.is_some_and(|released| released < last_write) {
        return Err(format!(
            "it removed {lock} before it had written {log}: the lock must cover the writing"
        ));
    }
    Ok(())
}

/// Runs the program on `jobs`, watching it at every checkpoint; the first
/// thing found wrong with its logs, if any.
fn watched_run(
    lab: &Lab,
    program: &Path,
    start: Start,
    jobs: &[Job],
) -> io::Result<Result<Watched, String>> {
    let work = lab.work();
    let mut changes = None;
    let mut session = lab.start(program, start, |dir| {
        changes = Some(DirChanges::watch(dir)?);
        Ok(())
    })?;
    let mut changes = changes.expect("the lab prepares the directory before the run");
    let lines: Vec<String> = jobs.iter().map(Job::line).collect();
    let mut watched = Watched::default();
    let fed = lab::feed(&mut session, &lines, |done, session| {
        let locks = locks_in(&work)?;
        if !locks.is_empty() && watched.first_locks.is_none() {
            watched.first_locks = Some((done, locks.clone()));
        }
        watched.last_locks = locks.len();
        if let Some([bytes, blocks, _]) = session.latest_heap()? {
            watched.heap.push((done, [bytes, blocks]));
        }
        let job = &jobs[done - 1];
        let wrong = match verify_log(&work, job)? {
            Ok(()) => verify_order(&changes.since_last()?, job),
            Err(wrong) => Err(wrong),
        };
        Ok(wrong.map_err(|wrong| format!("after {}, {wrong}", jobs_done(done))))
    })?;
    let outcome = session.finish()?;
    if let Err(complaint) = fed {
        return Ok(Err(complaint));
    }
    if let Some(problem) = outcome.problem() {
        return Ok(Err(problem));
    }
    for job in jobs {
        if let Err(wrong) = verify_log(&work, job)? {
            return Ok(Err(format!("at the end, {wrong}")));
        }
    }
    let mut found: Vec<String> = fs::read_dir(&work)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()?;
    found.retain(|name| !jobs.iter().any(|job| job.log() == *name));
    found.sort();
    if !found.is_empty() {
        return Ok(Err(format!(
            "the work directory should hold the logs only; it also holds: {found:?}"
        )));
    }
    Ok(Ok(watched))
}

/// The live heap after the [`SETTLED`] checkpoint and after the last.
type HeapAt = (usize, [usize; 2]);

fn heap_change(watched: &Watched) -> Option<(HeapAt, HeapAt)> {
    let settled = watched.heap.iter().find(|(done, _)| *done == SETTLED)?;
    Some((*settled, *watched.heap.last()?))
}

/// What is wrong with the locks and the heap of a run, if anything.
fn problems(watched: &Watched, reported: bool) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some((done, locks)) = &watched.first_locks {
        let shown = match locks.as_slice() {
            [one] => format!("{one} was"),
            [first, ..] => format!("{} locks, from {first}, were", locks.len()),
            [] => unreachable!("only a checkpoint that found locks records them"),
        };
        problems.push(format!(
            "after {}, {shown} still in the work directory while the program waited for \
             its next job (after the last job, {} were)",
            jobs_done(*done),
            watched.last_locks
        ));
    }
    if !reported {
        return problems;
    }
    match heap_change(watched) {
        Some(((from, [from_bytes, from_blocks]), (to, [to_bytes, to_blocks]))) => {
            // Bytes include the work directory's path, which differs from
            // machine to machine; blocks do not, so they are what is shown.
            if to_blocks > from_blocks {
                problems.push(format!(
                    "the live heap grew from {from_blocks} blocks after job {from} to \
                     {to_blocks} blocks after job {to}: {:.1} blocks more for each of the {} \
                     jobs between",
                    (to_blocks - from_blocks) as f64 / (to - from) as f64,
                    to - from
                ));
            } else if to_bytes > from_bytes {
                problems.push(format!(
                    "the live heap grew from {from_bytes} B after job {from} to {to_bytes} B \
                     after job {to}, in as many blocks: a block kept from job to job grows"
                ));
            }
        }
        None => problems.push(
            "the checker got no heap reports: the program must keep its `#[global_allocator]` \
             line and take its jobs from `kit::jobs()`"
                .to_string(),
        ),
    }
    problems
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "in `write_logs`, when each lock's removal runs, and what is kept \
                         until then. The `DeferStack` keeps every closure, and the path it \
                         owns, until the function returns; the lock file stays on disk as long.";
    let reported = Start {
        nofile: Some(LIMIT),
        reports: true,
    };
    for (start, count) in [(reported, REPORTED), (Start::default(), PLAIN)] {
        let how = if start.reports {
            format!("with {count} jobs, heap reports and a descriptor limit of {LIMIT}")
        } else {
            format!("with {count} jobs, as from a terminal")
        };
        let watched = match watched_run(&lab, program, start, &jobs(count)?)? {
            Ok(watched) => watched,
            Err(wrong) => return Ok(verdict.fail(&format!("{how}: {wrong}."), where_to_look)),
        };
        if let Some(((from, [_, blocks]), (to, [_, to_blocks]))) = heap_change(&watched) {
            verdict.note(&format!(
                "Live heap while it waited for the next job: {blocks} blocks after job \
                 {from}, {to_blocks} blocks after job {to}."
            ));
        }
        let problems = problems(&watched, start.reports);
        if !problems.is_empty() {
            let found = format!("{how}: {}.", problems.join("; and "));
            return Ok(verdict.fail(&found, where_to_look));
        }
        verdict.note(&format!(
            "Ran {how}: every log right, its lock taken before and removed after \
             the writing, and no lock left while it waited for the next job."
        ));
    }
    Ok(verdict.pass(
        "each lock was removed before the next job, and the live heap did not grow with \
         the number of jobs: nothing is kept from one job to the next.",
    ))
}

/// A change in the watched directory.
#[derive(Clone, Copy, PartialEq)]
enum Change {
    /// Created, or renamed into it.
    Created,
    Written,
    /// Removed, or renamed out of it.
    Removed,
}

/// The changes in one directory, in the order they happened, from inotify:
/// the kernel queues them as the program makes them, so the checker learns
/// the order of a job's steps, not only their result.
struct DirChanges {
    inotify: OwnedFd,
}

impl DirChanges {
    fn watch(dir: &Path) -> io::Result<Self> {
        // SAFETY: inotify_init1 takes flags only.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new descriptor that nothing else owns.
        let inotify = unsafe { OwnedFd::from_raw_fd(fd) };
        let path = CString::new(dir.as_os_str().as_bytes()).map_err(io::Error::other)?;
        let mask = libc::IN_CREATE
            | libc::IN_MOVED_TO
            | libc::IN_MODIFY
            | libc::IN_DELETE
            | libc::IN_MOVED_FROM;
        // SAFETY: a valid inotify descriptor and a NUL-terminated path.
        if unsafe { libc::inotify_add_watch(fd, path.as_ptr(), mask) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self { inotify })
    }

    /// The changes since the last call, each with the file's name.
    fn since_last(&mut self) -> io::Result<Vec<(Change, String)>> {
        const HEADER: usize = 16; // wd, mask, cookie, len: four 32-bit fields
        let mut changes = Vec::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            // SAFETY: reads at most `buffer.len()` bytes into `buffer`.
            let read = unsafe {
                libc::read(
                    self.inotify.as_raw_fd(),
                    buffer.as_mut_ptr().cast(),
                    buffer.len(),
                )
            };
            if read < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::WouldBlock {
                    return Ok(changes);
                }
                return Err(err);
            }
            let mut events = &buffer[..read as usize];
            while events.len() >= HEADER {
                let field = |at: usize| {
                    u32::from_ne_bytes(events[at..at + 4].try_into().expect("four bytes"))
                };
                let (mask, len) = (field(4), field(12) as usize);
                let name = &events[HEADER..HEADER + len];
                let name = name.split(|&b| b == 0).next().unwrap_or_default();
                let change = if mask & (libc::IN_CREATE | libc::IN_MOVED_TO) != 0 {
                    Some(Change::Created)
                } else if mask & libc::IN_MODIFY != 0 {
                    Some(Change::Written)
                } else if mask & (libc::IN_DELETE | libc::IN_MOVED_FROM) != 0 {
                    Some(Change::Removed)
                } else {
                    None
                };
                if let Some(change) = change {
                    changes.push((change, String::from_utf8_lossy(name).into_owned()));
                }
                events = &events[HEADER + len..];
            }
        }
    }
}
