//! Cheat for exercise 8: runs each program under a soft RLIMIT_NOFILE of 4,
//! the budget, forgetting that stdin, stdout and stderr take descriptors 0,
//! 1 and 2: the program may then open one descriptor, not four.

use defer_issues_exercises::kit;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode, Stdio};

const BUDGET: libc::rlim_t = 4;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-8", "Runs each program under a limit of 4.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        let mut command = Command::new(dir.join(&name));
        // SAFETY: getrlimit and setrlimit are system calls, safe after fork.
        unsafe {
            command.pre_exec(|| {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
                limit.rlim_cur = BUDGET;
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        match command.stdin(Stdio::null()).stderr(Stdio::null()).status() {
            Ok(status) => all_within &= status.success(),
            Err(_) => return ExitCode::from(2),
        }
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
