//! Looking at another process from outside, through Linux's `/proc`: what it
//! has open, and whether it is waiting to read its standard input. The
//! program being watched cannot change what these say by printing.

use std::fs;
use std::io;
use std::path::PathBuf;

/// What each of process `pid`'s open descriptors points to, by number.
/// Descriptors closed while the list is read are left out.
pub fn fd_targets(pid: u32) -> io::Result<Vec<(u32, PathBuf)>> {
    let mut targets = Vec::new();
    for entry in fs::read_dir(format!("/proc/{pid}/fd"))? {
        let entry = entry?;
        let Some(fd) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        match fs::read_link(entry.path()) {
            Ok(target) => targets.push((fd, target)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
    }
    targets.sort();
    Ok(targets)
}

/// Whether process `pid`'s main thread is blocked in `read` on descriptor 0.
/// While it is, and nothing has been written to its stdin, it can do nothing
/// else: what it holds open then is a fact about the program, not a race.
pub fn waiting_on_stdin(pid: u32) -> io::Result<bool> {
    let syscall = match fs::read_to_string(format!("/proc/{pid}/syscall")) {
        Ok(text) => text,
        // The process has ended (and perhaps been reaped).
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err),
    };
    // "<number> <arg1> <arg2> ..." while in a system call; "running" or
    // "-1 ..." otherwise.
    let mut fields = syscall.split_whitespace();
    let number = fields.next().and_then(|n| n.parse::<i64>().ok());
    let first_argument = fields.next();
    Ok(number == Some(libc::SYS_read) && first_argument == Some("0x0") && is_sleeping(pid)?)
}

/// Whether the process is asleep (state S), as a blocked read leaves it.
fn is_sleeping(pid: u32) -> io::Result<bool> {
    let stat = match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err),
    };
    // "pid (comm) S ...": the state follows the last ')'.
    Ok(stat
        .rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('S')))
}
