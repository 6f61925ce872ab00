//! A descriptor budget for tests: "this program never holds more than K
//! descriptors at once, besides stdin, stdout and stderr".
//!
//! The program runs as a child process that starts with only descriptors 0,
//! 1 and 2 open and a soft RLIMIT_NOFILE of 3 + K. The kernel always hands
//! out the lowest free descriptor number and the limit caps those numbers,
//! so the child can hold K more descriptors at once and no more: the next
//! open fails with EMFILE. A program that reports a failed open (as `?` on
//! an `io::Result` does) then exits with an error, and the check fails,
//! however briefly the budget was exceeded. Nothing is sampled, so nothing
//! depends on timing.
//!
//! In an integration test, `env!("CARGO_BIN_EXE_<name>")` is the path of the
//! package's binary `<name>`, which cargo builds before the tests run.

use crate::fds::{close_inherited_on_exec, set_soft_nofile};
use std::fmt;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};

/// Descriptors a process has from the start: stdin, stdout and stderr.
const STDIO: u64 = 3;

// ANCHOR: budget
/// How many descriptors a program may hold at once, besides stdio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DescriptorBudget {
    extra: u64,
}

/// A run that failed under its budget: its exit status and what it printed.
#[derive(Debug)]
pub struct OverBudget {
    pub budget: DescriptorBudget,
    pub output: Output,
}

impl DescriptorBudget {
    /// Allows `extra` descriptors open at once, besides stdin, stdout and stderr.
    pub fn new(extra: u64) -> Self {
        Self { extra }
    }

    /// Runs `command` to completion within the budget, with stdin empty and
    /// its output captured. `Ok` if it succeeded; `Err(OverBudget)` if it
    /// failed, which under a budget usually means it needed more descriptors.
    pub fn run(self, mut command: Command) -> io::Result<Result<Output, OverBudget>> {
        let limit = STDIO.checked_add(self.extra).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "descriptor budget too large")
        })?;
        // SAFETY: the closure runs in the child between fork and exec, and
        // only makes system calls, which are async-signal-safe.
        unsafe {
            command.pre_exec(move || {
                close_inherited_on_exec()?;
                set_soft_nofile(limit)
            });
        }
        let output = command.stdin(Stdio::null()).output()?;
        Ok(if output.status.success() {
            Ok(output)
        } else {
            Err(OverBudget {
                budget: self,
                output,
            })
        })
    }
}
// ANCHOR_END: budget

// ANCHOR: high_water
/// The most descriptors `command` held at once besides stdio, found as the
/// smallest budget it succeeds within (a binary search between 0 and `max`);
/// `None` if it fails even with `max`. The program must behave the same on
/// every run: same input, same descriptors.
pub fn high_water_mark(mut command: impl FnMut() -> Command, max: u64) -> io::Result<Option<u64>> {
    if DescriptorBudget::new(max).run(command())?.is_err() {
        return Ok(None);
    }
    // Invariant: every budget below `low` fails, and `high` succeeds.
    let (mut low, mut high) = (0, max);
    while low < high {
        let middle = low + (high - low) / 2;
        if DescriptorBudget::new(middle).run(command())?.is_ok() {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    Ok(Some(high))
}
// ANCHOR_END: high_water

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed with {} descriptors allowed besides stdio ({}); it printed:\n{}{}",
            self.budget.extra,
            self.output.status,
            String::from_utf8_lossy(&self.output.stdout),
            String::from_utf8_lossy(&self.output.stderr)
        )
    }
}

impl std::error::Error for OverBudget {}
