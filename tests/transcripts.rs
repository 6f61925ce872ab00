//! The book's promise: every block of program output it shows is what the
//! program prints today.
//!
//! Output lives in `src/transcripts/*.console`, one file per block, included
//! into `console` fences. Each file is a terminal session: `$ command` lines,
//! each followed by what it printed. This test runs every command again and
//! compares, after putting today's PIDs in place of the recorded ones and
//! masking the other values that change from run to run (temporary paths,
//! durations, addresses, dates, inode numbers) on both sides.
//!
//! `SNAPSHOTS=overwrite cargo test --test transcripts` re-records every file.
//!
//! Commands run with `sh -c` from the repository root. `cargo run --example
//! NAME --` runs the example built by `cargo build --examples`. An example run
//! with `--pause-at` stays running while the commands after it run, as if in a
//! second terminal: its output is read up to its `Press Enter` prompt, the
//! later commands get its PID in place of the recorded one, and it is sent
//! Enter when the session ends. In a new transcript, write `<PID>` for the PID
//! of the latest such example; recording replaces it with the real number.

mod support;

use defer_issues_harness::child::{self, Group};
use regex::Regex;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const TRANSCRIPTS: &str = "src/transcripts";

/// One `$ command` and the lines it printed.
struct Step {
    command: String,
    output: String,
}

fn parse(transcript: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in transcript.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                output: String::new(),
            });
        } else {
            let step = steps
                .last_mut()
                .expect("a transcript starts with a `$ ` command line");
            step.output.push_str(line);
            step.output.push('\n');
        }
    }
    steps
}

fn render(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| format!("$ {}\n{}", s.command, s.output))
        .collect()
}

/// The PIDs a transcript shows: each program prints `PID n`.
fn pids(text: &str) -> Vec<String> {
    static PID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bPID (\d+)").unwrap());
    PID.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// The checkout's absolute path (strace prints the working directory) is the
/// recording machine's, not the reader's: recorded files show `[ROOT]`.
fn mask_checkout(text: &str) -> String {
    text.replace(&support::root().display().to_string(), "[ROOT]")
}

/// The recorded transcript with each PID it shows replaced by the one the
/// programs print now, in the same order. PIDs are swapped rather than
/// masked on both sides: a mask would also hide any other number that
/// happens to equal one of today's PIDs (a heap of 7285 B in a run whose PID
/// is 7285), and the texts would differ by chance.
fn with_todays_pids(recorded: &str, now: &str) -> String {
    swap_pids(recorded, pids(recorded).into_iter().zip(pids(now)))
}

/// `text` with each whole number that is a recorded PID replaced by today's,
/// all at once (so no PID is replaced twice).
fn swap_pids(text: &str, swaps: impl IntoIterator<Item = (String, String)>) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d+\b").unwrap());
    let swaps: HashMap<String, String> = swaps.into_iter().collect();
    NUMBER
        .replace_all(text, |number: &regex::Captures| {
            swaps
                .get(&number[0])
                .cloned()
                .unwrap_or_else(|| number[0].to_string())
        })
        .into_owned()
}

/// Masks what varies between runs and machines, PIDs aside (see
/// [`with_todays_pids`]); everything else must match.
fn normalize(text: &str) -> String {
    let text = mask_checkout(text);
    static RULES: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            // tempfile's directories: `/tmp/loop-leak-a1B2c3`
            (
                r"(?:/[^\s/]+)*/([a-z][a-z0-9-]*-)[A-Za-z0-9]{6}\b",
                "[TMP]/${1}XXXXXX",
            ),
            (r"\b\d+(?:\.\d+)?(?:s|ms|µs|ns)\b", "[TIME]"),
            (r"\b0x[0-9a-f]{4,}\b", "[ADDR]"),
            // `ls -l`: owner, group and modification time
            (
                r"(?m)^([l-][rwx-]{9}) +\d+ +\S+ +\S+ +\d+ +\w{3} +\d+ +\d\d:\d\d ",
                "$1 [OWNER] [DATE] ",
            ),
            // lsof: user, device and inode
            (
                r"(?m)^(\S+ +\d+) +\S+ +(\d+[rwu]|cwd|txt|mem|rtd) +(\S+) +\S+ +(\d+) +\d+ ",
                "$1 [USER] $2 $3 [DEVICE] $4 [INODE] ",
            ),
            // strace -f: the `[pid N]` prefix, printed only while strace sees
            // more than one thread; and the working directory `-y` shows
            (r"(?m)^\[pid +\d+\] ", ""),
            (r"AT_FDCWD<[^>]*>", "AT_FDCWD<[CWD]>"),
            // go tool pprof: when the profile was written
            (r"(?m)^Time: .+$", "Time: [DATE]"),
            (r" {2,}", " "),
        ]
        .into_iter()
        .map(|(pattern, replacement)| (Regex::new(pattern).unwrap(), replacement))
        .collect()
    });
    let mut text = text;
    for (pattern, replacement) in RULES.iter() {
        text = pattern.replace_all(&text, *replacement).into_owned();
    }
    text.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// Turns `cargo run --example NAME -- ARGS` into the built example's path.
