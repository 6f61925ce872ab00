//! Exact descriptor invariants of the Example 1 programs. Counts and limits
//! are per process, so each case runs the example as a child process with
//! only stdin, stdout and stderr open.

mod support;

use defer_issues_harness::child::Group;
use support::{numbers, run, text, workdir};

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn leak_holds_every_file_until_the_function_returns() {
    let out = run("loop-leak", &["--delay-ms", "0", "--files", "50"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let fds = numbers(&stdout, "Open FDs");
    let start = fds[0];
    // START, after each fifth of the 50 files, FINAL.
    let held: Vec<usize> = fds.iter().map(|n| n - start).collect();
    assert_eq!(held, [0, 10, 20, 30, 40, 50, 0]);
    // Five progress lines, then the count about to run at the return.
    assert_eq!(numbers(&stdout, "Pending defers"), [10, 20, 30, 40, 50, 50]);
    assert!(
        !workdir(&stdout).exists(),
        "the run left its directory behind"
    );
}

#[test]
fn every_fixed_pattern_holds_at_most_one_file() {
    for pattern in ["extracted", "block", "drop", "defer"] {
        let out = run(
            "loop-fixed",
            &["--delay-ms", "0", "--files", "50", "--pattern", pattern],
        );
        assert!(out.status.success(), "{pattern}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let fds = numbers(&stdout, "Open FDs");
        let start = fds[0];
        assert_eq!(fds.last(), Some(&start), "{pattern}: final count");
        assert!(fds.iter().all(|&n| n <= start + 1), "{pattern}: {fds:?}");
        assert_eq!(numbers(&stdout, "Peak FDs"), [start + 1; 5], "{pattern}");
        assert!(
            !workdir(&stdout).exists(),
            "{pattern} left its directory behind"
        );
    }
}

/// Each `Heap: N B (M blocks)` figure a run printed, as (bytes, blocks).
fn heap_figures(stdout: &str) -> Vec<(usize, usize)> {
    regex::Regex::new(r"Heap: (\d+) B \((\d+) blocks\)")
        .unwrap()
        .captures_iter(stdout)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect()
}

#[test]
fn pending_cleanups_hold_heap_until_the_return_and_the_fix_holds_none() {
    let stdout = text(&run("loop-leak", &["--delay-ms", "0", "--files", "50"]).stdout);
    let heap = heap_figures(&stdout);
    assert_eq!(heap.len(), 7, "START, five checkpoints, FINAL:\n{stdout}");
    let checkpoints = &heap[1..6];
    for (i, pair) in checkpoints.windows(2).enumerate() {
        // Ten more files: ten more 4-byte boxes, and the stack's Vec grown
        // from room for 10(i+1) cleanups to room for 10(i+2).
        let (before, after) = (10 * (i + 1), 10 * (i + 2));
        let grown = support::defer_stack_vec_bytes(after) - support::defer_stack_vec_bytes(before);
        assert_eq!(pair[1].0 - pair[0].0, 4 * 10 + grown, "{stdout}");
        assert_eq!(pair[1].1 - pair[0].1, 10, "{stdout}");
    }
    let (at_end, after_return) = (checkpoints[4], heap[6]);
    // At the return, at least the 50 boxes and the stack's Vec are freed.
    assert!(at_end.1 - after_return.1 >= 51, "{stdout}");
    assert!(at_end.0 - after_return.0 >= 50 * (4 + 16), "{stdout}");

    let stdout = text(&run("loop-fixed", &["--delay-ms", "0", "--files", "50"]).stdout);
    let heap = heap_figures(&stdout);
    assert_eq!(heap.len(), 7, "{stdout}");
    assert!(heap[1..6].iter().all(|&h| h == heap[1]), "{stdout}");
}

#[test]
fn under_a_limit_of_64_the_leak_fails_cleanly_and_the_fix_completes() {
    let leak = run(
        "loop-leak",
        &["--delay-ms", "0", "--files", "100", "--nofile", "64"],
    );
    assert_eq!(leak.status.code(), Some(1));
    let stdout = text(&leak.stdout);
    let start = numbers(&stdout, "Open FDs")[0];
    let stderr = text(&leak.stderr);
    assert_eq!(
        stderr,
        format!(
            "error: out of file descriptors after opening {} files (soft RLIMIT_NOFILE 64, \
             {start} open at the start): Too many open files (os error 24)\n",
            64 - start
        )
    );
    assert!(
        !workdir(&stdout).exists(),
        "the failed run left its directory behind"
    );

    let fixed = run(
        "loop-fixed",
        &["--delay-ms", "0", "--files", "100", "--nofile", "64"],
    );
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
}

#[test]
fn bad_input_gets_one_error_line_the_usage_and_status_2() {
    let cases: &[&[&str]] = &[
        &["--files", "abc"],
        &["--files", "0"],
        &["--delay-ms", "-5"],
        &["--nofile", "99999999999"],
        &["--pattern", "nope"],
        &["--bogus"],
        &["--files"],
        &["stray"],
    ];
    for example in ["loop-leak", "loop-fixed"] {
        for args in cases {
            if example == "loop-leak" && args[0] == "--pattern" {
                continue;
            }
            support::assert_usage_error(example, args);
        }
    }
}

#[test]
fn ctrl_c_removes_the_directory_mid_run() {
    for extra in [&[][..], &["--pause-at", "10"][..]] {
        // Killed on drop, should an assertion below fail.
        let mut child = Group::spawn(
            support::clean_command(support::example("loop-leak"))
                .args(["--delay-ms", "5", "--files", "100000"])
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .unwrap();
        let mut stdout = BufReader::new(child.stdout().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let dir = workdir(&first);
        // Wait until the run is writing files (or paused with them open).
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::read_dir(&dir).unwrap().count() < 10 {
            assert!(
                Instant::now() < deadline,
                "no files appeared in {}",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        child.signal(libc::SIGINT).unwrap();
        // Nobody reads stdout from here on: the run must end all the same.
        let status = child
            .wait_until(Instant::now() + Duration::from_secs(10))
            .unwrap();
        assert_eq!(status.and_then(|s| s.code()), Some(130), "{extra:?}");
        assert!(
            !dir.exists(),
            "{extra:?}: Ctrl-C left {} behind",
            dir.display()
        );
    }
}

#[test]
fn a_limit_below_what_a_run_needs_is_refused_and_the_named_minimum_is_enough() {
    let refused = run("loop-fixed", &["--nofile", "1"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    let minimum = regex::Regex::new(r"expected at least (\d+)")
        .unwrap()
        .captures(&stderr)
        .unwrap_or_else(|| panic!("no minimum named: {stderr}"))[1]
        .to_string();
    let below = (minimum.parse::<u64>().unwrap() - 1).to_string();
    support::assert_usage_error("loop-fixed", &["--nofile", &below]);
    // The minimum holds stdin, stdout, stderr and one file: enough for the
    // fix, and the leak fails on its second file.
    let args = ["--delay-ms", "0", "--files", "5", "--nofile", &minimum];
    let fixed = run("loop-fixed", &args);
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
    let leak = run("loop-leak", &args);
    assert_eq!(leak.status.code(), Some(1));
    assert!(
        text(&leak.stderr).starts_with("error: out of file descriptors after opening 1 files"),
        "{}",
        text(&leak.stderr)
    );
}
