//! Child processes that start clean and end completely.
//!
//! A child starts with only stdin, stdout and stderr open (whatever the test
//! harness or a student's shell inherited would shift every count), with
//! the default action for Ctrl-C and the other stop signals, in a process
//! group of its own. [`Group`] kills that whole group when it is
//! dropped, so neither a failing test nor a program that leaves a grandchild
//! behind leaves a process running. Output goes to files rather than pipes:
//! a grandchild that keeps stdout open cannot make the reader wait forever.

use defer_issues::fds::close_inherited_on_exec;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// A command that starts with stdio only, in its own process group, with
/// the default action for the signals the tests send, and with no backtrace
/// setting from the caller's shell (it would change panic text).
pub fn clean_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command.env_remove("RUST_BACKTRACE").process_group(0);
    // SAFETY: both only make system calls, which are async-signal-safe.
    unsafe {
        command.pre_exec(close_inherited_on_exec);
        command.pre_exec(default_signal_actions);
    }
    command
}

/// A job that a script starts in the background (`make test &`, `nohup`)
/// ignores SIGINT and SIGQUIT, and a child inherits that: Ctrl-C would no
/// longer reach the examples. std resets the signal mask and SIGPIPE only.
fn default_signal_actions() -> io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: signal is async-signal-safe; SIG_DFL installs no handler.
        if unsafe { libc::signal(signal, libc::SIG_DFL) } == libc::SIG_ERR {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Sets the child's soft and hard RLIMIT_NOFILE to `limit` before it starts,
/// as `ulimit -n` does: with the hard limit lowered too, the program cannot
/// raise its soft limit back up.
pub fn limit_descriptors(command: &mut Command, limit: u64) {
    // SAFETY: setrlimit is a system call, async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &rlimit) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// What Ctrl-C must clean up: the process groups still running, and the
/// temporary folders still in use. A signal ends the process without `Drop`.
static LIVE_GROUPS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());
static LIVE_FOLDERS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// On Ctrl-C or SIGTERM: kills every running [`Group`], removes every
/// folder passed to [`remove_on_interrupt`], and exits with 130. For a
/// program (like the course runner) whose children run in groups of their
/// own, which the terminal's Ctrl-C does not reach.
pub fn clean_up_on_interrupt() -> io::Result<()> {
    ctrlc::set_handler(|| {
        let groups = LIVE_GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
        for group in groups {
            // SAFETY: killpg only sends a signal.
            unsafe { libc::killpg(group as libc::pid_t, libc::SIGKILL) };
        }
        let folders = LIVE_FOLDERS.lock().map(|f| f.clone()).unwrap_or_default();
        for folder in folders {
            std::fs::remove_dir_all(folder).ok();
        }
        std::process::exit(130);
    })
    .map_err(io::Error::other)
}

/// Has `folder` removed on Ctrl-C, until [`forget_on_interrupt`].
pub fn remove_on_interrupt(folder: PathBuf) {
    if let Ok(mut folders) = LIVE_FOLDERS.lock() {
        folders.insert(folder);
    }
}

pub fn forget_on_interrupt(folder: &std::path::Path) {
    if let Ok(mut folders) = LIVE_FOLDERS.lock() {
        folders.remove(folder);
    }
}

/// Held while a child is spawned, and by [`without_spawns`]. A child forked
/// by one thread inherits every descriptor another thread has open until it
/// executes its program.
static SPAWNING: Mutex<()> = Mutex::new(());

/// Runs `work` while no [`Group`] is being spawned, so that no child copies
/// the descriptors it opens. For writing a program file that a child will
/// execute: the kernel refuses to execute a file that any process holds open
/// for writing ("Text file busy").
pub fn without_spawns<T>(work: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let _no_spawns = SPAWNING.lock().unwrap_or_else(|e| e.into_inner());
    work()
}

/// Makes this process, rather than init, the parent of any process whose
/// own parent dies, so that [`Group::group_alive`] can see and reap it.
pub fn adopt_orphans() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl only sets a flag of this process.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A running child and its process group, killed together on drop.
pub struct Group {
    child: Child,
}

impl Group {
    /// Starts `command`, which must come from [`clean_command`] (its own
    /// process group is what lets everything it starts be killed too).
    pub fn spawn(command: &mut Command) -> io::Result<Self> {
        Ok(Self::spawn_with(command, |_| Ok(()))?.0)
    }

    /// Like [`Group::spawn`], with `prepare` run just before, while no other
    /// thread spawns: descriptors it opens for the child (a pipe whose other
    /// end must be closed, say) reach no other child. Returns what `prepare`
    /// returns, to be kept for the run.
    pub fn spawn_with<T>(
        command: &mut Command,
        prepare: impl FnOnce(&mut Command) -> io::Result<T>,
    ) -> io::Result<(Self, T)> {
        // `spawn` returns once the child has executed its program, and so
        // closed every descriptor it inherited.
        let (child, prepared) = {
            let _spawning = SPAWNING.lock().unwrap_or_else(|e| e.into_inner());
            let prepared = prepare(command)?;
            (command.spawn()?, prepared)
        };
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.insert(child.id());
        }
        Ok((Self { child }, prepared))
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn stdin(&mut self) -> Option<&mut ChildStdin> {
        self.child.stdin.as_mut()
    }

    /// Closes the child's stdin, which a program reading it sees as the end.
    pub fn close_stdin(&mut self) {
        self.child.stdin.take();
    }

    pub fn stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Waits for the child to exit, or kills the group after `timeout`.
    /// Whatever else is left in the group is killed either way.
    pub fn wait_within(&mut self, timeout: Duration) -> io::Result<ExitStatus> {
        let status = self.wait_until(Instant::now() + timeout)?;
        self.kill_group();
        match status {
            Some(status) => Ok(status),
            None => {
                self.child.wait()?;
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "still running after {} s, so it was stopped",
                        timeout.as_secs_f64()
                    ),
                ))
            }
        }
    }

    /// Waits for the child until `deadline`; `None` if it is still running
    /// then (it is left running: the caller decides).
    pub fn wait_until(&mut self, deadline: Instant) -> io::Result<Option<ExitStatus>> {
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            thread::sleep(Duration::from_millis(2));
        }
    }

    /// Sends `signal` to the child's whole process group, as Ctrl-C in a
    /// terminal does to the foreground group.
    pub fn signal_group(&self, signal: libc::c_int) -> io::Result<()> {
        // SAFETY: killpg only sends a signal.
        if unsafe { libc::killpg(self.child.id() as libc::pid_t, signal) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Whether any process of the group is still running. Finished ones
    /// that this process adopted (see [`adopt_orphans`]) are reaped first:
    /// a zombie is not running.
    pub fn group_alive(&self) -> bool {
        let group = self.child.id() as libc::pid_t;
        // SAFETY: waitpid only reaps finished processes of the group, and
        // signal 0 only checks that the group still exists.
        unsafe {
            while libc::waitpid(-group, std::ptr::null_mut(), libc::WNOHANG) > 0 {}
            libc::killpg(group, 0) == 0
        }
    }

    /// Sends `signal` to the child alone.
    pub fn signal(&self, signal: libc::c_int) -> io::Result<()> {
        // SAFETY: kill only sends a signal.
        if unsafe { libc::kill(self.child.id() as libc::pid_t, signal) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    fn kill_group(&self) {
        // The group's id is the child's PID. It may be gone already.
        // SAFETY: killpg only sends a signal.
        unsafe { libc::killpg(self.child.id() as libc::pid_t, libc::SIGKILL) };
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill_group();
        self.child.wait().ok();
        self.group_alive();
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.remove(&self.child.id());
        }
    }
}

/// What a finished run printed, and how it ended.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// The exit status as a shell shows it: the code, or 128 + the signal.
    pub fn shell_status(&self) -> i32 {
        self.status
            .code()
            .or_else(|| self.status.signal().map(|signal| 128 + signal))
            .unwrap_or(-1)
    }
}

/// Where a run's output goes.
pub enum Output {
    /// stdout and stderr kept apart.
    Separate,
    /// stdout and stderr interleaved in one text, as a terminal shows them
    /// (returned as `stdout`).
    Combined,
}

/// Runs `command` (from [`clean_command`]) with no input to the end, or
/// kills its group after `timeout`. Its output goes to unnamed temporary
/// files, read once it has ended.
pub fn run_to_end(
    command: &mut Command,
    output: Output,
    timeout: Duration,
) -> io::Result<Finished> {
    let mut stdout = tempfile::tempfile()?;
    let mut stderr = match output {
        Output::Separate => Some(tempfile::tempfile()?),
        Output::Combined => None,
    };
    command
        .stdin(Stdio::null())
        .stdout(stdout.try_clone()?)
        .stderr(match &stderr {
            Some(file) => file.try_clone()?,
            None => stdout.try_clone()?,
        });
    let status = Group::spawn(command)?.wait_within(timeout)?;
    Ok(Finished {
        status,
        stdout: read_from_start(&mut stdout)?,
        stderr: match &mut stderr {
            Some(file) => read_from_start(file)?,
            None => String::new(),
        },
    })
}

/// The whole of `file`, read from its start, as text: the output a child
/// wrote to it.
pub fn read_from_start(file: &mut File) -> io::Result<String> {
    file.rewind()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Starts an example that pauses at `Press Enter` (its `--pause-at` option)
/// and reads its output up to the prompt. The rest of its output is drained,
/// so that it never blocks on a full pipe once it goes on; send a line to
/// its stdin to let it go on.
pub fn start_paused(command: &mut Command) -> io::Result<(Group, String)> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut group = Group::spawn(command)?;
    let mut stdout = BufReader::new(group.stdout().expect("stdout is piped"));
    let mut output = String::new();
    while !output.contains("Press Enter") {
        if stdout.read_line(&mut output)? == 0 {
            return Err(io::Error::other(format!(
                "the program ended before pausing; it printed:\n{output}"
            )));
        }
    }
    thread::spawn(move || io::copy(&mut stdout, &mut io::sink()));
    Ok((group, output))
}
