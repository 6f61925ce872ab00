//! What the runner's commands do.

mod copies;
mod progress;

use copies::YourCopy;
use defer_issues_exercises::registry::{EXERCISES, Exercise};
use defer_issues_exercises::verdict::{Verdict, indent};
use defer_issues_harness::cargo;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// Which program of an exercise to check.
#[derive(Clone, Copy, PartialEq)]
pub enum Subject {
    Yours,
    Starter,
    Solution,
}

/// The built program `bin` of the exercises package.
fn built(bin: &str) -> io::Result<PathBuf> {
    cargo::binary(bin)
}

fn build_committed(bins: &[String]) -> io::Result<()> {
    let mut args = vec!["--package", "defer-issues-exercises"];
    for bin in bins {
        args.extend(["--bin", bin]);
    }
    cargo::build(&args)
}

/// `exercise`: the list, with your progress and what comes next.
pub fn list() -> io::Result<bool> {
    let progress = progress::Progress::load()?;
    let mut next = None;
    println!("Exercises (your copies are in exercises/yours/src/bin/):\n");
    for exercise in EXERCISES {
        let copy = YourCopy::of(exercise);
        let state = match copy.content()? {
            None => "not started",
            Some(content) if progress.passed(exercise, &content) => "done",
            Some(_) if progress.passed_before(exercise) => "changed since its PASS",
            Some(_) => "in progress",
        };
        if state != "done" && next.is_none() {
            next = Some(exercise);
        }
        println!(
            "  {}  {:<48} {:>3} min  {state}",
            exercise.number, exercise.title, exercise.minutes
        );
    }
    match next {
        Some(exercise) => println!(
            "\nNext: exercise {}. Check it with `make exercise {}`; \
             `cargo exercise hint {}` if you are stuck.",
            exercise.number, exercise.number, exercise.number
        ),
        None => println!("\nAll done: every exercise passes."),
    }
    Ok(true)
}

/// `exercise N`: builds and checks one program of exercise N.
pub fn check(exercise: &'static Exercise, subject: Subject) -> io::Result<bool> {
    println!("Exercise {}: {}", exercise.number, exercise.title);
    let verdict = match subject {
        Subject::Yours => {
            let copy = YourCopy::of(exercise);
            if copy.make_from_starter()? {
                println!(
                    "Made your copy, {}, from the starter: edit it there.",
                    copy.shown()
                );
            }
            println!("Checking your copy, {}", copy.shown());
            let built = copy.build()?;
            let verdict = judge(exercise, built.program())?;
            if verdict.passed() {
                progress::Progress::record_pass(exercise, built.content())?;
            }
            verdict
        }
        Subject::Starter | Subject::Solution => {
            let (bin, kind) = match subject {
                Subject::Starter => (exercise.starter_bin(), "starter"),
                _ => (exercise.solution_bin(), "solution"),
            };
            println!(
                "Checking the {kind}, exercises/{}/{kind}.rs",
                exercise.folder
            );
            build_committed(std::slice::from_ref(&bin))?;
            judge(exercise, &built(&bin)?)?
        }
    };
    print!("\n{}", verdict.text());
    if verdict.passed() && subject == Subject::Yours {
        println!(
            "\nSolved. Compare with the reference solution: `cargo exercise solution {}`.",
            exercise.number
        );
    } else if !verdict.passed() && subject == Subject::Yours {
        println!(
            "\nStuck? `cargo exercise hint {}` gives a first hint.",
            exercise.number
        );
    }
    Ok(verdict.passed())
}

/// Runs the checker, turning an error of the run into a FAIL that says so.
fn judge(exercise: &Exercise, program: &Path) -> io::Result<Verdict> {
    (exercise.check)(program).or_else(|err| {
        Ok(Verdict::default().fail(
            &format!("the check could not finish: {err}."),
            "run the program by hand: a hang or a crash shows there.",
        ))
    })
}

/// `exercise all`: checks every copy you have.
pub fn check_all() -> io::Result<bool> {
    let mut all_pass = true;
    let mut any = false;
    for exercise in EXERCISES {
        if YourCopy::of(exercise).content()?.is_none() {
            continue;
        }
        any = true;
        all_pass &= check(exercise, Subject::Yours)?;
        println!();
    }
    if !any {
        println!("You have no copies yet: start with `make exercise 1`.");
    }
    Ok(all_pass && any)
}

/// `exercise watch [N]`: checks again whenever the copy's content changes.
/// It polls the file rather than waiting for change notices, which some
/// file systems (WSL's /mnt/c, network drives) never send.
pub fn watch(exercise: Option<&'static Exercise>) -> io::Result<bool> {
    let exercise = match exercise {
        Some(exercise) => exercise,
        None => {
            let progress = progress::Progress::load()?;
            let mut next = None;
            for exercise in EXERCISES {
                let content = YourCopy::of(exercise).content()?;
                if !content.is_some_and(|c| progress.passed(exercise, &c)) {
                    next = Some(exercise);
                    break;
                }
            }
            match next {
                Some(exercise) => exercise,
                None => {
                    println!("All done: every exercise passes.");
                    return Ok(true);
                }
            }
        }
    };
    let copy = YourCopy::of(exercise);
    let mut last_checked: Option<Vec<u8>> = None;
    loop {
        let content = copy.content()?;
        if content.is_none() || content != last_checked {
            check(exercise, Subject::Yours)?;
            last_checked = copy.content()?;
            println!("\nWatching {} for changes; Ctrl-C to stop.", copy.shown());
        }
        thread::sleep(Duration::from_millis(300));
    }
}

