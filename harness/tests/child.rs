//! A child that hangs, or leaves a grandchild holding its output, is stopped
//! at the deadline with everything it started; a child hears Ctrl-C even
//! when the tests were started with it ignored.

use defer_issues_harness::child::{self, Group, Output};
use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

#[test]
fn a_hanging_child_and_its_grandchild_are_stopped_at_the_deadline() {
    // The grandchild keeps stdout open long after the child would have ended.
    let mut command = child::clean_command("sh");
    command.args(["-c", "sleep 30 & echo started; sleep 30"]);
    let started = Instant::now();
    let err = child::run_to_end(&mut command, Output::Combined, Duration::from_millis(300))
        .err()
        .expect("the run is stopped");
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_finished_child_leaves_no_process_of_its_group_running() {
    let mut command = child::clean_command("sh");
    command.args(["-c", "sleep 30 & echo done"]);
    let mut group = Group::spawn(&mut command).unwrap();
    let status = group.wait_within(Duration::from_secs(10)).unwrap();
    assert!(status.success());
    // Killed at once; gone as soon as its new parent has reaped it.
    let deadline = Instant::now() + Duration::from_secs(2);
    while group.group_alive() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !group.group_alive(),
        "the background sleep was left running"
    );
}

#[test]
fn a_child_hears_sigint_even_when_the_tests_ignore_it() {
    // As in a job that a script started in the background.
    // SAFETY: SIG_IGN installs no handler; no other test here sends SIGINT.
    unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
    let mut command = child::clean_command("sh");
    command.args(["-c", "kill -INT $$; exit 3"]);
    let status = Group::spawn(&mut command)
        .unwrap()
        .wait_within(Duration::from_secs(10))
        .unwrap();
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status}");
}
