//! The checker for exercise 4. It hands out log names one at a time, and
//! each time the program asks for the next name it looks from outside: the
//! last log must be on disk with its entry and nothing more (the footer
//! needs the batch size, known only when the input ends), and, in the run
//! as from a terminal, no file of the work directory may be open. When the
//! input ends, every log must end with a footer giving the batch size, drawn
//! at random for that run. One run gives 200 names under a descriptor limit
//! of 32, as `ulimit -n 32` sets it.

use crate::lab::{self, Lab, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::{Verdict, sentence};
use std::fs;
use std::io;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 4,
    folder: "4-detection",
    title: "Find the Leak No Defer Shows",
    chapter: ("Advanced Detection", "advanced-detection.md"),
    minutes: 20,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "printed-only",
            trick: "prints what a working program prints and writes nothing",
            fails_with: "missing",
        },
        Cheat {
            name: "no-footers",
            trick: "closes each log in time but never writes the footers",
            fails_with: "no footer",
        },
        Cheat {
            name: "guessed-count",
            trick: "writes each footer at once, with a guessed batch size",
            fails_with: "before the input ended",
        },
        Cheat {
            name: "keep-open-when-high",
            trick: "keeps the logs open unless its own descriptor limit is low",
            fails_with: "still had",
        },
        Cheat {
            name: "env-detecting",
            trick: "closes the logs in time only when it sees the checker's variables",
            fails_with: "as from a terminal",
        },
        Cheat {
            name: "all-at-end",
            trick: "reads every name first and writes each log whole at the end",
            fails_with: "missing",
        },
    ],
    honest: &["rewrite"],
    extra_programs: &[],
    check,
};

/// The run under a limit: its size, and stdin, stdout, stderr and one log
/// file with room to spare.
const LIMITED: usize = 200;
const LIMIT: u64 = 32;
/// The watched run's batch size is drawn from this range.
const WATCHED_MIN: usize = 20;
const WATCHED_SPAN: u64 = 20;

/// What each log must hold: the entry, and after the input ends the footer.
fn entry(name: &str) -> String {
    format!("{name}: started\n")
}

fn footer(total: usize) -> String {
    format!("-- end of batch: {total} files --\n")
}

const HELD: &str = "every `File` in `write_logs` is a local, so look at what outlives the \
                    loop: what the loop hands to `batch`, and what `Batch` keeps. Whatever \
                    owns a `File` keeps its descriptor open for as long as it lives.";
const FOOTERS: &str = "`Batch::finish`: once the input has ended, it must append the footer, \
                       with the batch size, to every log. A file can be opened again to \
                       append to it.";
const ENTRIES: &str = "`write_logs`: each log must be written, with its entry, before the \
                       next name is read.";

const OTHER: &str = "the message above.";

/// Something wrong, and where in the program to look.
type Complaint = (String, &'static str);

/// The log named `name`, if it holds exactly `expected`.
fn verify_log(work: &Path, name: &str, expected: &str) -> io::Result<Result<(), String>> {
    let path = work.join(name);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Ok(Err(format!("{name} is missing")));
    };
    if !meta.file_type().is_file() {
        return Ok(Err(format!("{name} is not a regular file")));
    }
    let text = fs::read_to_string(&path)?;
    if text == expected {
        return Ok(Ok(()));
    }
    Ok(Err(match text.strip_prefix(&entry(name)) {
        None => format!(
            "{name} does not start with its entry, `{}`",
            entry(name).trim()
        ),
        Some("") => format!("{name} has no footer"),
        Some(rest) => format!(
            "{name} should end with `{}`, not `{}`",
            expected.lines().last().unwrap_or(""),
            rest.trim()
        ),
    }))
}

