//! A private temporary directory for an example's files, removed when the
//! example ends: on success, on error (by `Drop`), and on Ctrl-C, SIGTERM or
//! a stdout that cannot be written (by [`end_now`], because those end the
//! process without `Drop`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex, MutexGuard, Once};
use std::thread;
use std::time::Duration;

/// Exit status after Ctrl-C: 128 + SIGINT, as shells report it.
pub(crate) const INTERRUPTED_EXIT: i32 = 130;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C (or SIGTERM) has arrived and the directory is being removed.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The directory to remove if the process ends abruptly. Only whoever holds
/// the lock creates or removes it: [`end_now`] takes the lock and exits
/// holding it, so the directory is never half made or half removed at exit.
static DIRECTORY: Mutex<Option<PathBuf>> = Mutex::new(None);

fn directory() -> MutexGuard<'static, Option<PathBuf>> {
    DIRECTORY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How a process that cannot go on ends, once its directories are removed.
pub(crate) enum Ending {
    /// Ctrl-C or SIGTERM: a note on stderr, exit status 130.
    Interrupted,
    /// Whoever read stdout has gone: end silently by SIGPIPE, as `yes` does.
    ReaderGone,
    /// Writing stdout failed otherwise: one `error:` line, exit status 1.
    CannotWrite(String),
}

/// Removes the work directory, if there is one, and ends the process, from
/// any thread. `_exit` skips destructors and the flush of stdout, which may be
/// the very thing that is broken or blocked.
pub(crate) fn end_now(ending: Ending) -> ! {
    let dir = directory();
    // Removing a directory takes a descriptor; the run may hold them all.
    crate::fds::raise_soft_nofile().ok();
    let notes = match dir.as_deref().map(|dir| (dir, remove_while_in_use(dir))) {
        None => String::new(),
        Some((dir, Ok(()))) => format!("removed {}", dir.display()),
        Some((dir, Err(err))) => format!("could not remove {}: {err}", dir.display()),
    };
    // Nothing is left to do if stderr fails too.
    let mut stderr = io::stderr();
    let status = match ending {
        Ending::Interrupted => {
            let notes = if notes.is_empty() {
                notes
            } else {
                format!(": {notes}")
            };
            writeln!(stderr, "\ninterrupted{notes}").ok();
            INTERRUPTED_EXIT
        }
        Ending::ReaderGone => {
            // SAFETY: restoring the default action and raising a signal
            // only make system calls; the default action ends the process.
            unsafe {
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
                libc::raise(libc::SIGPIPE);
            }
            128 + libc::SIGPIPE
        }
        Ending::CannotWrite(err) => {
            writeln!(stderr, "error: cannot write to stdout: {err}").ok();
            1
        }
    };
    // SAFETY: _exit ends the process at once; nothing runs after it.
    unsafe { libc::_exit(status) }
}

/// Installs the Ctrl-C and SIGTERM handler, once per process.
fn remove_on_interrupt() -> io::Result<()> {
    static INSTALL: Once = Once::new();
    let mut result = Ok(());
    INSTALL.call_once(|| result = install_handler());
    result
}

/// The signals that end a run: Ctrl-C, `kill`, and a closed terminal.
fn ending_signals() -> libc::sigset_t {
    // SAFETY: sigemptyset and sigaddset only write to the set given.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        set
    }
}

/// Blocks the ending signals in every thread and hands them to a thread of
/// their own, which waits for one with `sigwait`, then removes the directory
/// and exits. That thread is running before this returns, so whatever it
/// allocates when it first runs comes before the program's work, never at a
/// moment that depends on the scheduler: heap profiles come out the same on
/// a busy machine. (Children get the usual signal mask back: `Command`
/// resets it.)
fn install_handler() -> io::Result<()> {
    let signals = ending_signals();
    // SAFETY: pthread_sigmask only changes this thread's mask; threads
    // started from here on inherit it.
    let blocked = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &signals, std::ptr::null_mut()) };
    if blocked != 0 {
        return Err(io::Error::from_raw_os_error(blocked));
    }
    // Static, so that no memory is freed by one thread or the other at a
    // moment the scheduler picks.
    static STARTED: Barrier = Barrier::new(2);
    thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            STARTED.wait();
            let mut signal = 0;
            // SAFETY: sigwait writes the signal that arrived to `signal`.
            while unsafe { libc::sigwait(&signals, &mut signal) } != 0 {}
            INTERRUPTED.store(true, Ordering::SeqCst);
            end_now(Ending::Interrupted)
        })?;
    STARTED.wait();
    Ok(())
}

/// A directory removed when this value drops, or when the process is
/// interrupted or cannot write its output. One per process.
pub struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    /// Creates `$TMPDIR/<prefix>XXXXXX` and arranges its removal on Ctrl-C.
    /// The handler comes first, so that no moment leaves the directory behind.
    pub fn create(prefix: &str) -> io::Result<Self> {
        remove_on_interrupt()?;
        let mut dir = directory();
        if dir.is_some() {
            return Err(io::Error::other("a work directory exists already"));
        }
        let path = tempfile::Builder::new().prefix(prefix).tempdir()?.keep();
        *dir = Some(path.clone());
        Ok(Self { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name of the example's file number `index`, inside the directory.
    pub fn file_name(index: usize) -> String {
        format!("logfile_{index}.txt")
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        // Held while removing: an interruption now waits, then finds it gone.
        let mut dir = directory();
        *dir = None;
        // An emptied directory goes with one rmdir. Listing one makes glibc
        // allocate a 32 KiB buffer, which heap profilers would show as the
        // program's peak. Nothing useful to do if this fails: it is ending.
        fs::remove_dir(&self.path)
            .or_else(|_| fs::remove_dir_all(&self.path))
            .ok();
    }
}

/// The main thread may be creating a file while the handler removes the
/// directory, so a removal that finds the directory not yet empty is retried
/// for a second before the last error is given up on.
fn remove_while_in_use(path: &Path) -> io::Result<()> {
    for _ in 0..100 {
        match fs::remove_dir_all(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                thread::sleep(Duration::from_millis(10));
            }
            _ => return Ok(()),
        }
    }
    fs::remove_dir_all(path)
}

/// The names of the files in `dir`, or "none".
fn files_left(dir: &Path) -> io::Result<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    })
}

/// A cleanup step under test: it works in `dir`, and fails part-way if `fail`.
pub type CleanupCase = fn(dir: &Path, fail: bool) -> io::Result<()>;

/// Runs each case twice, succeeding and then failing part-way, each time in a
/// fresh directory, and prints whether it succeeded and which files it left.
/// Everything is removed at the end, on an error and on Ctrl-C.
pub fn run_each_way(prefix: &str, cases: &[(&str, CleanupCase)]) -> io::Result<()> {
    let workdir = WorkDir::create(prefix)?;
    for (number, (title, case)) in cases.iter().enumerate() {
        println!("{title}:");
        for fail in [false, true] {
            let dir = workdir.path().join(format!("case-{number}-fail-{fail}"));
            fs::create_dir(&dir)?;
            let outcome = match case(&dir, fail) {
                Ok(()) => "succeeded".to_string(),
                Err(err) => format!("failed ({err})"),
            };
            println!("  {outcome}; files left: {}", files_left(&dir)?);
        }
    }
    Ok(())
}
