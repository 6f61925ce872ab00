//! Two kinds of lock for the exercises on guards, each held by a guard value
//! and released when the guard is dropped.
//!
//! - [`LockFile`]: a lock file, `DIR/NAME.lock`, that exists while the guard
//!   lives, as editors and git use them. Anyone can see it with `ls`.
//! - [`Queue`]: a job queue shared by worker processes. `DIR/queue` lists the
//!   jobs, one per line; an `flock` on `DIR/queue.lock` lets one worker at a
//!   time read or change the list. [`Queue::lock`] waits for it and returns a
//!   [`QueueGuard`]; dropping the guard releases it.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

// ANCHOR: lock_file
/// A lock file: `DIR/NAME.lock` exists from [`LockFile::acquire`] until the
/// guard is dropped, which removes it. Whoever finds it there waits.
pub struct LockFile {
    path: PathBuf,
}

impl LockFile {
    /// Creates `DIR/NAME.lock`; an error if it exists already, since then
    /// someone else holds the lock. The file is closed at once: the lock is
    /// the file's existence, not an open descriptor.
    pub fn acquire(dir: &Path, name: &str) -> io::Result<LockFile> {
        let path = dir.join(format!("{name}.lock"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => Ok(LockFile { path }),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(io::Error::new(
                err.kind(),
                format!("{} exists: someone else holds the lock", path.display()),
            )),
            Err(err) => Err(err),
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        // Nothing to report to if it fails: a left-over lock file shows itself.
        fs::remove_file(&self.path).ok();
    }
}
// ANCHOR_END: lock_file

/// A job queue shared by worker processes, in a directory: `queue` lists the
/// jobs and `queue.lock` is the file whose `flock` guards the list.
pub struct Queue {
    list: PathBuf,
    lock: File,
}

impl Queue {
    /// Opens the queue in `dir`. It holds one descriptor, of `queue.lock`.
    pub fn open(dir: &Path) -> io::Result<Queue> {
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join("queue.lock"))?;
        Ok(Queue {
            list: dir.join("queue"),
            lock,
        })
    }

    // ANCHOR: queue_lock
    /// Waits until no other worker holds the queue, then holds it (an
    /// exclusive `flock`) until the guard is dropped.
    pub fn lock(&self) -> io::Result<QueueGuard<'_>> {
        self.lock.lock()?;
        Ok(QueueGuard { queue: self })
    }
    // ANCHOR_END: queue_lock

    /// Holds the queue if no other worker does; `None` if one does.
    pub fn try_lock(&self) -> io::Result<Option<QueueGuard<'_>>> {
        match self.lock.try_lock() {
            Ok(()) => Ok(Some(QueueGuard { queue: self })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(err)) => Err(err),
        }
    }
}

/// The queue, held: while it lives, no other worker can take a job. Marked
/// for Clippy's `significant_drop_*` lints, which then treat it as they
/// treat a `MutexGuard`.
#[clippy::has_significant_drop]
pub struct QueueGuard<'q> {
    queue: &'q Queue,
}

impl QueueGuard<'_> {
    /// The jobs still waiting, first to be taken first.
    pub fn jobs(&self) -> io::Result<Vec<String>> {
        Ok(fs::read_to_string(&self.queue.list)?
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// Takes the first job off the list; `None` when the list is empty.
    pub fn pop(&mut self) -> io::Result<Option<String>> {
        let mut jobs = self.jobs()?;
        if jobs.is_empty() {
            return Ok(None);
        }
        let first = jobs.remove(0);
        let rest: String = jobs.iter().map(|job| format!("{job}\n")).collect();
        fs::write(&self.queue.list, rest)?;
        Ok(Some(first))
    }
}

// ANCHOR: queue_unlock
impl Drop for QueueGuard<'_> {
    fn drop(&mut self) {
        // Closing the descriptor would release it too; the queue stays open
        // for the next job, so release it explicitly.
        self.queue.lock.unlock().ok();
    }
}
// ANCHOR_END: queue_unlock
