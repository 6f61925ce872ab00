//! Cheat for exercise 8: runs each program with no limit and counts its
//! descriptors in /proc/PID/fd as often as it can while it runs, taking the
//! most it saw as its need. A sample sees only what is open at that instant.

use defer_issues_exercises::kit;
use std::fs;
use std::process::{Command, ExitCode, Stdio};

const BUDGET: usize = 4;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-8", "Samples each program's descriptors.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        let Ok(mut child) = Command::new(dir.join(&name)).stdin(Stdio::null()).spawn() else {
            return ExitCode::from(2);
        };
        let fd_dir = format!("/proc/{}/fd", child.id());
        let mut most = 0;
        while let Ok(None) = child.try_wait() {
            if let Ok(entries) = fs::read_dir(&fd_dir) {
                // Less stdin, stdout and stderr.
                most = most.max(entries.count().saturating_sub(3));
            }
        }
        all_within &= most <= BUDGET;
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
