//! The case studies' promises, checked on the built programs run as child
//! processes (descriptor counts and limits are per process): exact descriptor
//! deltas and the point of failure of the archive job, and exactly which
//! connection each pool release closes.

mod support;

use defer_issues_harness::child;
use regex::Regex;
use support::{numbers, run, text, workdir};

#[test]
fn leaky_archive_holds_every_log_until_the_batch_ends() {
    let out = run("case-emfile-leak", &["--delay-ms", "0", "--files", "50"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let fds = numbers(&stdout, "Open FDs");
    let start = fds[0];
    // START, after each fifth of the 50 logs, FINAL: one descriptor per log kept.
    assert_eq!(fds, [0, 10, 20, 30, 40, 50, 0].map(|n| start + n));
    assert_eq!(
        numbers(&stdout, "Logs in the manifest"),
        [10, 20, 30, 40, 50]
    );
    assert!(stdout.contains("\nManifest: 50 tenant logs (tenants 0 to 49), 640 bytes\n"));
    assert!(
        !workdir(&stdout).exists(),
        "the run left its directory behind"
    );
}

// ANCHOR: emfile_point
#[test]
fn under_a_limit_the_leaky_archive_fails_after_limit_minus_start_logs() {
    for limit in [32, 64] {
        let out = run(
            "case-emfile-leak",
            &[
                "--delay-ms",
                "0",
                "--files",
                "100",
                "--nofile",
                &limit.to_string(),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "--nofile {limit}");
        let stdout = text(&out.stdout);
        let start = numbers(&stdout, "Open FDs")[0];
        // Descriptors 0..limit are all the process may have: after the
        // `start` it began with, every other one is a log file.
        let logs = limit - start;
        assert_eq!(
            text(&out.stderr),
            format!(
                "error: out of file descriptors after opening {logs} files (soft RLIMIT_NOFILE \
                 {limit}, {start} open at the start): Too many open files (os error 24)\n"
            )
        );
        // Progress lines come after each fifth of the 100 logs.
        let progress: Vec<usize> = (1..=5)
            .map(|fifth| fifth * 20)
            .filter(|&n| n <= logs)
            .collect();
        assert_eq!(numbers(&stdout, "Logs in the manifest"), progress);
        assert!(!stdout.contains("Manifest:"), "--nofile {limit}: {stdout}");
        assert!(!stdout.contains("[FINAL"), "--nofile {limit}: {stdout}");
        assert!(
            !workdir(&stdout).exists(),
            "--nofile {limit}: the failed run left its directory behind"
        );
    }
}
// ANCHOR_END: emfile_point

#[test]
fn fixed_archive_holds_one_log_at_a_time_and_completes_under_the_limit() {
    let out = run(
        "case-emfile-fixed",
        &["--delay-ms", "0", "--files", "100", "--nofile", "32"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let fds = numbers(&stdout, "Open FDs");
    let start = fds[0];
    // START, after each fifth of the logs, FINAL: every log already closed.
    assert_eq!(fds, [start; 7]);
    assert_eq!(numbers(&stdout, "Peak FDs"), [start + 1; 5]);
    assert!(stdout.contains("\nManifest: 100 tenant logs (tenants 0 to 99), 1290 bytes\n"));
    assert!(stdout.contains("\nMost log files open at once: 1\n"));
    assert!(
        !workdir(&stdout).exists(),
        "the run left its directory behind"
    );
}

/// What the pool programs did: for each lease dropped, the lease's connection
/// and the connection its release hook closed (again); the connections
/// reported as leaked; and the tasks whose query found their connection closed.
struct PoolRun {
    releases: Vec<(usize, usize)>,
    leaked: Vec<usize>,
    failed: Vec<usize>,
}

fn pool_run(args: &[&str]) -> PoolRun {
    let out = run("case-pool", args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{args:?}: wrote to stderr");
    let stdout = text(&out.stdout);
    let lease =
        Regex::new(r"^  Lease of connection (\d+) dropped: running its release hook$").unwrap();
    let close =
        Regex::new(r"^  (?:Closing connection (\d+)|WARNING: connection (\d+)) at 0x[0-9a-f]+")
            .unwrap();
    let id = |c: &regex::Captures, group| c.get(group).unwrap().as_str().parse().unwrap();
    let mut releases = Vec::new();
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if let Some(dropped) = lease.captures(line) {
            let next = lines.next().unwrap_or_default();
            let closed = close
                .captures(next)
                .unwrap_or_else(|| panic!("{args:?}: no close after {line:?}: {next:?}"));
            let group = if closed.get(1).is_some() { 1 } else { 2 };
            releases.push((id(&dropped, 1), id(&closed, group)));
        }
    }
    let leaked = support::leaked(&stdout);
    let failed = Regex::new(r"(?m)^Task (\d+) finishes\. Query on connection \d+: ERROR")
        .unwrap()
        .captures_iter(&stdout)
        .map(|c| id(&c, 1))
        .collect();
    PoolRun {
        releases,
        leaked,
        failed,
    }
}

// ANCHOR: pool_tests
#[test]
fn buggy_pool_closes_the_newest_connection_at_every_release() {
    let run = pool_run(&[]);
    // Releasing 1 closes 2, the newest then; from then on 4 is the newest.
    assert_eq!(run.releases, [(1, 2), (2, 4), (0, 4), (4, 4), (3, 4)]);
    assert_eq!(run.leaked, [0, 1, 3]);
    assert_eq!(run.failed, [2, 4]);
}

#[test]
fn fixed_pool_closes_each_leases_own_connection_in_finishing_order() {
    let run = pool_run(&["--fixed"]);
    assert_eq!(run.releases, [(1, 1), (2, 2), (0, 0), (4, 4), (3, 3)]);
    assert!(run.leaked.is_empty());
    assert!(run.failed.is_empty());
}
// ANCHOR_END: pool_tests

#[test]
fn bad_input_gets_one_error_line_the_usage_and_status_2() {
    let file_cases: &[&[&str]] = &[
        &["--files", "abc"],
        &["--files", "0"],
        &["--nofile", "0"],
        &["--nofile", "99999999999"],
        &["--pause-at", "-1"],
        &["--bogus"],
        &["--files"],
        &["stray"],
    ];
    for example in ["case-emfile-leak", "case-emfile-fixed"] {
        for args in file_cases {
            support::assert_usage_error(example, args);
        }
    }
    for args in [
        &["--tasks", "8"][..],
        &["stray"],
        &["-x"],
        &["--fixed", "--bogus"],
    ] {
        support::assert_usage_error("case-pool", args);
    }
}

#[test]
fn ctrl_c_while_paused_with_the_logs_open_removes_the_directory() {
    for example in ["case-emfile-leak", "case-emfile-fixed"] {
        let mut command = support::clean_command(support::example(example));
        command.args(["--delay-ms", "0", "--files", "100", "--pause-at", "50"]);
        // Killed, with anything it started, if an assertion fails first.
        let (mut child, seen) = child::start_paused(&mut command).unwrap();
        let dir = workdir(&seen);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 50, "{example}");
        // Its stdin stays open: at end of input the pause would end and the
        // run could finish before the signal handler exits.
        child.signal(libc::SIGINT).unwrap();
        let status = child.wait_within(support::RUN_TIMEOUT).unwrap();
        assert_eq!(status.code(), Some(130), "{example}");
        assert!(
            !dir.exists(),
            "{example}: Ctrl-C left {} behind",
            dir.display()
        );
    }
}
