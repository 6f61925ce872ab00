//! Running a program as a child process and measuring what it does. Counts of
//! descriptors and limits are per process, so every measurement is a fresh
//! child run, never a look inside the checker itself.

use defer_issues::fds::{close_inherited_on_exec, nofile_limit};
use defer_issues::workdir::WorkDir;
use std::fs;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A run that takes longer than this is stopped and reported: the programs
/// finish in well under a second, so only a program that hangs gets here.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The highest descriptor limit a peak is searched up to.
const HIGHEST_LIMIT: u64 = 4096;

/// What one run of a program did.
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// What the program left in its TMPDIR.
    pub left_behind: Vec<String>,
}

impl Outcome {
    /// Why the run does not count as a clean run, if it does not: it failed,
    /// or it left files behind.
    pub fn problem(&self) -> Option<String> {
        if !self.status.success() {
            let stderr = self.stderr.trim_end();
            let said = if stderr.is_empty() {
                "and printed nothing on stderr".to_string()
            } else {
                format!("and printed:\n{}", indent(stderr))
            };
            return Some(format!("it failed ({}) {said}", self.status));
        }
        if !self.left_behind.is_empty() {
            return Some(format!(
                "it left files behind in its TMPDIR: {}",
                self.left_behind.join(", ")
            ));
        }
        None
    }
}

/// Indents every line by four spaces, for quoting a program's output.
/// The arguments that run an exercise program on `files` files at full speed.
pub fn file_args(files: impl ToString) -> Vec<String> {
    ["--files", &files.to_string(), "--delay-ms", "0"]
        .map(String::from)
        .to_vec()
}

pub fn indent(text: &str) -> String {
    text.lines()
        .map(|line| match line {
            "" => String::new(),
            line => format!("    {line}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs programs as child processes, each with a private TMPDIR that is
/// checked for leftovers after every run and removed at the end, on Ctrl-C
/// too.
pub struct Lab {
    tmpdir: WorkDir,
}

impl Lab {
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            tmpdir: WorkDir::create("exercise-check-")?,
        })
    }

    /// Runs `program` with `args` to the end, under a soft and hard
    /// RLIMIT_NOFILE of `nofile` if given. The hard limit is lowered too, so
    /// that the program cannot raise the soft one back up.
    pub fn run(&self, program: &Path, args: &[String], nofile: Option<u64>) -> io::Result<Outcome> {
        let mut command = Command::new(program);
        command
            .args(args)
            .env("TMPDIR", self.tmpdir.path())
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: only system calls, which are async-signal-safe.
        unsafe {
            command.pre_exec(move || {
                // The program starts with stdin, stdout and stderr only, so its
                // peaks do not depend on what the student's shell left open.
                close_inherited_on_exec()?;
                if let Some(limit) = nofile {
                    let limit = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let (status, stdout, stderr) = output_within(command, RUN_TIMEOUT)?;
        Ok(Outcome {
            status,
            stdout,
            stderr,
            left_behind: self.take_leftovers()?,
        })
    }

    /// The most descriptors `program` has open at once during a run: the
    /// lowest RLIMIT_NOFILE under which it still runs to the end. The kernel
    /// hands out the lowest free number, so with no gaps that is the number
    /// of descriptors open at the peak, standard streams included. `None` if
    /// the program fails even under the highest limit tried.
    pub fn peak_descriptors(&self, program: &Path, args: &[String]) -> io::Result<Option<u64>> {
        let highest = nofile_limit()?.1.min(HIGHEST_LIMIT);
        let succeeds = |limit| -> io::Result<bool> {
            Ok(self.run(program, args, Some(limit))?.status.success())
        };
        // Double until a limit is enough, then bisect: `low` is too few.
        let mut high = 16.min(highest);
        let mut low = 0;
        while !succeeds(high)? {
            if high == highest {
                return Ok(None);
            }
            low = high;
            high = (high * 2).min(highest);
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if succeeds(middle)? {
                high = middle;
            } else {
                low = middle;
            }
        }
        Ok(Some(high))
    }

    /// Lists and removes whatever the last run left in the TMPDIR.
    fn take_leftovers(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(self.tmpdir.path())? {
            let entry = entry?;
            names.push(entry.file_name().to_string_lossy().into_owned());
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())?;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
        names.sort();
        Ok(names)
    }
}

/// Runs `command` to the end and collects its output, or stops it and
/// fails after `timeout`.
fn output_within(
    mut command: Command,
    timeout: Duration,
) -> io::Result<(ExitStatus, String, String)> {
    let mut child = command.spawn()?;
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("stderr is piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > timeout {
            child.kill().ok();
            child.wait()?;
            return Err(io::Error::other(format!(
                "the program was still running after {} s, so it was stopped",
                timeout.as_secs()
            )));
        }
        thread::sleep(Duration::from_millis(2));
    };
    let text = |reader: thread::JoinHandle<io::Result<Vec<u8>>>| -> io::Result<String> {
        let bytes = reader.join().expect("the reader thread does not panic")?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    Ok((status, text(stdout)?, text(stderr)?))
}
