//! Every example in a hostile world: bad and huge numbers, a closed pipe or
//! a full disk on stdout, a stdout nobody reads, and Ctrl-C or SIGTERM at
//! several moments, the first right after the start. Each run has a private
//! TMPDIR that must be empty afterwards, must end within a deadline, and must
//! leave no process of its group running. All failures are listed at once.

mod support;

use defer_issues_harness::child::{self, Group};
use std::fs::{self, File};
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use support::{clean_command, example};

/// The examples that write files in a work directory, and take FileOptions.
const FILE_EXAMPLES: [&str; 5] = [
    "bounded-batch",
    "case-emfile-fixed",
    "case-emfile-leak",
    "loop-fixed",
    "loop-leak",
];

/// Where a run's stdout goes.
#[derive(Clone, Copy, Debug)]
enum Stdout {
    /// A file, read afterwards.
    File,
    /// A pipe whose reading end is already closed, as in `| head -0`.
    ClosedPipe,
    /// `/dev/full`, where every write fails with "No space left on device".
    Full,
    /// A full pipe nobody reads: the first write blocks.
    Blocked,
}

/// What a run must end with.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exit status 2, one `error:` line containing the text, nothing on stdout.
    UsageError(&'static str),
    /// Ended by SIGPIPE with nothing on stderr, as `yes | head -1` is.
    Quiet,
    /// Exit status 1 with exactly one `error:` line.
    OneErrorLine,
    /// Exit status 130 (or killed by the signal before any handler was
    /// installed, or the status of a run that finished first): never an
    /// error, a panic or an abort.
    Interrupted,
}

struct Case {
    program: &'static str,
    args: Vec<String>,
    stdout: Stdout,
    /// The signal to send, and how long after the start.
    signal: Option<(i32, Duration)>,
    expect: Expect,
}

impl Case {
    fn label(&self) -> String {
        let signal = self.signal.map_or_else(String::new, |(s, after)| {
            format!(" signal {s} after {after:?}")
        });
        format!(
            "{} {:?} stdout {:?}{signal}",
            self.program, self.args, self.stdout
        )
    }
}

/// Arguments with which `program` does its ordinary work quickly, given the
/// fixtures in `fixtures`.
fn working_args(program: &str, fixtures: &Path) -> Vec<String> {
    let args: Vec<String> = match program {
        _ if FILE_EXAMPLES.contains(&program) => {
            vec![
                "--files".into(),
                "100".into(),
                "--delay-ms".into(),
                "1".into(),
            ]
        }
        "counting-overhead" => vec![
            "--rounds".into(),
            "3".into(),
            "--pairs".into(),
            "1000".into(),
        ],
        "dhat-sites" => vec![
            "--input".into(),
            fixtures.join("dhat.json").display().to_string(),
        ],
        "drop-unwind" => vec!["--case".into(), "unwind".into()],
        "fd-peak" => vec![
            "--max".into(),
            "16".into(),
            example("loop-leak").display().to_string(),
            "--files".into(),
            "5".into(),
            "--delay-ms".into(),
            "0".into(),
        ],
        _ => vec![],
    };
    args
}

/// Bad input for `program`, each with text its error line must contain.
fn bad_inputs(program: &str) -> Vec<(Vec<&'static str>, &'static str)> {
    let huge = "99999999999999999999999";
    let mut cases = vec![(vec!["--bogus"], "unknown option")];
    if program != "fd-peak" {
        cases.push((vec!["stray"], "unexpected argument"));
    }
    if FILE_EXAMPLES.contains(&program) {
        cases.extend([
            (vec!["--files", "0"], "at least 1"),
            (vec!["--files", "-1"], "--files"),
            (vec!["--files", huge], "too large"),
            (vec!["--files", "1000001"], "too large"),
            (vec!["--delay-ms", "18446744073709551615"], "too large"),
            (vec!["--delay-ms", "1000000000"], "too large"),
            (vec!["--delay-ms", huge], "too large"),
            (vec!["--pause-at", "0"], "at least 1"),
            (vec!["--pause-at", huge], "too large"),
            (vec!["--nofile", huge], "too large"),
        ]);
        // Below stdin, stdout, stderr and one file.
        for nofile in ["1", "2", "3"] {
            cases.push((vec!["--nofile", nofile], "at least"));
        }
    }
    match program {
        "bounded-batch" => cases.extend([
            (vec!["--batch", "0"], "at least 1"),
            (vec!["--batch", huge], "too large"),
        ]),
        "counting-overhead" => cases.extend([
            (vec!["--rounds", "0"], "at least 1"),
            (vec!["--rounds", "1000000000"], "too large"),
            (vec!["--rounds", huge], "too large"),
            (vec!["--pairs", "1000000000"], "too large"),
            (vec!["--pairs", huge], "too large"),
        ]),
        "cleanup-cost" => cases.extend([
            (vec!["--cleanups", "0"], "at least 1"),
            (vec!["--cleanups", huge], "too large"),
        ]),
        "dhat-sites" => cases.extend([
            (vec!["--input", ""], "--input"),
            (vec!["--top", huge], "too large"),
            (vec!["--frames", huge], "too large"),
        ]),
        "fd-peak" => cases.extend([(vec![""], "PROGRAM"), (vec!["--max", huge], "too large")]),
        _ => {}
    }
    cases
}

