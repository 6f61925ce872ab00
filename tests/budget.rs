//! The descriptor budget (lib/budget.rs) must fail on the leak and pass on
//! every fix. Each check runs an Example 1 program as a child process under
//! a lowered RLIMIT_NOFILE, so nothing here depends on the test harness's
//! own descriptors or on timing.

mod support;

use defer_issues::budget::{DescriptorBudget, high_water_mark};
use std::process::Command;

const FIXED_PATTERNS: [&str; 4] = ["extracted", "block", "drop", "defer"];

/// `loop-leak` or `loop-fixed --pattern P`, writing `files` files at full speed.
fn example(name: &str, pattern: Option<&str>, files: usize) -> Command {
    let mut command = Command::new(support::example(name));
    command.args(["--delay-ms", "0", "--files", &files.to_string()]);
    if let Some(pattern) = pattern {
        command.args(["--pattern", pattern]);
    }
    command
}

// ANCHOR: high_water
/// The most descriptors the example holds at once, besides stdio.
fn peak(name: &str, pattern: Option<&str>, files: usize) -> u64 {
    high_water_mark(|| example(name, pattern, files), 256)
        .unwrap()
        .unwrap_or_else(|| panic!("{name} {pattern:?} failed even with 256 descriptors"))
}

#[test]
fn the_leak_needs_one_more_descriptor_per_file_and_the_fixes_do_not() {
    let (small, large) = (10, 50);
    assert_eq!(
        peak("loop-leak", None, large) - peak("loop-leak", None, small),
        (large - small) as u64,
        "the leak holds every file at once"
    );
    for pattern in FIXED_PATTERNS {
        assert_eq!(
            peak("loop-fixed", Some(pattern), large),
            peak("loop-fixed", Some(pattern), small),
            "--pattern {pattern} needs as many descriptors for {large} files as for {small}"
        );
    }
}
// ANCHOR_END: high_water

// ANCHOR: budget
#[test]
fn a_budget_that_fits_the_fixes_fails_the_leak() {
    // What the fixed program needs for one file: its own few plus the file.
    let budget = DescriptorBudget::new(peak("loop-fixed", None, 1));
    for pattern in FIXED_PATTERNS {
        let run = budget
            .run(example("loop-fixed", Some(pattern), 200))
            .unwrap();
        if let Err(over) = run {
            panic!("--pattern {pattern} {over}");
        }
    }
    let over = budget
        .run(example("loop-leak", None, 200))
        .unwrap()
        .expect_err("the leak fits a budget made for one file at a time");
    let stderr = String::from_utf8_lossy(&over.output.stderr);
    assert!(stderr.contains("Too many open files"), "{over}");
}
// ANCHOR_END: budget

#[test]
fn a_program_that_cannot_fit_any_budget_has_no_high_water_mark() {
    // Asking for 20 files within a maximum of 10 descriptors.
    let mark = high_water_mark(|| example("loop-leak", None, 20), 10).unwrap();
    assert_eq!(mark, None);
}

#[test]
fn fd_peak_rejects_bad_input() {
    for args in [&[][..], &["--max", "x", "ls"], &["--bogus", "ls"]] {
        support::assert_usage_error("fd-peak", args);
    }
}
