//! Waiting for a program to block on a lock the checker holds.

use super::{JOB_TIMEOUT, Request, Session};
use defer_issues_harness::procfs;
use std::fs;
use std::io;
use std::thread;
use std::time::{Duration, Instant};

impl Session<'_> {
    /// Waits until the program is blocked in `flock`, as it is when it asks
    /// for a lock that the checker holds (`None`), or asks for its next job,
    /// or ends.
    pub fn next_request_or_flock(&mut self) -> io::Result<Option<Request>> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.group.try_wait()? {
                return Ok(Some(Request::Ended(status)));
            }
            if in_flock(self.pid())? {
                return Ok(None);
            }
            if procfs::waiting_on_stdin(self.pid())? {
                return Ok(Some(Request::NextJob));
            }
            if started.elapsed() > JOB_TIMEOUT {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the program neither waited for the lock, asked for a job, nor ended \
                         within {} s",
                        JOB_TIMEOUT.as_secs()
                    ),
                ));
            }
            thread::sleep(Duration::from_micros(200));
        }
    }
}

/// Whether process `pid`'s main thread is in `flock(fd, LOCK_EX)`. With the
/// lock held elsewhere, a process there is waiting for it.
fn in_flock(pid: u32) -> io::Result<bool> {
    let text = match fs::read_to_string(format!("/proc/{pid}/syscall")) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err),
    };
    // "<number> <arg1> <arg2> ..." while in a system call; flock's second
    // argument is the operation.
    let mut fields = text.split_whitespace();
    let number = fields.next().and_then(|n| n.parse::<i64>().ok());
    let operation = fields
        .nth(1)
        .and_then(|op| i64::from_str_radix(op.trim_start_matches("0x"), 16).ok());
    Ok(number == Some(libc::SYS_flock)
        && operation.is_some_and(|op| op & i64::from(libc::LOCK_EX) != 0))
}
