//! A private temporary directory for an example's files, removed when the
//! example ends: on success, on error (by `Drop`), and on Ctrl-C or SIGTERM
//! (by a signal handler, because a signal ends the process without `Drop`).

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;
use tempfile::TempDir;

/// Exit status after Ctrl-C: 128 + SIGINT, as shells report it.
pub(crate) const INTERRUPTED_EXIT: i32 = 130;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C (or SIGTERM) has arrived and the directory is being removed.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

pub struct WorkDir {
    dir: TempDir,
}

impl WorkDir {
    /// Creates `$TMPDIR/<prefix>XXXXXX` and arranges its removal on Ctrl-C.
    pub fn create(prefix: &str) -> io::Result<Self> {
        let dir = tempfile::Builder::new().prefix(prefix).tempdir()?;
        let path = dir.path().to_owned();
        ctrlc::set_handler(move || {
            INTERRUPTED.store(true, Ordering::SeqCst);
            // Removing a directory takes a descriptor; the run may hold them all.
            crate::fds::raise_soft_nofile().ok();
            match remove_while_in_use(&path) {
                Ok(()) => eprintln!("\ninterrupted: removed {}", path.display()),
                Err(err) => eprintln!("\ninterrupted: could not remove {}: {err}", path.display()),
            }
            std::process::exit(INTERRUPTED_EXIT);
        })
        .map_err(io::Error::other)?;
        Ok(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The name of the example's file number `index`, inside the directory.
    pub fn file_name(index: usize) -> String {
        format!("logfile_{index}.txt")
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
