//! Finds the most descriptors a program holds at once, besides stdin, stdout
//! and stderr: its high-water mark. It runs the program under smaller and
//! smaller descriptor budgets (see lib/budget.rs) and reports the smallest
//! one it succeeds within.
//!
//! cargo build --examples
//! cargo run --example fd-peak -- target/debug/examples/loop-leak --files 100 --delay-ms 0

use defer_issues::budget::high_water_mark;
use defer_issues::cli::{bounded, finish_parse};
use defer_issues::fds::nofile_limit;
use lexopt::{Arg, Parser};
use std::ffi::OsString;
use std::process::{Command, ExitCode};

const NAME: &str = "fd-peak";

/// What to run, and the largest budget to try.
struct Options {
    max: u64,
    program: OsString,
    args: Vec<OsString>,
}

/// Reads `[--max N] PROGRAM [ARGS...]`; everything after PROGRAM is its own.
fn parse(parser: &mut Parser) -> Result<Option<Options>, String> {
    let mut max = 1024;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Arg::Short('h') | Arg::Long("help") => return Ok(None),
            Arg::Long("max") => {
                max = bounded(parser, "--max", "a whole number", u64::MAX)?;
                // A budget is a soft limit of 3 + N, which the hard limit caps.
                let (_, hard) = nofile_limit().map_err(|e| e.to_string())?;
                if max > hard.saturating_sub(3) {
                    return Err(format!(
                        "invalid value '{max}' for --max: the hard RLIMIT_NOFILE ({hard}) allows at most {}",
                        hard.saturating_sub(3)
                    ));
                }
            }
            Arg::Value(program) if program.is_empty() => {
                return Err("invalid value '' for PROGRAM: expected a program to run".into());
            }
            Arg::Value(program) => {
                let args = parser.raw_args().map_err(|e| e.to_string())?.collect();
                return Ok(Some(Options { max, program, args }));
            }
            Arg::Long(name) => return Err(format!("unknown option '--{name}'")),
            Arg::Short(c) => return Err(format!("unknown option '-{c}'")),
        }
    }
    Err("missing PROGRAM to run".into())
}

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [--max N] PROGRAM [ARGS...]\n\n\
         Runs PROGRAM under smaller and smaller descriptor limits to find the most\n\
         descriptors it holds at once, besides stdin, stdout and stderr. PROGRAM must\n\
         fail when an open fails, and do the same work on every run.\n\n\
         Options:\n\
         \x20 --max N          the largest number to try (default 1024)\n\
         \x20 -h, --help       print this help\n"
    );
    let options = match finish_parse(parse(&mut Parser::from_env()), &usage) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let program = options.program.to_string_lossy().into_owned();
    let command = || {
        let mut command = Command::new(&options.program);
        command.args(&options.args);
        command
    };
    match high_water_mark(command, options.max) {
        Ok(Some(peak)) => {
            let plural = if peak == 1 { "" } else { "s" };
            println!("{program}: at most {peak} descriptor{plural} open at once, besides stdio");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!(
                "error: {program} fails even with {} descriptors; run it alone to see why",
                options.max
            );
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: cannot run {program}: {err}");
            ExitCode::FAILURE
        }
    }
}
