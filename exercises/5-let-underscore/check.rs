//! The checker for exercise 5. It writes the logs itself, with lines the
//! program cannot guess, and plays the other programs that write them: each
//! time the program asks for the next log to rotate, it appends a fresh line
//! to every log. In the middle of each rotation, when the program stops to
//! ask for `go on`, it looks for the lock file; after each rotation, it
//! checks every log, every copy and every lock file on disk.

use crate::kit::GO_ON;
use crate::lab::{self, Lab, Request, Session, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 5,
    folder: "5-let-underscore",
    title: "Keep the Lock File While You Work",
    chapter: ("Cleanup Internals", "resources/cleanup-internals.md"),
    minutes: 10,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "no-work",
            trick: "does nothing at all",
            fails_with: "after taking 0",
        },
        Cheat {
            name: "printed",
            trick: "holds the lock and prints what it would rotate",
            fails_with: "is missing",
        },
        Cheat {
            name: "limit-adaptive",
            trick: "keeps the lock only under a low descriptor limit",
            fails_with: "did not exist",
        },
        Cheat {
            name: "env-detecting",
            trick: "keeps the lock only when the checker's variables are set",
            fails_with: "did not exist",
        },
        Cheat {
            name: "forgotten-lock",
            trick: "never drops the guard (`mem::forget`)",
            fails_with: "is still there",
        },
        Cheat {
            name: "ahead",
            trick: "rotates every log at the first name, then only takes locks",
            fails_with: "before its name",
        },
        Cheat {
            name: "half-copy",
            trick: "copies half of each log",
            fails_with: "does not hold",
        },
        Cheat {
            name: "symlink",
            trick: "makes NAME.log.1 a symbolic link instead of a copy",
            fails_with: "not a regular file",
        },
    ],
    honest: &["rename"],
    extra_programs: &[],
    check,
};

/// Logs rotated while watched, and under the descriptor limit.
const WATCHED: usize = 8;
const LIMITED: usize = 30;
/// stdin, stdout, stderr, the two files of one copy, and room to spare.
const LIMIT: u64 = 16;

/// One log and what the checker expects of it.
struct Log {
    name: String,
    /// What `NAME.log` holds now: the lines written to it since it was
    /// created or last rotated.
    content: Vec<u8>,
    /// What `NAME.log.1` holds, once the log is rotated.
    archive: Option<Vec<u8>>,
}

impl Log {
    fn file(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.name)
    }
}

/// `count` logs of a few random lines each.
fn logs(count: usize) -> io::Result<Vec<Log>> {
    (0..count)
        .map(|i| {
            let seed = lab::random_u64()?;
            let content = (0..1 + seed % 16)
                .map(|line| format!("service {i}, entry {line}: {seed:016x}\n"))
                .collect::<String>();
            Ok(Log {
                name: format!("service-{i:02}"),
                content: content.into_bytes(),
                archive: None,
            })
        })
        .collect()
}

/// Plays the other programs between two rotations, when no lock file
/// exists: appends a fresh line to every log.
fn write_to_every_log(work: &Path, logs: &mut [Log], round: usize) -> io::Result<()> {
    for log in logs {
        let line = format!("writer, round {round}: {:016x}\n", lab::random_u64()?);
        fs::OpenOptions::new()
            .append(true)
            .open(work.join(log.file(".log")))?
            .write_all(line.as_bytes())?;
        log.content.extend_from_slice(line.as_bytes());
    }
    Ok(())
}

/// Whether `path` is a regular file of its own holding `expected`.
fn holds(path: &Path, shown: &str, expected: &[u8], what: &str) -> io::Result<Result<(), String>> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.file_type().is_file() {
        return Ok(Err(format!(
            "{shown} is not a regular file (a symbolic link, or something else)"
        )));
    }
    if meta.nlink() != 1 {
        return Ok(Err(format!(
            "{shown} is a hard link: it has {} names",
            meta.nlink()
        )));
    }
    let found = fs::read(path)?;
    if found != expected {
        return Ok(Err(format!(
            "{shown} does not hold what {what} ({} bytes expected, {} found)",
            expected.len(),
            found.len()
        )));
    }
    Ok(Ok(()))
}

/// Checks every log, copy and lock file on disk against what is expected
/// once the first `rotated` logs are rotated.
fn check_disk(work: &Path, logs: &[Log], rotated: usize) -> io::Result<Result<(), String>> {
    for (i, log) in logs.iter().enumerate() {
        let (lock, current, archive) = (log.file(".lock"), log.file(".log"), log.file(".log.1"));
        if work.join(&lock).exists() {
            let why = if i < rotated {
                format!("{lock} is still there after its rotation: the lock was never released")
            } else {
                format!("{lock} exists before its name was given")
            };
            return Ok(Err(why));
        }
        match (&log.archive, fs::symlink_metadata(work.join(&archive))) {
            (Some(expected), Ok(_)) => {
                let what = format!("{current} held when it was rotated");
                if let Err(wrong) = holds(&work.join(&archive), &archive, expected, &what)? {
                    return Ok(Err(wrong));
                }
            }
            (Some(_), Err(_)) => {
                return Ok(Err(format!(
                    "{archive} is missing: the log was not rotated"
                )));
            }
            (None, Ok(_)) => {
                return Ok(Err(format!(
                    "{archive} exists before its name was given: it must rotate a log when asked, \
                     not earlier"
                )));
            }
            (None, Err(_)) => {}
        }
        if fs::symlink_metadata(work.join(&current)).is_err() {
            return Ok(Err(format!("{current} is missing")));
        }
        let what = if log.archive.is_some() {
            "the writers wrote to it since its rotation, which should have emptied it"
        } else {
            "the writers wrote to it: it was changed before its name was given"
        };
        if let Err(wrong) = holds(&work.join(&current), &current, &log.content, what)? {
            return Ok(Err(wrong));
        }
    }
    Ok(Ok(()))
}

