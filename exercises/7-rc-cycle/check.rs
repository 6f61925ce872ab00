//! The checker for exercise 7. It writes the documents to split itself, with
//! titles and lines the program cannot guess, hands out their names one at a
//! time, and each time the program asks for the next name it looks from
//! outside: which files of the work directory the program still holds open,
//! and whether the last document's chapters and table of contents are on
//! disk, complete. A second run, under a descriptor limit, also reads the
//! live heap the kit reports between documents: freed documents leave it
//! flat.

use crate::lab::files::{check_output, unexpected_entries};
use crate::lab::{self, Lab, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 7,
    folder: "7-rc-cycle",
    title: "Split Documents Without Leaking Their Chapters",
    chapter: ("Cleanup Internals", "resources/cleanup-internals.md"),
    minutes: 20,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "nothing",
            trick: "reads every name and writes nothing",
            fails_with: "is missing",
        },
        Cheat {
            name: "printed",
            trick: "prints what the solution prints and writes nothing",
            fails_with: "is missing",
        },
        Cheat {
            name: "near-limit",
            trick: "keeps the cycle, and closes the files by hand only near its descriptor limit",
            fails_with: "still had",
        },
        Cheat {
            name: "watched",
            trick: "uses a Weak only when the checker's report variables are set",
            fails_with: "still had",
        },
        Cheat {
            name: "close-by-hand",
            trick: "keeps the cycle, and takes each file out of its node to close it",
            fails_with: "live heap grew",
        },
        Cheat {
            name: "at-the-end",
            trick: "reads every name first, and splits all the documents at the end",
            fails_with: "is missing",
        },
        Cheat {
            name: "forget",
            trick: "flushes each file and hands it to mem::forget instead of closing it",
            fails_with: "still had",
        },
    ],
    honest: &["break-on-drop"],
    extra_programs: &[],
    check,
};

/// Documents split in the plain run, and in the run under a limit.
const WATCHED: usize = 20;
const LIMITED: usize = 60;
/// stdio, the input, the table of contents and up to five chapters, and
/// room to spare; a program that keeps its documents runs out within a few.
const LIMIT: u64 = 24;
/// Bytes the live heap may grow by between documents. A freed document
/// leaves it exactly where it was; a leaked one costs far more.
const HEAP_SLACK: usize = 64;

/// A document to split: its input, and the files it should give.
struct Document {
    name: String,
    input: String,
    outputs: Vec<(String, String)>,
}

/// A document with 2 to 5 chapters of 1 to 8 lines of random text.
fn document(index: usize) -> io::Result<Document> {
    let name = format!("doc-{index:03}");
    let seed = lab::random_u64()?;
    let title = format!("Report {seed:016x}");
    let mut input = format!("{title}\n");
    let mut toc = format!("{title}\n");
    let mut outputs = Vec::new();
    let mut line_number = 0;
    // The number of chapters follows the index, so verdicts name the same files
    // on every run.
    for chapter in 1..=2 + index % 4 {
        let words = lab::random_u64()?;
        let chapter_title = format!("Part {chapter}, {:08x}", words >> 32);
        writeln!(input, "## {chapter_title}").ok();
        let mut file = format!("# {chapter_title}\n");
        let lines = 1 + (words % 8) as usize;
        for line in 0..lines {
            let text = format!(
                "line {line} of part {chapter}, {:016x}",
                words ^ line as u64
            );
            writeln!(input, "{text}").ok();
            line_number += 1;
            writeln!(file, "{line_number}: {text}").ok();
        }
        writeln!(toc, "{chapter}. {chapter_title}: {lines} lines").ok();
        outputs.push((format!("{name}-{chapter}.txt"), file));
    }
    outputs.push((format!("{name}.toc"), toc));
    Ok(Document {
        name,
        input,
        outputs,
    })
}

/// Whether every output of `document` is on disk, right.
fn check_document(work: &Path, document: &Document) -> io::Result<Result<(), String>> {
    for (name, content) in &document.outputs {
        if let Err(wrong) = check_output(work, name, content.as_bytes())? {
            return Ok(Err(format!("{wrong} (from {}.txt)", document.name)));
        }
    }
    Ok(Ok(()))
}

