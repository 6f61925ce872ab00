//! The checker for exercise 1. It writes the files to back up itself, with
//! contents the program cannot guess, hands out their names one at a time,
//! and each time the program asks for the next name it looks from outside:
//! which files of the work directory the program still holds open, and
//! whether the last backup is on disk, complete, and a file of its own.
//! Then it runs 200 backups under a descriptor limit of 16.

use crate::lab::{self, Lab, Session, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 1,
    folder: "1-loop",
    title: "Back Up Files Without Keeping Them Open",
    chapter: (
        "Example 1: Files Left Open in a Loop",
        "example-1-loop-leak.md",
    ),
    minutes: 15,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "nothing",
            trick: "an empty `main`",
            fails_with: "must read every name",
        },
        Cheat {
            name: "printed",
            trick: "reads the names and prints the summary, backs up nothing",
            fails_with: "is missing",
        },
        Cheat {
            name: "limit-adaptive",
            trick: "keeps files open, closing them all when its own limit comes near",
            fails_with: "still had",
        },
        Cheat {
            name: "env-detecting",
            trick: "closes files in time only under a checker's variables or a low limit",
            fails_with: "still had",
        },
        Cheat {
            name: "hard-link",
            trick: "hard links instead of copies",
            fails_with: "is a hard link, not a copy",
        },
        Cheat {
            name: "symlink",
            trick: "symbolic links instead of copies",
            fails_with: "is not a regular file",
        },
        Cheat {
            name: "all-at-end",
            trick: "reads every name first, then backs them all up at the end",
            fails_with: "after 1 backup, the backup of log-000.txt, log-000.bak, is missing",
        },
        Cheat {
            name: "truncated",
            trick: "copies each file but its last line",
            fails_with: "does not hold the same bytes",
        },
        Cheat {
            name: "scratch-left",
            trick: "leaves a scratch copy of every file in the work directory",
            fails_with: "should hold the files and their backups only",
        },
        Cheat {
            name: "undone-at-exit",
            trick: "removes every backup as it exits",
            fails_with: "at the end, the backup of log-000.txt",
        },
    ],
    honest: &["explicit-drop", "stack-per-file"],
    extra_programs: &[],
    check,
};

/// Files backed up while watched, and under the limit.
const WATCHED: usize = 20;
const LIMITED: usize = 200;
/// stdin, stdout, stderr, the two files of one backup, and room to spare.
const LIMIT: u64 = 16;

/// Writes `count` files to back up, each with its own random content, and
/// returns their names and contents.
fn inputs(count: usize) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for i in 0..count {
        let seed = lab::random_u64()?;
        let lines = 1 + (seed % 64) as usize;
        let content: String = (0..lines)
            .map(|line| format!("entry {line} of file {i}: {seed:016x}\n"))
            .collect();
        files.insert(format!("log-{i:03}.txt"), content.into_bytes());
    }
    Ok(files)
}

/// "1 backup", "2 backups".
fn backups(count: usize) -> String {
    match count {
        1 => "1 backup".to_string(),
        _ => format!("{count} backups"),
    }
}

fn backup_name(name: &str) -> String {
    Path::new(name)
        .with_extension("bak")
        .to_string_lossy()
        .into_owned()
}

/// Whether the backup of `name` is a complete copy in a file of its own.
fn verify_backup(work: &Path, name: &str, content: &[u8]) -> io::Result<Result<(), String>> {
    let backup = work.join(backup_name(name));
    let shown = backup_name(name);
    let Ok(meta) = fs::symlink_metadata(&backup) else {
        return Ok(Err(format!("the backup of {name}, {shown}, is missing")));
    };
    if !meta.file_type().is_file() {
        return Ok(Err(format!(
            "{shown} is not a regular file (a symbolic link, or something else)"
        )));
    }
    let source = fs::metadata(work.join(name))?;
    if meta.nlink() != 1 || meta.ino() == source.ino() {
        return Ok(Err(format!(
            "{shown} is a hard link, not a copy: it has {} names",
            meta.nlink()
        )));
    }
    if fs::read(&backup)? != content {
        return Ok(Err(format!(
            "{shown} does not hold the same bytes as {name}"
        )));
    }
    Ok(Ok(()))
}

/// Backs up `files` while watching; the first thing found wrong, if any.
fn watched_run(
    lab: &Lab,
    program: &Path,
    start: Start,
    files: &BTreeMap<String, Vec<u8>>,
) -> io::Result<Result<usize, String>> {
    let work = lab.work();
    let mut session: Session = lab.start(program, start, |dir| {
        files
            .iter()
            .try_for_each(|(name, content)| fs::write(dir.join(name), content))
    })?;
    let names: Vec<String> = files.keys().cloned().collect();
    let mut most_held = 0;
    let fed = lab::feed(&mut session, &names, |done, session| {
        let held = session.open_in(&work)?;
        most_held = most_held.max(held.len());
        if !held.is_empty() {
            let shown: Vec<String> = held
                .iter()
                .filter_map(|path| path.file_name())
                .map(|name| name.to_string_lossy().into_owned())
                .collect();
            return Ok(Err(format!(
                "after {}, while it waited for the next name, it still had {} files of \
                 the work directory open: {}",
                backups(done),
                held.len(),
                shown.join(", ")
            )));
        }
        let name = &names[done - 1];
        verify_backup(&work, name, &files[name])
            .map(|result| result.map_err(|wrong| format!("after {}, {wrong}", backups(done))))
    })?;
    let outcome = session.finish()?;
    if let Err(complaint) = fed {
        return Ok(Err(complaint));
    }
    if let Some(problem) = outcome.problem() {
        return Ok(Err(problem));
    }
    for (name, content) in files {
        if let Err(wrong) = verify_backup(&work, name, content)? {
            return Ok(Err(format!("at the end, {wrong}")));
        }
    }
    let expected: Vec<String> = files
        .keys()
        .flat_map(|name| [name.clone(), backup_name(name)])
        .collect();
    let mut found: Vec<String> = fs::read_dir(&work)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()?;
    found.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    if found != expected_sorted {
        let extra: Vec<&String> = found.iter().filter(|f| !expected.contains(f)).collect();
        return Ok(Err(format!(
            "the work directory should hold the files and their backups only; it also holds: {extra:?}"
        )));
    }
    Ok(Ok(most_held))
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "in `back_up`, what owns each `File` once its copy is done, and \
                         until when. The `DeferStack` keeps every closure, and the file it \
                         owns, until the function returns.";
    match watched_run(&lab, program, Start::default(), &inputs(WATCHED)?)? {
        Ok(_) => verdict.note(&format!(
            "Backed up {WATCHED} files, run as from a terminal: every backup complete and a \
             file of its own, and no file of the work directory open whenever it asked for \
             the next name."
        )),
        Err(wrong) => return Ok(verdict.fail(&format!("{wrong}."), where_to_look)),
    }
    let limited = Start {
        nofile: Some(LIMIT),
        ..Start::default()
    };
    match watched_run(&lab, program, limited, &inputs(LIMITED)?)? {
        Ok(_) => verdict.note(&format!(
            "Backed up {LIMITED} files under a descriptor limit of {LIMIT}: the same, for \
             every one."
        )),
        Err(wrong) => {
            return Ok(verdict.fail(
                &format!("under a descriptor limit of {LIMIT}, with {LIMITED} files: {wrong}."),
                where_to_look,
            ));
        }
    }
    Ok(verdict.pass("each backup's files were closed before the program asked for the next name."))
}
