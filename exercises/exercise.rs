//! The exercise checker. `make exercise N` runs it on your copy of exercise N;
//! `make check-exercises` runs it on every committed starter, which must fail,
//! and every reference solution, which must pass.
//!
//! Your copy is `exercises/yours/exercise-N.rs`, made from the starter the
//! first time you check it. It is built as a small package of its own under
//! `target/`, so the committed starters stay as they are and keep failing.
//! Every check runs the program as a child process and measures what it does:
//! the descriptors it holds, the connections it closes, its heap.

mod measure;

#[path = "1-loop/check.rs"]
mod loop_check;

#[path = "2-heap/check.rs"]
mod heap_check;

#[path = "3-closures/check.rs"]
mod closures_check;

#[path = "4-detection/check.rs"]
mod detection_check;

use lexopt::{Arg, Parser, ValueExt};
use measure::Lab;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const NAME: &str = "exercise";

/// One exercise: its folder in `exercises/` holds `starter.rs`,
/// `solution.rs` and `check.rs`.
struct Exercise {
    number: usize,
    title: &'static str,
    folder: &'static str,
    check: fn(&Lab, &Path) -> io::Result<Verdict>,
}

const EXERCISES: &[Exercise] = &[
    Exercise {
        number: 1,
        title: "Back Up Files Without Keeping Them Open",
        folder: "1-loop",
        check: loop_check::check,
    },
    Exercise {
        number: 2,
        title: "Keep the Heap Flat",
        folder: "2-heap",
        check: heap_check::check,
    },
    Exercise {
        number: 3,
        title: "Close Every Connection Once",
        folder: "3-closures",
        check: closures_check::check,
    },
    Exercise {
        number: 4,
        title: "Find the Leak No Defer Shows",
        folder: "4-detection",
        check: detection_check::check,
    },
];

/// A checker's findings: what it measured, then PASS or FAIL with the reason.
#[derive(Default)]
pub struct Verdict {
    passed: bool,
    text: String,
}

impl Verdict {
    /// Adds a line about what was measured.
    pub fn note(&mut self, line: &str) {
        writeln!(self.text, "{}", wrap(line)).ok();
    }

    pub fn pass(mut self, why: &str) -> Self {
        self.passed = true;
        writeln!(self.text, "\n{}", wrap(&format!("PASS: {why}"))).ok();
        self
    }

    /// Fails, saying what went wrong and where in the program to look.
    pub fn fail(mut self, what: &str, where_to_look: &str) -> Self {
        self.passed = false;
        writeln!(self.text, "\n{}", wrap(&format!("FAIL: {what}"))).ok();
        writeln!(
            self.text,
            "{}",
            wrap(&format!("Where to look: {where_to_look}"))
        )
        .ok();
        self
    }
}

/// Wraps text at 78 columns, so that a checker's reasons can be written as
/// one string each. Lines that start with spaces are quoted output, kept as
/// they are.
fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        if paragraph.starts_with(' ') {
            lines.push(paragraph.to_string());
            continue;
        }
        lines.push(String::new());
        for word in paragraph.split(' ') {
            let line = lines.last_mut().expect("a line was just pushed");
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 78 {
                lines.push(word.to_string());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
    }
    lines.join("\n")
}

/// Which build of an exercise to check.
#[derive(Clone, Copy, PartialEq)]
enum Subject {
    Yours,
    Starter,
    Solution,
}

enum Task {
    Check(&'static Exercise, Subject),
    Verify,
}

fn usage() -> String {
    let numbers: Vec<String> = EXERCISES.iter().map(|e| e.number.to_string()).collect();
    let list: String = EXERCISES
        .iter()
        .map(|e| format!("  {}  {}\n", e.number, e.title))
        .collect();
    format!(
        "Usage: {NAME} N [--starter | --solution]\n\
         \x20      {NAME} --verify\n\n\
         Checks exercise N by running it and measuring what it does.\n\n\
         Exercises:\n{list}\n\
         Options:\n\
         \x20 N             the exercise: {}\n\
         \x20 (no option)   check your copy, exercises/yours/exercise-N.rs, made\n\
         \x20               from the starter if it does not exist yet\n\
         \x20 --starter     check the committed starter (it fails)\n\
         \x20 --solution    check the reference solution (it passes)\n\
         \x20 --verify      check that every starter fails and every solution passes\n\
         \x20 -h, --help    print this help\n",
        numbers.join(", ")
    )
}

/// Parses the command line. On `--help` or an error, prints it and returns
/// the exit code, as every example of the book does.
fn parse() -> Result<Task, ExitCode> {
    let parsed = (|| -> Result<Option<Task>, String> {
        let mut parser = Parser::from_env();
        let mut number: Option<String> = None;
        let mut subject = Subject::Yours;
        let mut verify = false;
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            match arg {
                Arg::Short('h') | Arg::Long("help") => return Ok(None),
                Arg::Long("starter") => subject = Subject::Starter,
                Arg::Long("solution") => subject = Subject::Solution,
                Arg::Long("verify") => verify = true,
                Arg::Value(value) if number.is_none() => {
                    number = Some(value.string().map_err(|e| e.to_string())?);
                }
                Arg::Value(value) => {
                    return Err(format!("unexpected argument '{}'", value.to_string_lossy()));
                }
                Arg::Long(name) => return Err(format!("unknown option '--{name}'")),
                Arg::Short(c) => return Err(format!("unknown option '-{c}'")),
            }
        }
        if verify {
            return match number {
                None if subject == Subject::Yours => Ok(Some(Task::Verify)),
                _ => Err("--verify checks every exercise: give it nothing else".into()),
            };
        }
        let number = number.ok_or("which exercise? Give its number")?;
        let exercise = EXERCISES
            .iter()
            .find(|e| e.number.to_string() == number)
            .ok_or_else(|| format!("there is no exercise '{number}'"))?;
        Ok(Some(Task::Check(exercise, subject)))
    })();
    defer_issues::cli::finish_parse(parsed, &usage())
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs `command`, a cargo build, and explains a failure.
fn build(mut command: Command, what: &str) -> io::Result<()> {
    let status = command.status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "{what} does not build (cargo says why above)"
        )));
    }
    Ok(())
}