/// A profiler's command names the file, `target/debug/examples/NAME`, and
/// runs it by that relative path: programs allocate their own path, so a
/// profile's byte totals depend on its length. Where cargo builds elsewhere
/// (CARGO_TARGET_DIR), that path is made a link to the real file.
fn resolve(command: &str) -> String {
    static CARGO_RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"cargo run --example ([\w-]+)(?: --)?").unwrap());
    static BUILT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\btarget/debug/examples/([\w-]+)").unwrap());
    for name in BUILT.captures_iter(command) {
        link_where_readers_look(&name[1]);
    }
    CARGO_RUN
        .replace_all(command, |c: &regex::Captures| {
            support::example(&c[1]).display().to_string()
        })
        .into_owned()
}

/// Makes `target/debug/examples/NAME` in the checkout lead to the built
/// example, if cargo builds somewhere else.
fn link_where_readers_look(name: &str) {
    static LINKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = LINKING.lock().unwrap();
    let built = support::example(name);
    let shown = support::root().join("target/debug/examples").join(name);
    if fs::canonicalize(&shown).ok() == fs::canonicalize(&built).ok() {
        return;
    }
    fs::create_dir_all(shown.parent().unwrap()).unwrap();
    fs::remove_file(&shown).ok();
    std::os::unix::fs::symlink(&built, &shown).unwrap();
}

/// Shows the examples' folder as readers of the book have it,
/// `target/debug/examples`, wherever this checkout builds them.
fn as_readers_see_it(output: &str) -> String {
    let built = support::example("").display().to_string();
    output.replace(built.trim_end_matches('/'), "target/debug/examples")
}

/// Runs a transcript's commands in order and records what they print now.
fn replay(recorded: &[Step]) -> Vec<Step> {
    let recorded_pids = pids(&render(recorded));
    // Killed with everything they started if this test fails on the way.
    let mut background: Vec<Group> = Vec::new();
    let mut steps = Vec::new();
    for step in recorded {
        // Point the command at today's background process, not the recorded one.
        let todays = background.iter().map(|child| child.id().to_string());
        let mut command = swap_pids(&step.command, recorded_pids.iter().cloned().zip(todays));
        if let Some(child) = background.last() {
            command = command.replace("<PID>", &child.id().to_string());
        }
        let output = if command.contains("--pause-at") {
            let (child, output) = start_paused(&resolve(&command));
            background.push(child);
            output
        } else {
            run(&resolve(&command))
        };
        let output = as_readers_see_it(&output);
        steps.push(Step { command, output });
    }
    for mut child in background {
        child.stdin().unwrap().write_all(b"\n").unwrap();
        child.close_stdin();
        let status = child.wait_within(support::RUN_TIMEOUT).unwrap();
        assert!(status.success(), "background program failed: {status}");
    }
    steps
}

/// Runs `sh -c command`, capturing stdout and stderr together, as a terminal shows them.
fn run(command: &str) -> String {
    let mut sh = support::clean_command("sh");
    sh.args(["-c", command]).current_dir(support::root());
    let finished = child::run_to_end(&mut sh, child::Output::Combined, support::RUN_TIMEOUT)
        .unwrap_or_else(|err| panic!("{command}: {err}"));
    finished.stdout
}

/// Starts an example that pauses, and reads its output up to the pause.
fn start_paused(command: &str) -> (Group, String) {
    let mut words = command.split_whitespace();
    let mut program = support::clean_command(words.next().unwrap());
    program.args(words).current_dir(support::root());
    child::start_paused(&mut program).unwrap_or_else(|err| panic!("{command}: {err}"))
}

fn transcript_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(support::root().join(TRANSCRIPTS))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "console"))
        .collect();
    files.sort();
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn transcripts_match_what_the_programs_print_today() {
    let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    let files = transcript_files();
    assert!(!files.is_empty(), "no transcripts in {TRANSCRIPTS}");
    // Profilers write their output to `target/` as readers' commands do,
    // which need not exist when cargo builds elsewhere (CARGO_TARGET_DIR).
    fs::create_dir_all(support::root().join("target")).unwrap();
    // The programs are paced, so replay them side by side.
    let results: Vec<(PathBuf, String, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|path| {
                scope.spawn(move || {
                    let recorded = fs::read_to_string(path).unwrap();
                    let actual = render(&replay(&parse(&recorded)));
                    (path.clone(), recorded, actual)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (path, recorded, actual) in results {
        let (expected, got) = (
            normalize(&with_todays_pids(&recorded, &actual)),
            normalize(&actual),
        );
        if expected == got {
            continue;
        }
        if overwrite {
            fs::write(&path, mask_checkout(&actual)).unwrap();
            continue;
        }
        let diff = similar::TextDiff::from_lines(&expected, &got);
        failures.push(format!(
            "{} differs from what its commands print now (- recorded, + now):\n{}",
            name(&path),
            diff.unified_diff().context_radius(3)
        ));
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the change is intended, re-record with: make record",
        failures.join("\n")
    );
}

#[test]
fn a_number_that_equals_todays_pid_still_counts() {
    let recorded = "$ prog\nprog: PID 100\nHeap: 7285 B, /proc/100/fd\n";
    let now = "$ prog\nprog: PID 7285\nHeap: 7285 B, /proc/7285/fd\n";
    assert_eq!(normalize(&with_todays_pids(recorded, now)), normalize(now));
    let changed = "$ prog\nprog: PID 7285\nHeap: 7286 B, /proc/7285/fd\n";
    assert_ne!(
        normalize(&with_todays_pids(recorded, changed)),
        normalize(changed)
    );
}
