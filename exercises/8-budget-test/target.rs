//! The program exercise 8's checker hands to the student's program: it opens
//! descriptors in a pattern (a burst at the start, then one file at a time,
//! keeping some), so that the most it holds at once is known in advance.
//!
//! The pattern is not in its name, its arguments or its file: the checker
//! copies this binary under a random name and writes at the end of the copy
//! where to ask for the pattern, a socket on which the checker answers only a
//! process running that copy. So every copy runs the same code, and only
//! running it under a budget tells what it needs.

use defer_issues_exercises::budget_test_check::{DESK_TAIL_LEN, Plan, ask_for_plan};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::process::ExitCode;

/// The pattern, from the checker, asked where the end of this executable
/// says. Reading the end takes one descriptor, closed before the socket that
/// asks is opened, and that is closed before the work starts.
fn plan() -> io::Result<Option<Plan>> {
    let mut tail = [0u8; DESK_TAIL_LEN];
    {
        let mut exe = File::open("/proc/self/exe")?;
        exe.seek(SeekFrom::End(-(DESK_TAIL_LEN as i64)))?;
        exe.read_exact(&mut tail)?;
    }
    ask_for_plan(&tail)
}

fn work(plan: &Plan) -> io::Result<()> {
    let burst = (0..plan.burst)
        .map(|_| File::open("/dev/null"))
        .collect::<io::Result<Vec<File>>>()?;
    drop(burst);
    let mut kept = Vec::new();
    for round in 1..=plan.rounds {
        let file = File::open("/dev/null")?;
        if plan.keep_every > 0 && round % plan.keep_every == 0 {
            kept.push(file);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match plan() {
        Ok(Some(plan)) => match work(&plan) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        },
        Ok(None) => {
            eprintln!(
                "error: no pattern: this is a test program for exercise 8, which its checker \
                 copies and gives a pattern"
            );
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: cannot read the pattern: {err}");
            ExitCode::FAILURE
        }
    }
}
