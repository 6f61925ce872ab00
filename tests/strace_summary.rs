//! The strace summary's arithmetic, on strace output written by hand, so
//! that every number it prints can be checked exactly.

mod support;

use std::io::Write;
use std::process::Stdio;

fn summarize(strace_output: &str, args: &[&str]) -> String {
    let mut child = support::clean_command(support::example("strace-summary"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(strace_output.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    support::text(&out.stdout)
}

#[test]
fn counts_held_files_across_threads_and_split_lines() {
    // Two files held together; the second open is split by another thread's
    // call, and the last close is split too. Timestamps as `-ttt` prints them.
    let trace = r#"10.000000 openat(AT_FDCWD</w>, "/t/logfile_0.txt", O_WRONLY) = 3</t/logfile_0.txt>
[pid 7] 10.001000 openat(AT_FDCWD</w>, "/t/logfile_1.txt", O_WRONLY <unfinished ...>
[pid 8] 10.002000 close(9</proc/7/fd>) = 0
[pid 7] 10.003000 <... openat resumed>) = 4</t/logfile_1.txt>
[pid 7] 10.004000 openat(AT_FDCWD</w>, "/proc/self/fd", O_RDONLY) = 5</proc/7/fd>
[pid 7] 10.005000 close(5</proc/7/fd>)    = 0
[pid 7] 10.250000 close(4</t/logfile_1.txt>) = 0
[pid 7] 10.500000 close(3</t/logfile_0.txt> <unfinished ...>
[pid 7] 10.600000 <... close resumed>) = 0
"#;
    assert_eq!(
        summarize(trace, &[]),
        "Files matching \"logfile_\": 2 opened, 2 closed, 0 never closed\n\
         Most open at once: 2\n\
         Closed after the last open: 2 of 2\n\
         Held longest, in calls: logfile_0.txt, open while 5 other calls ran\n\
         Held longest, in time: 500.00ms\n"
    );
}

#[test]
fn one_file_at_a_time_without_timestamps() {
    let trace = "openat(AT_FDCWD</w>, \"/t/a.log\", O_WRONLY) = 3</t/a.log>
close(3</t/a.log>) = 0
openat(AT_FDCWD</w>, \"/t/b.log\", O_WRONLY) = 3</t/b.log>
openat(AT_FDCWD</w>, \"/t/c.txt\", O_WRONLY) = 4</t/c.txt>
";
    assert_eq!(
        summarize(trace, &["--paths", ".log"]),
        "Files matching \".log\": 2 opened, 1 closed, 1 never closed\n\
         Most open at once: 1\n\
         Closed after the last open: 0 of 1\n\
         Held longest, in calls: a.log, open while 0 other calls ran\n\
         Held longest, in time: unknown (run strace with -ttt)\n"
    );
}

#[test]
fn bad_input_gets_one_error_line_the_usage_and_status_2() {
    for args in [&["--paths"][..], &["--bogus"], &["stray"]] {
        support::assert_usage_error("strace-summary", args);
    }
}