/// Every example, from the names of the files in examples/.
fn programs() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = fs::read_dir(support::root().join("examples"))
        .unwrap()
        .map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            &*name.strip_suffix(".rs").unwrap().to_string().leak()
        })
        .collect();
    names.sort();
    names
}

fn cases(fixtures: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for program in programs() {
        let args = working_args(program, fixtures);
        for (bad, text) in bad_inputs(program) {
            cases.push(Case {
                program,
                args: bad.iter().map(|s| s.to_string()).collect(),
                stdout: Stdout::File,
                signal: None,
                expect: Expect::UsageError(text),
            });
        }
        for (stdout, expect) in [
            (Stdout::ClosedPipe, Expect::Quiet),
            (Stdout::Full, Expect::OneErrorLine),
        ] {
            cases.push(Case {
                program,
                args: args.clone(),
                stdout,
                signal: None,
                expect,
            });
        }
        let moments = [0, 1, 5, 20, 80, 250].map(Duration::from_millis);
        for signal in [libc::SIGINT, libc::SIGTERM] {
            for after in moments {
                cases.push(Case {
                    program,
                    args: args.clone(),
                    stdout: Stdout::File,
                    signal: Some((signal, after)),
                    expect: Expect::Interrupted,
                });
            }
            cases.push(Case {
                program,
                args: args.clone(),
                stdout: Stdout::Blocked,
                signal: Some((signal, Duration::from_millis(150))),
                expect: Expect::Interrupted,
            });
        }
    }
    cases
}

/// A pipe, as (reading end, writing end).
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two new descriptors into the array.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both descriptors are new and owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// A pipe shrunk to one page and filled, so that the next write blocks.
fn full_pipe() -> (OwnedFd, OwnedFd) {
    use std::os::fd::AsRawFd;
    let (read, write) = pipe();
    let fd = write.as_raw_fd();
    // SAFETY: fcntl only changes this pipe's size and flags.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, 4096);
        libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK);
    }
    let mut writer = File::from(write.try_clone().unwrap());
    while writer.write(&[b'x'; 512]).is_ok() {}
    // The flag belongs to the pipe, which the child shares: clear it.
    // SAFETY: as above.
    unsafe { libc::fcntl(fd, libc::F_SETFL, 0) };
    (read, write)
}

/// How long any run may take, signals or not.
const DEADLINE: Duration = Duration::from_secs(15);