/// Writes `count` logs; the first thing found wrong, if any. With
/// `watch_descriptors`, every checkpoint also looks for open files.
fn run(
    lab: &Lab,
    program: &Path,
    start: Start,
    count: usize,
    watch_descriptors: bool,
) -> io::Result<Result<(), Complaint>> {
    let work = lab.work();
    let names: Vec<String> = (0..count).map(|i| format!("log-{i:03}.txt")).collect();
    let mut session = lab.start(program, start, |_| Ok(()))?;
    // Where to look, for the checkpoint's complaint.
    let mut fed_look = ENTRIES;
    let fed = lab::feed(&mut session, &names, |done, session| {
        let after = match done {
            1 => "after 1 name".to_string(),
            n => format!("after {n} names"),
        };
        let held = session.open_in(&work)?;
        if watch_descriptors && !held.is_empty() {
            let shown: Vec<String> = held
                .iter()
                .filter_map(|path| path.file_name())
                .map(|name| name.to_string_lossy().into_owned())
                .collect();
            fed_look = HELD;
            return Ok(Err(format!(
                "{after}, while it waited for the next one, it still had {} of the work \
                 directory open: {}",
                match held.len() {
                    1 => "1 file".to_string(),
                    n => format!("{n} files"),
                },
                shown.join(", ")
            )));
        }
        let name = &names[done - 1];
        Ok(match verify_log(&work, name, &entry(name))? {
            Ok(()) => Ok(()),
            Err(wrong) if wrong.starts_with(&format!("{name} should end")) => {
                fed_look = FOOTERS;
                Err(format!(
                    "{after}, {name} already has a footer, written before the input ended, \
                     when the batch size could not be known"
                ))
            }
            Err(wrong) => Err(format!("{after}, {wrong}")),
        })
    })?;
    let outcome = session.finish()?;
    // A failed run's own error says more than the jobs it did not ask for.
    let failed = !outcome.status.success();
    if let (false, Err(complaint)) = (failed, fed) {
        return Ok(Err((complaint, fed_look)));
    }
    if let Some(problem) = outcome.problem() {
        let out_of_descriptors = outcome.stderr.contains("Too many open files");
        let look = if out_of_descriptors { HELD } else { OTHER };
        let written = names.iter().filter(|name| work.join(name).exists()).count();
        return Ok(Err((
            format!("with {written} of its {count} logs written, {problem}"),
            look,
        )));
    }
    for name in &names {
        let expected = entry(name) + &footer(count);
        if let Err(wrong) = verify_log(&work, name, &expected)? {
            let wrong = wrong.replace("`-- end of batch", "the footer `-- end of batch");
            return Ok(Err((format!("after the input ended, {wrong}"), FOOTERS)));
        }
    }
    for dir_entry in fs::read_dir(&work)? {
        let name = dir_entry?.file_name().to_string_lossy().into_owned();
        if !names.contains(&name) {
            return Ok(Err((
                format!("the work directory should hold the logs only; it also holds {name}"),
                ENTRIES,
            )));
        }
    }
    Ok(Ok(()))
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let limited = Start {
        nofile: Some(LIMIT),
        reports: true,
    };
    let under_limit = format!("with {LIMITED} names under a descriptor limit of {LIMIT}");
    let limited = run(&lab, program, limited, LIMITED, false)?;
    match &limited {
        Ok(()) => verdict.note(&format!(
            "Run {under_limit}: every log has its entry and the right footer."
        )),
        Err((wrong, _)) => verdict.note(&sentence(&format!("Run {under_limit}: {wrong}"))),
    }
    let watched_count = WATCHED_MIN + (lab::random_u64()? % WATCHED_SPAN) as usize;
    let as_from_terminal = format!(
        "as from a terminal (no checker variables, no limit), with a batch of \
         {WATCHED_MIN} to {} names (drawn at random)",
        WATCHED_MIN + WATCHED_SPAN as usize - 1
    );
    if let Err((wrong, where_to_look)) = run(&lab, program, Start::default(), watched_count, true)?
    {
        return Ok(verdict.fail(
            &sentence(&format!("in the run {as_from_terminal}: {wrong}")),
            where_to_look,
        ));
    }
    verdict.note(&format!(
        "Run {as_from_terminal}: no file of the work directory open whenever it asked \
         for the next name, each log written before it, and every footer right."
    ));
    if let Err((_, where_to_look)) = limited {
        return Ok(verdict.fail(
            &format!("in the run {under_limit}, it does not do its work (above)."),
            where_to_look,
        ));
    }
    Ok(verdict.pass(
        "each log was closed before the next name was read, and every footer holds the \
         batch size.",
    ))
}
