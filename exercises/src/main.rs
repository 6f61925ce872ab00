//! The course runner: `make exercise N`, or `cargo exercise ...` (an alias in
//! `.cargo/config.toml`). With no arguments it lists the exercises and your
//! progress; `exercise --help` lists everything it does.

mod runner;

use defer_issues_exercises::registry::{EXERCISES, Exercise};
use lexopt::{Arg, Parser, ValueExt};
use runner::Subject;
use std::process::ExitCode;

const NAME: &str = "exercise";

enum Task {
    List,
    Check(&'static Exercise, Subject),
    CheckAll,
    Watch(Option<&'static Exercise>),
    Hint(&'static Exercise, usize),
    Reset(&'static Exercise),
    Solution(&'static Exercise),
    Verify,
}

fn usage() -> String {
    let list: String = EXERCISES
        .iter()
        .map(|e| format!("  {}  {}\n", e.number, e.title))
        .collect();
    format!(
        "Usage: {NAME} [COMMAND]\n\n\
         The course's exercises: each is a program with a bug to fix, and a checker\n\
         that runs it and watches what it does. Your copy of exercise N is\n\
         exercises/yours/src/bin/exercise-N.rs, made from the starter on first use.\n\n\
         Commands:\n\
         \x20 (none)            list the exercises and your progress\n\
         \x20 N                 check your copy of exercise N (exit status 0 on PASS)\n\
         \x20 N --starter       check the committed starter instead (it fails)\n\
         \x20 N --solution      check the reference solution instead (it passes)\n\
         \x20 all               check every copy you have\n\
         \x20 watch [N]         check N (or your next exercise) again on every save\n\
         \x20 hint N [LEVEL]    show hint LEVEL (1 by default) of exercise N\n\
         \x20 reset N           start exercise N over (your copy is kept as a backup)\n\
         \x20 solution N        where the reference solution is, once your copy passes\n\
         \x20 --verify          prove every checker: starters and cheats fail, solutions pass\n\
         \x20 -h, --help        print this help\n\n\
         Exercises:\n{list}"
    )
}

fn exercise(number: Option<String>) -> Result<&'static Exercise, String> {
    let number = number.ok_or("which exercise? Give its number")?;
    Exercise::find(&number).ok_or_else(|| {
        format!(
            "there is no exercise '{number}' (there are {} to {})",
            EXERCISES[0].number,
            EXERCISES[EXERCISES.len() - 1].number
        )
    })
}

/// Parses the command line. `Ok(None)` is `--help`.
fn parse_task() -> Result<Option<Task>, String> {
    let mut parser = Parser::from_env();
    let mut words: Vec<String> = Vec::new();
    let mut subject: Option<Subject> = None;
    let mut verify = false;
    let mut help = false;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let chosen = match arg {
            Arg::Short('h') | Arg::Long("help") => {
                help = true;
                continue;
            }
            Arg::Long("starter") => Subject::Starter,
            Arg::Long("solution") => Subject::Solution,
            Arg::Long("verify") => {
                verify = true;
                continue;
            }
            Arg::Value(value) => {
                words.push(value.string().map_err(|e| e.to_string())?);
                continue;
            }
            Arg::Long(name) => return Err(format!("unknown option '--{name}'")),
            Arg::Short(c) => return Err(format!("unknown option '-{c}'")),
        };
        if subject.is_some() {
            return Err("give one of --starter and --solution, not both".into());
        }
        subject = Some(chosen);
    }
    let mut words = words.into_iter();
    let (first, second, extra) = (words.next(), words.next(), words.next());
    if verify {
        if first.is_some() || subject.is_some() {
            return Err("--verify checks every exercise: give it nothing else".into());
        }
        return Ok((!help).then_some(Task::Verify));
    }
    let command = first.as_deref();
    if subject.is_some() && command.is_none_or(|c| c.parse::<u32>().is_err()) {
        return Err("--starter and --solution go with an exercise number".into());
    }
    let too_many = |what: &str| Err(format!("unexpected argument '{what}'"));
    let task = match command {
        None => Task::List,
        Some("all") => match second {
            Some(word) => return too_many(&word),
            None => Task::CheckAll,
        },
        Some("watch") => match (second, extra) {
            (_, Some(word)) => return too_many(&word),
            (None, None) => Task::Watch(None),
            (number, None) => Task::Watch(Some(exercise(number)?)),
        },
        Some("hint") => {
            if let Some(word) = words.next() {
                return too_many(&word);
            }
            let level = match extra {
                None => 1,
                Some(level) => level
                    .parse::<usize>()
                    .ok()
                    .filter(|&l| l >= 1)
                    .ok_or_else(|| format!("invalid hint level '{level}': expected 1, 2, ..."))?,
            };
            Task::Hint(exercise(second)?, level)
        }
        Some(word @ ("reset" | "solution")) => {
            if let Some(word) = extra {
                return too_many(&word);
            }
            let exercise = exercise(second)?;
            if word == "reset" {
                Task::Reset(exercise)
            } else {
                Task::Solution(exercise)
            }
        }
        Some(number) if number.parse::<u32>().is_ok() => {
            if let Some(word) = second {
                return too_many(&word);
            }
            Task::Check(exercise(first)?, subject.unwrap_or(Subject::Yours))
        }
        Some(other) => return Err(format!("unknown command '{other}'")),
    };
    // `--help` anywhere asks for the help, but only with valid arguments.
    Ok((!help).then_some(task))
}

fn main() -> ExitCode {
    let task = match defer_issues::cli::finish_parse(parse_task(), &usage()) {
        Ok(task) => task,
        Err(code) => return code,
    };
    if let Err(err) = defer_issues_harness::child::clean_up_on_interrupt() {
        eprintln!("error: cannot handle Ctrl-C: {err}");
        return ExitCode::FAILURE;
    }
    let result = match task {
        Task::List => runner::list(),
        Task::Check(exercise, subject) => runner::check(exercise, subject),
        Task::CheckAll => runner::check_all(),
        Task::Watch(exercise) => runner::watch(exercise),
        Task::Hint(exercise, level) => runner::hint(exercise, level),
        Task::Reset(exercise) => runner::reset(exercise),
        Task::Solution(exercise) => runner::solution(exercise),
        Task::Verify => runner::verify(),
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
