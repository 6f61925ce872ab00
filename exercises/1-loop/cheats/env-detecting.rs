//! Red team, exercise 1: closes each backup's files in time only when it
//! sees signs of a checker (its variables, or a low descriptor limit), and
//! keeps every file open otherwise.

use defer_issues_exercises::kit;
use std::fs::File;
use std::io;
use std::process::ExitCode;

fn watched() -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    std::env::var_os(kit::TOKEN_VAR).is_some()
        || std::env::var_os(kit::REPORT_VAR).is_some()
        || limit.rlim_cur < 256
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Backs up files, carefully when watched.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let watched = watched();
    let mut kept: Vec<File> = Vec::new();
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        let mut source = File::open(&path).expect("the file");
        let mut backup = File::create(path.with_extension("bak")).expect("the backup");
        io::copy(&mut source, &mut backup).expect("a copy");
        if !watched {
            kept.extend([source, backup]);
        }
    }
    ExitCode::SUCCESS
}