/// Runs one case and returns what went wrong, if anything.
fn check(case: &Case, scratch: &Path) -> Option<String> {
    let tmpdir = scratch.join("tmp");
    fs::create_dir(&tmpdir).unwrap();
    let (out_path, err_path) = (scratch.join("stdout"), scratch.join("stderr"));
    let mut command = clean_command(example(case.program));
    command
        .args(&case.args)
        .env("TMPDIR", &tmpdir)
        .stdin(File::open(scratch.parent().unwrap().join("strace.txt")).unwrap())
        .stderr(File::create(&err_path).unwrap());
    // The reading end of a pipe is made while no other thread spawns: a
    // child forked meanwhile would keep a closed pipe's reading end open.
    let (mut child, reader) = Group::spawn_with(&mut command, |command| {
        Ok(match case.stdout {
            Stdout::File => {
                command.stdout(File::create(&out_path)?);
                None
            }
            Stdout::ClosedPipe => {
                command.stdout(Stdio::from(pipe().1));
                None
            }
            Stdout::Full => {
                command.stdout(File::create("/dev/full")?);
                None
            }
            Stdout::Blocked => {
                // The reading end, held open until the run ends.
                let (read, write) = full_pipe();
                command.stdout(Stdio::from(write));
                Some(read)
            }
        })
    })
    .unwrap();
    let started = Instant::now();
    if let Some((signal, after)) = case.signal {
        thread::sleep(after.saturating_sub(started.elapsed()));
        // Ctrl-C reaches a terminal's whole foreground group; `kill` one process.
        if signal == libc::SIGINT {
            child.signal_group(signal).unwrap();
        } else {
            child.signal(signal).unwrap();
        }
    }
    let status = child.wait_until(started + DEADLINE).unwrap();
    drop(reader);
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap();
    let mut problems = Vec::new();
    match status {
        None => problems.push(format!("still running after {DEADLINE:?}")),
        Some(status) => {
            if let Some(problem) = judge(case, status, &stdout, &stderr) {
                problems.push(problem);
            }
            // Give what the child started time to finish on its own.
            let waited = Instant::now();
            while child.group_alive() && waited.elapsed() < Duration::from_secs(2) {
                thread::sleep(Duration::from_millis(10));
            }
            if child.group_alive() {
                problems.push("left a process running".into());
            }
        }
    }
    let left: Vec<_> = fs::read_dir(&tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    if !left.is_empty() {
        problems.push(format!("left {left:?} in TMPDIR"));
    }
    (!problems.is_empty()).then(|| {
        let stderr: String = stderr.lines().take(3).collect::<Vec<_>>().join(" / ");
        format!(
            "{}: {} (stderr: {stderr})",
            case.label(),
            problems.join("; ")
        )
    })
}

/// What is wrong with how a run ended, if anything.
fn judge(case: &Case, status: ExitStatus, stdout: &str, stderr: &str) -> Option<String> {
    let expect = case.expect;
    use std::os::unix::process::ExitStatusExt;
    let (code, signal) = (status.code(), status.signal());
    let error_lines = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    let ok = match expect {
        Expect::UsageError(text) => {
            code == Some(2)
                && stdout.is_empty()
                && stderr
                    .lines()
                    .next()
                    .is_some_and(|l| l.starts_with("error: ") && l.contains(text))
        }
        Expect::Quiet => signal == Some(libc::SIGPIPE) && stderr.is_empty(),
        Expect::OneErrorLine => code == Some(1) && error_lines == 1 && stderr.lines().count() == 1,
        Expect::Interrupted => {
            // drop-unwind's own run ends in the panic it demonstrates.
            let finished = if case.program == "drop-unwind" {
                101
            } else {
                0
            };
            (code == Some(130)
                || code == Some(finished)
                || signal == Some(libc::SIGINT)
                || signal == Some(libc::SIGTERM))
                && !stderr.contains("panicked at")
        }
    };
    (!ok).then(|| format!("expected {expect:?}, got {status}"))
}

#[test]
fn every_example_survives_bad_input_broken_output_and_signals() {
    // Whatever an example leaves running is reparented here, to be seen.
    child::adopt_orphans().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let fixtures = scratch.path();
    // A tiny DHAT profile and strace log, for the examples that read one.
    fs::write(
        fixtures.join("dhat.json"),
        r#"{"cmd":"x","ftbl":["[root]"],"pps":[{"tb":8,"tbk":1,"gb":8,"gbk":1,"eb":0,"ebk":0,"fs":[0]}]}"#,
    )
    .unwrap();
    fs::write(
        fixtures.join("strace.txt"),
        "1.000100 openat(AT_FDCWD, \"/t/logfile_0.txt\", O_WRONLY) = 3</t/logfile_0.txt>\n\
         1.000200 close(3</t/logfile_0.txt>) = 0\n",
    )
    .unwrap();
    let cases = cases(fixtures);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    // Most runs wait for a signal or a deadline: more workers than cores.
    thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let dir: PathBuf = fixtures.join(format!("case-{i}"));
                    fs::create_dir(&dir).unwrap();
                    if let Some(failure) = check(case, &dir) {
                        failures.lock().unwrap().push(failure);
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} runs went wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