/// Builds the committed starter or solution, a cargo example of this package.
fn build_committed(exercise: &Exercise, subject: Subject) -> io::Result<PathBuf> {
    let kind = if subject == Subject::Starter {
        "starter"
    } else {
        "solution"
    };
    let name = format!("exercise-{}-{kind}", exercise.number);
    let mut command = cargo();
    command.args(["build", "--quiet", "--example", &name]);
    build(command, &format!("exercises/{}/{kind}.rs", exercise.folder))?;
    Ok(target_dir().join("debug").join("examples").join(name))
}

/// Where your copy of `exercise` lives.
fn your_copy(exercise: &Exercise) -> PathBuf {
    root()
        .join("exercises")
        .join("yours")
        .join(format!("exercise-{}.rs", exercise.number))
}

/// Builds your copy with its own small manifest under `target/`, which
/// depends on this package, so that your copy can use what the starter does.
fn build_yours(exercise: &Exercise) -> io::Result<PathBuf> {
    let source = your_copy(exercise);
    let package = target_dir().join("exercises-yours");
    fs::create_dir_all(&package)?;
    let name = format!("exercise-{}", exercise.number);
    let manifest = format!(
        "# Made by the exercise checker to build your copies in exercises/yours/.\n\
         [package]\n\
         name = \"exercises-yours\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n\
         defer-issues = {{ path = {root:?} }}\n\
         libc = \"0.2\"\n\
         scopeguard = \"1.2\"\n\n\
         [[bin]]\n\
         name = \"{name}\"\n\
         path = {source:?}\n",
        root = root().display().to_string(),
        source = source.display().to_string(),
    );
    write_if_changed(&package.join("Cargo.toml"), &manifest)?;
    // The same dependency versions as this package, so nothing is fetched.
    write_if_changed(
        &package.join("Cargo.lock"),
        &fs::read_to_string(root().join("Cargo.lock"))?,
    )?;
    let mut command = cargo();
    command
        .args(["build", "--quiet", "--manifest-path"])
        .arg(package.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", package.join("target"));
    build(command, "your copy")?;
    Ok(package.join("target").join("debug").join(name))
}

/// Writes `text` unless the file already holds it, so cargo sees no change.
fn write_if_changed(path: &Path, text: &str) -> io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::write(path, text)
}

/// Builds and checks one exercise and prints the findings.
fn check(lab: &Lab, exercise: &Exercise, subject: Subject) -> io::Result<bool> {
    println!("Exercise {}: {}", exercise.number, exercise.title);
    let program = match subject {
        Subject::Yours => {
            let copy = your_copy(exercise);
            let shown = copy.strip_prefix(root()).unwrap_or(&copy).display();
            if copy.exists() {
                println!("Checking your copy, {shown}");
            } else {
                fs::create_dir_all(copy.parent().expect("the copy is in a folder"))?;
                let starter = root()
                    .join("exercises")
                    .join(exercise.folder)
                    .join("starter.rs");
                fs::copy(starter, &copy)?;
                println!("Made your copy, {shown}, from the starter: edit it there.");
                println!("Checking your copy, {shown}");
            }
            build_yours(exercise)
        }
        Subject::Starter => {
            println!(
                "Checking the starter, exercises/{}/starter.rs",
                exercise.folder
            );
            build_committed(exercise, subject)
        }
        Subject::Solution => {
            println!(
                "Checking the solution, exercises/{}/solution.rs",
                exercise.folder
            );
            build_committed(exercise, subject)
        }
    };
    let verdict = program.and_then(|program| (exercise.check)(lab, &program));
    match verdict {
        Ok(verdict) => {
            print!("\n{}", verdict.text);
            Ok(verdict.passed)
        }
        Err(err) => {
            println!("\nFAIL: {err}");
            Ok(false)
        }
    }
}

/// Checks that every starter fails its checker and every solution passes.
fn verify(lab: &Lab) -> io::Result<bool> {
    let mut all_as_expected = true;
    for exercise in EXERCISES {
        for (subject, expected) in [(Subject::Starter, false), (Subject::Solution, true)] {
            let program = build_committed(exercise, subject)?;
            let verdict = (exercise.check)(lab, &program)?;
            let (kind, expected_word) = match subject {
                Subject::Starter => ("starter", "FAIL"),
                _ => ("solution", "PASS"),
            };
            if verdict.passed == expected {
                println!(
                    "exercise {}: {kind} gives {expected_word}, as it should",
                    exercise.number
                );
            } else {
                all_as_expected = false;
                println!(
                    "exercise {}: {kind} should give {expected_word}, but the checker said:\n{}",
                    exercise.number,
                    measure::indent(&verdict.text)
                );
            }
        }
    }
    if all_as_expected {
        println!(
            "All {} checkers fail on their starter and pass on their solution.",
            EXERCISES.len()
        );
    }
    Ok(all_as_expected)
}

fn main() -> ExitCode {
    let task = match parse() {
        Ok(task) => task,
        Err(code) => return code,
    };
    let lab = match Lab::new() {
        Ok(lab) => lab,
        Err(err) => {
            eprintln!("error: cannot make a temporary directory: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match task {
        Task::Check(exercise, subject) => check(&lab, exercise, subject),
        Task::Verify => verify(&lab),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