/// Splits `documents` while watching. With reports, also the live heap at
/// each checkpoint. The first thing found wrong, if any.
fn watched_run(
    lab: &Lab,
    program: &Path,
    start: Start,
    documents: &[Document],
) -> io::Result<Result<(), String>> {
    let work = lab.work();
    let mut session = lab.start(program, start, |dir| {
        documents.iter().try_for_each(|document| {
            fs::write(dir.join(format!("{}.txt", document.name)), &document.input)
        })
    })?;
    let names: Vec<String> = documents.iter().map(|d| d.name.clone()).collect();
    let mut heap: Vec<usize> = Vec::new();
    let fed = lab::feed(&mut session, &names, |done, session| {
        let held = session.open_in(&work)?;
        if !held.is_empty() {
            let shown: Vec<String> = held
                .iter()
                .filter_map(|path| path.file_name())
                .map(|name| name.to_string_lossy().into_owned())
                .collect();
            return Ok(Err(format!(
                "after document {done}, while it waited for the next name, it still had \
                 {} files of the work directory open: {}",
                held.len(),
                shown.join(", ")
            )));
        }
        if let Err(wrong) = check_document(&work, &documents[done - 1])? {
            return Ok(Err(format!("after document {done}, {wrong}")));
        }
        if start.reports {
            let Some([live, ..]) = session.latest_heap()? else {
                return Ok(Err(
                    "it reported no live heap: keep the `CountingAllocator` and read the names \
                     with `kit::jobs()`, which reports the heap"
                        .to_string(),
                ));
            };
            heap.push(live);
        }
        Ok(Ok(()))
    })?;
    let outcome = session.finish()?;
    if let Err(complaint) = fed {
        return Ok(Err(complaint));
    }
    if let Some(problem) = outcome.problem() {
        return Ok(Err(problem));
    }
    // The live heap after each document, against the first: the most it grew.
    if let Some(&first) = heap.first()
        && let Some((index, &most)) = heap.iter().enumerate().max_by_key(|&(_, live)| *live)
        && most > first + HEAP_SLACK
    {
        return Ok(Err(format!(
            "the live heap grew from {first} bytes after the first document to {most} bytes \
             after document {}, about {} bytes for each document in between: each document \
             and its chapters are still in memory after `split` returns",
            index + 1,
            (most - first) / index
        )));
    }
    let mut expected: Vec<String> = Vec::new();
    for document in documents {
        if let Err(wrong) = check_document(&work, document)? {
            return Ok(Err(wrong));
        }
        expected.push(format!("{}.txt", document.name));
        expected.extend(document.outputs.iter().map(|(name, _)| name.clone()));
    }
    let extra = unexpected_entries(&work, &expected)?;
    if !extra.is_empty() {
        let more = match extra.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        return Ok(Err(format!(
            "the work directory should hold the documents and their parts only; it also \
             holds {}{more}",
            extra[..extra.len().min(3)].join(", ")
        )));
    }
    Ok(Ok(()))
}

fn documents(count: usize) -> io::Result<Vec<Document>> {
    (0..count).map(document).collect()
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "what keeps a `Document` alive once `split` returns. A document \
                         owns its chapters and each chapter holds an `Rc` of its document: \
                         the two counts never reach zero, so nothing is dropped and no file \
                         is closed. `Rc::downgrade` gives a reference that does not own.";
    match watched_run(&lab, program, Start::default(), &documents(WATCHED)?)? {
        Ok(()) => verdict.note(&format!(
            "Split {WATCHED} documents, watched: every chapter and table of contents right, \
             and no file of the work directory open whenever it asked for the next name."
        )),
        Err(wrong) => return Ok(verdict.fail(&format!("{wrong}."), where_to_look)),
    }
    let limited = Start {
        nofile: Some(LIMIT),
        reports: true,
    };
    match watched_run(&lab, program, limited, &documents(LIMITED)?)? {
        Ok(()) => verdict.note(&format!(
            "Split {LIMITED} documents under a descriptor limit of {LIMIT}: every part right, \
             and the live heap the same after each document."
        )),
        Err(wrong) => {
            return Ok(verdict.fail(
                &format!("under a descriptor limit of {LIMIT}, with {LIMITED} documents: {wrong}."),
                where_to_look,
            ));
        }
    }
    Ok(verdict.pass(
        "each document, its chapters and their files were gone before the program asked \
         for the next name.",
    ))
}