/// `exercise hint N [LEVEL]`.
pub fn hint(exercise: &Exercise, level: usize) -> io::Result<bool> {
    let levels = exercise.hint_levels();
    let Some(text) = levels.get(level - 1) else {
        return Err(io::Error::other(format!(
            "exercise {} has {} hints",
            exercise.number,
            levels.len()
        )));
    };
    println!(
        "Exercise {}, hint {level} of {}:\n\n{text}",
        exercise.number,
        levels.len()
    );
    if level < levels.len() {
        println!(
            "\nMore: `cargo exercise hint {} {}`",
            exercise.number,
            level + 1
        );
    }
    Ok(true)
}

/// `exercise reset N`: keeps your copy as a backup and starts over.
pub fn reset(exercise: &'static Exercise) -> io::Result<bool> {
    let copy = YourCopy::of(exercise);
    if let Some(backup) = copy.set_aside()? {
        println!("Kept your old copy as {}", backup.display());
    }
    copy.make_from_starter()?;
    println!("{} is the starter again.", copy.shown());
    Ok(true)
}

/// `exercise solution N`: where the reference solution is, after a PASS.
pub fn solution(exercise: &Exercise) -> io::Result<bool> {
    if !progress::Progress::load()?.passed_before(exercise) {
        println!(
            "The solution of exercise {} is shown once your copy passes: \
             `make exercise {}`. Stuck? `cargo exercise hint {}`.",
            exercise.number, exercise.number, exercise.number
        );
        return Ok(false);
    }
    println!(
        "The reference solution of exercise {}: exercises/{}/solution.rs\n\
         Explained in the book: src/exercises/{}-solution.md",
        exercise.number, exercise.folder, exercise.folder
    );
    Ok(true)
}

/// `exercise --verify`: every starter and every cheat FAILs, naming what is
/// missing, and every solution PASSes. Students' copies are never looked at.
pub fn verify() -> io::Result<bool> {
    cargo::build(&["--package", "defer-issues-exercises", "--bins"])?;
    // Checks spend most of their time waiting for programs: run them side by side.
    let reports: Vec<io::Result<(bool, String)>> = thread::scope(|scope| {
        let handles: Vec<_> = EXERCISES
            .iter()
            .map(|exercise| scope.spawn(move || verify_one(exercise)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a check does not panic"))
            .collect()
    });
    let mut all = true;
    for report in reports {
        let (ok, text) = report?;
        all &= ok;
        print!("{text}");
    }
    if all {
        println!(
            "All {} checkers fail on their starter and every cheat, and pass on every solution.",
            EXERCISES.len()
        );
    }
    Ok(all)
}

fn verify_one(exercise: &Exercise) -> io::Result<(bool, String)> {
    // Each program, and whether it should pass.
    let mut programs = vec![
        ("starter".to_string(), exercise.starter_bin(), false),
        ("solution".to_string(), exercise.solution_bin(), true),
    ];
    for name in exercise.honest {
        programs.push((
            format!("honest solution '{name}'"),
            exercise.honest_bin(name),
            true,
        ));
    }
    let mut ok = true;
    let mut text = String::new();
    let mut line = |ok_here: bool, what: String, verdict: &Verdict| {
        if ok_here {
            text.push_str(&format!("exercise {}: {what}\n", exercise.number));
        } else {
            text.push_str(&format!(
                "exercise {}: {what}, but the checker said:\n{}\n",
                exercise.number,
                indent(verdict.text())
            ));
        }
    };
    for (what, bin, should_pass) in programs {
        let verdict = judge(exercise, &built(&bin)?)?;
        let right = verdict.passed() == should_pass;
        ok &= right;
        let word = if should_pass { "PASS" } else { "FAIL" };
        let said = if right { "gives" } else { "should give" };
        line(right, format!("{what} {said} {word}"), &verdict);
    }
    for cheat in exercise.cheats {
        let verdict = judge(exercise, &built(&exercise.cheat_bin(cheat))?)?;
        // The verdict is wrapped at 78 columns: compare words, not lines.
        let words = verdict
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let right = !verdict.passed() && words.contains(cheat.fails_with);
        ok &= right;
        let what = if right {
            format!("cheat '{}' ({}) is caught", cheat.name, cheat.trick)
        } else {
            format!(
                "cheat '{}' ({}) should FAIL naming \"{}\"",
                cheat.name, cheat.trick, cheat.fails_with
            )
        };
        line(right, what, &verdict);
    }
    Ok((ok, text))
}
