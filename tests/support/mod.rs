//! Helpers for the integration tests: building the examples and running them
//! as child processes, the way a reader runs them from a terminal.

// Each test crate includes this module and uses only some of it.
#![allow(dead_code)]

use defer_issues_harness::{cargo, child};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The longest any example run by a test may take: a hang fails the test
/// instead of stopping it.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// The repository root.
pub fn root() -> &'static Path {
    cargo::workspace_root()
}

/// The path of the built example `name`, wherever cargo builds.
pub fn example(name: &str) -> PathBuf {
    cargo::example(name)
}

/// A command that starts like a program from a fresh terminal: only stdin,
/// stdout and stderr open, in a process group of its own.
pub fn clean_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = child::clean_command(program);
    // The examples' heap figures include their directory's path, so the
    // recorded figures hold for /tmp, whatever the caller's TMPDIR.
    command.env("TMPDIR", "/tmp");
    command
}

/// Runs an example to completion with no input, as a clean child process;
/// it and anything it started are killed if it runs past [`RUN_TIMEOUT`].
pub fn run(name: &str, args: &[&str]) -> Output {
    let finished = child::run_to_end(
        clean_command(example(name)).args(args),
        child::Output::Separate,
        RUN_TIMEOUT,
    )
    .unwrap();
    Output {
        status: finished.status,
        stdout: finished.stdout.into_bytes(),
        stderr: finished.stderr.into_bytes(),
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Every number printed after `label: `, such as each `Open FDs: N`.
pub fn numbers(stdout: &str, label: &str) -> Vec<usize> {
    regex::Regex::new(&format!(r"{label}: (\d+)"))
        .unwrap()
        .captures_iter(stdout)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

/// Checks the shared contract for bad input: exit status 2, one `error:`
/// line, a blank line, then the usage, all on stderr, and nothing started.
pub fn assert_usage_error(example: &str, args: &[&str]) {
    let out = run(example, args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{example} {args:?}: {stderr}");
    let mut lines = stderr.lines();
    assert!(
        lines.next().unwrap().starts_with("error: "),
        "{example} {args:?}: {stderr}"
    );
    assert_eq!(lines.next(), Some(""), "{example} {args:?}: one error line");
    assert!(
        stderr.contains(&format!("Usage: {example} ")),
        "{example} {args:?}"
    );
    assert!(out.stdout.is_empty(), "{example} {args:?} started anyway");
}

/// The temporary directory a run announced on its first line
/// (`loop-leak: PID 1234, writing 500 files to /tmp/loop-leak-a1B2c3`).
pub fn workdir(stdout: &str) -> PathBuf {
    let first = stdout.lines().next().unwrap();
    PathBuf::from(first.rsplit(" to ").next().unwrap())
}

/// Every file under `dir`, at any depth, whose name ends in `.extension`,
/// sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, extension, &mut out);
    out.sort();
    out
}

/// The size of a `DeferStack`'s buffer holding `pending` boxed closures:
/// Rust's `Vec` starts at 4 slots and doubles; each slot is a 16-byte
/// `Box<dyn FnOnce()>`.
pub fn defer_stack_vec_bytes(pending: usize) -> usize {
    16 * pending.next_power_of_two().max(4)
}

/// What Example 2's `Connection` (lib/connection.rs) reports: the ids in
/// every line that matches `pattern`, whose first group is an id.
fn connection_ids(text: &str, pattern: &str) -> Vec<usize> {
    regex::Regex::new(pattern)
        .unwrap()
        .captures_iter(text)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

/// Every connection closed, in order.
pub fn closed(text: &str) -> Vec<usize> {
    connection_ids(text, r"(?m)^  Closing connection (\d+) at 0x")
}

/// Every close of a connection that was already closed.
pub fn closed_again(text: &str) -> Vec<usize> {
    connection_ids(
        text,
        r"(?m)^  WARNING: connection (\d+) at 0x\w+ already closed!$",
    )
}

/// Every connection dropped without being closed.
pub fn leaked(text: &str) -> Vec<usize> {
    connection_ids(
        text,
        r"(?m)^  LEAK: connection (\d+) at 0x\w+ dropped without being closed$",
    )
}