/// Rotates `logs` while watching; the first thing found wrong, if any.
fn watched_run(
    lab: &Lab,
    program: &Path,
    start: Start,
    mut logs: Vec<Log>,
) -> io::Result<Result<(), String>> {
    let work = lab.work();
    let mut session = lab.start(program, start, |dir| {
        logs.iter()
            .try_for_each(|log| fs::write(dir.join(log.file(".log")), &log.content))
    })?;
    let fed = feed(&mut session, &work, &mut logs)?;
    let outcome = session.finish()?;
    match (fed, outcome.problem()) {
        // Why it ended early is part of the answer.
        (Err(Stop::Ended(complaint)), Some(problem)) => {
            return Ok(Err(format!("{complaint}; {problem}")));
        }
        (Err(Stop::Ended(complaint) | Stop::Wrong(complaint)), _) => return Ok(Err(complaint)),
        (Ok(()), Some(problem)) => return Ok(Err(problem)),
        (Ok(()), None) => {}
    }
    if let Err(wrong) = check_disk(&work, &logs, logs.len())? {
        return Ok(Err(wrong));
    }
    let mut expected: Vec<String> = logs
        .iter()
        .flat_map(|log| [log.file(".log"), log.file(".log.1")])
        .collect();
    expected.sort();
    let mut found: Vec<String> = fs::read_dir(&work)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()?;
    found.sort();
    if found != expected {
        let extra: Vec<&String> = found.iter().filter(|f| !expected.contains(f)).collect();
        return Ok(Err(format!(
            "the work directory should hold the logs and their copies only; it also holds: \
             {extra:?}"
        )));
    }
    Ok(Ok(()))
}

/// Why the feeding stopped early.
enum Stop {
    /// The program ended before it had done every rotation.
    Ended(String),
    /// Something was wrong on disk.
    Wrong(String),
}

/// Hands out the names one at a time, each followed by `go on` once the
/// program stops in the middle of its rotation, and looks at the disk at
/// both moments.
fn feed(session: &mut Session, work: &Path, logs: &mut [Log]) -> io::Result<Result<(), Stop>> {
    let total = logs.len();
    for taken in 0..=total {
        if let Request::Ended(status) = session.next_request()? {
            return Ok(Err(Stop::Ended(format!(
                "the program ended ({status}) after taking {taken} of its {total} names: \
                 it must rotate every log named on its standard input"
            ))));
        }
        if let Err(wrong) = check_disk(work, logs, taken)? {
            return Ok(Err(Stop::Wrong(format!(
                "after {taken} of its {total} rotations, {wrong}"
            ))));
        }
        let Some(log) = logs.get(taken) else {
            break;
        };
        let name = log.name.clone();
        write_to_every_log(work, logs, taken)?;
        session.send(&name)?;
        let (current, lock) = (format!("{name}.log"), format!("{name}.lock"));
        if let Request::Ended(status) = session.next_request()? {
            return Ok(Err(Stop::Ended(format!(
                "the program ended ({status}) while rotating {current}, before it asked for \
                 `{GO_ON}`"
            ))));
        }
        let lock_path = work.join(&lock);
        if !fs::symlink_metadata(&lock_path).is_ok_and(|meta| meta.file_type().is_file()) {
            return Ok(Err(Stop::Wrong(format!(
                "in the middle of rotating {current} (when it asked for `{GO_ON}`), {lock} did \
                 not exist: a writer would have appended to {current} between the copy and the \
                 emptying, and its lines would be lost"
            ))));
        }
        let log = &mut logs[taken];
        log.archive = Some(std::mem::take(&mut log.content));
        session.send(GO_ON)?;
    }
    Ok(Ok(()))
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "in `rotate`, how long the `LockFile` guard lives. `let _ = ...` \
                         drops a value at the end of its statement; a named variable keeps \
                         it to the end of its block.";
    match watched_run(&lab, program, Start::default(), logs(WATCHED)?)? {
        Ok(()) => verdict.note(&format!(
            "Rotated {WATCHED} logs, watched: each lock file there in the middle of its \
             rotation and gone after it, every copy complete, every log emptied, and no \
             writer's line lost."
        )),
        Err(wrong) => return Ok(verdict.fail(&format!("{wrong}."), where_to_look)),
    }
    let limited = Start {
        nofile: Some(LIMIT),
        reports: true,
    };
    match watched_run(&lab, program, limited, logs(LIMITED)?)? {
        Ok(()) => verdict.note(&format!(
            "Rotated {LIMITED} logs under a descriptor limit of {LIMIT}: every rotation right."
        )),
        Err(wrong) => {
            return Ok(verdict.fail(
                &format!("under a descriptor limit of {LIMIT}, with {LIMITED} logs: {wrong}."),
                where_to_look,
            ));
        }
    }
    Ok(verdict
        .pass("each log's lock file existed for the whole of its rotation, and was gone after it."))
}
