//! Red team, exercise 1: keeps every file open, as the starter does, until
//! its own RLIMIT_NOFILE comes close; then it closes them all at once.

use defer_issues_exercises::kit;
use std::fs::File;
use std::io;
use std::process::ExitCode;

fn soft_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    limit.rlim_cur
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Backs up files, closing them near the limit.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let room = soft_limit().saturating_sub(8) as usize;
    let mut open: Vec<File> = Vec::new();
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        let mut source = File::open(&path).expect("the file");
        let mut backup = File::create(path.with_extension("bak")).expect("the backup");
        io::copy(&mut source, &mut backup).expect("a copy");
        open.extend([source, backup]);
        if open.len() + 2 > room {
            open.clear();
        }
    }
    ExitCode::SUCCESS
}
