//! Reads what `strace -f -ttt -y -e trace=openat,close` printed and sums up
//! how long the files of interest stayed open: how many were open at once,
//! whether their closes came one by one or all at the end, and the longest
//! time any one of them was held.
//!
//! strace -f -q -ttt -y -e trace=openat,close PROGRAM 2>&1 >/dev/null \
//!     | cargo run --example strace-summary

use defer_issues::cli::{parse_args, value};
use regex::Regex;
use std::collections::HashMap;
use std::io::{self, BufRead};
use std::process::ExitCode;
use std::time::Duration;

const NAME: &str = "strace-summary";

// ANCHOR: parse
/// One `openat` or `close` call that strace saw succeed (a `close` that
/// another thread interrupted is taken to succeed: closes hardly ever fail).
enum Call {
    Open { fd: u32, path: String },
    Close { fd: u32, path: String },
}

/// A line of `strace -f -ttt -y` output: `[pid N]` once the program has
/// several threads, seconds since the epoch, then the call. `-y` makes strace
/// print the path behind each descriptor, as in `close(3</tmp/x.txt>) = 0`.
struct Traced {
    seconds: Option<f64>,
    call: Call,
}

fn parse(line: &str) -> Option<Traced> {
    static LINE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:\[pid +\d+\] )?(?:(?<time>\d+\.\d+) )?",
            // A call that another thread's call interrupts is printed in two
            // parts, `openat(... <unfinished ...>` and `<... openat resumed>`.
            r"(?:(?:openat\(|<\.\.\. openat resumed>).*= (?<opened>\d+)<(?<open_path>[^>]*)>$",
            r"|close\((?<closed>\d+)<(?<close_path>[^>]*)>(?:\) += 0| <unfinished \.\.\.>)$)",
        ))
        .unwrap()
    });
    let c = LINE.captures(line)?;
    let call = match (c.name("opened"), c.name("closed")) {
        (Some(fd), _) => Call::Open {
            fd: fd.as_str().parse().ok()?,
            path: c["open_path"].to_string(),
        },
        (_, Some(fd)) => Call::Close {
            fd: fd.as_str().parse().ok()?,
            path: c["close_path"].to_string(),
        },
        _ => return None,
    };
    Some(Traced {
        seconds: c.name("time").and_then(|t| t.as_str().parse().ok()),
        call,
    })
}
// ANCHOR_END: parse

// ANCHOR: summary
/// A file of interest that is open: where and when it was opened.
struct Held {
    name: String,
    call: usize,
    seconds: Option<f64>,
}

#[derive(Default)]
struct Summary {
    calls: usize,
    opened: usize,
    closed: usize,
    most_open: usize,
    /// Closes of files of interest since the last open of one.
    closes_since_last_open: usize,
    /// The file held across the most other calls, and how many.
    longest_in_calls: Option<(String, usize)>,
    longest_in_time: Option<Duration>,
    /// Keyed by descriptor and path: threads share descriptors, and the
    /// `[pid N]` strace shows is the thread's.
    open: HashMap<(u32, String), Held>,
}

impl Summary {
    fn add(&mut self, traced: Traced, pattern: &str) {
        self.calls += 1;
        match traced.call {
            Call::Open { fd, path } if path.contains(pattern) => {
                self.opened += 1;
                self.closes_since_last_open = 0;
                let held = Held {
                    name: file_name(&path),
                    call: self.calls,
                    seconds: traced.seconds,
                };
                self.open.insert((fd, path), held);
                self.most_open = self.most_open.max(self.open.len());
            }
            Call::Close { fd, path } if path.contains(pattern) => {
                let Some(held) = self.open.remove(&(fd, path)) else {
                    return; // opened before strace attached
                };
                self.closed += 1;
                self.closes_since_last_open += 1;
                let between = self.calls - held.call - 1;
                if self
                    .longest_in_calls
                    .as_ref()
                    .is_none_or(|(_, n)| between > *n)
                {
                    self.longest_in_calls = Some((held.name, between));
                }
                if let (Some(start), Some(end)) = (held.seconds, traced.seconds) {
                    let time = Duration::try_from_secs_f64(end - start).unwrap_or_default();
                    self.longest_in_time = self.longest_in_time.max(Some(time));
                }
            }
            _ => {}
        }
    }

    fn print(&self, pattern: &str) {
        println!(
            "Files matching \"{pattern}\": {} opened, {} closed, {} never closed",
            self.opened,
            self.closed,
            self.open.len()
        );
        println!("Most open at once: {}", self.most_open);
        println!(
            "Closed after the last open: {} of {}",
            self.closes_since_last_open, self.closed
        );
        if let Some((name, calls)) = &self.longest_in_calls {
            println!("Held longest, in calls: {name}, open while {calls} other calls ran");
        }
        match self.longest_in_time {
            Some(time) => println!("Held longest, in time: {time:.2?}"),
            None => println!("Held longest, in time: unknown (run strace with -ttt)"),
        }
    }
}
// ANCHOR_END: summary

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS] < STRACE_OUTPUT\n\n\
         Sums up `strace -f -ttt -y -e trace=openat,close` output: how many files\n\
         were open at once, and for how long.\n\n\
         Options:\n\
         \x20 --paths TEXT     count only files whose path contains TEXT (default logfile_)\n\
         \x20 -h, --help       print this help\n"
    );
    let mut pattern = "logfile_".to_string();
    let parsed = parse_args(&usage, |flag, parser| {
        if flag != "--paths" {
            return Ok(false);
        }
        pattern = value(parser, flag, "some text")?;
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    let mut summary = Summary::default();
    for line in io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                eprintln!("error: cannot read standard input: {err}");
                return ExitCode::FAILURE;
            }
        };
        if let Some(traced) = parse(&line) {
            summary.add(traced, &pattern);
        }
    }
    if summary.calls == 0 {
        eprintln!(
            "error: no openat or close calls on standard input \
             (trace with: strace -f -ttt -y -e trace=openat,close)"
        );
        return ExitCode::FAILURE;
    }
    summary.print(&pattern);
    ExitCode::SUCCESS
}
