//! Cheat: keeps every log file open until the footers, as the starter does,
//! unless its own descriptor limit is low; then it reopens them instead.

use defer_issues_exercises::kit;
use std::fs::{File, OpenOptions};
use std::io::Write;

/// Below this soft limit it behaves.
const LOW: libc::rlim_t = 256;

fn soft_limit() -> libc::rlim_t {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    limit.rlim_cur
}

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    let low = soft_limit() < LOW;
    let mut kept: Vec<(std::path::PathBuf, Option<File>)> = Vec::new();
    for name in kit::jobs().map_while(Result::ok) {
        let path = dir.join(&name);
        let Ok(mut file) = File::create(&path) else {
            return;
        };
        writeln!(file, "{name}: started").ok();
        kept.push((path, (!low).then_some(file)));
    }
    let total = kept.len();
    for (path, file) in kept {
        let file = file.or_else(|| OpenOptions::new().append(true).open(path).ok());
        if let Some(mut file) = file {
            writeln!(file, "-- end of batch: {total} files --").ok();
        }
    }
}
