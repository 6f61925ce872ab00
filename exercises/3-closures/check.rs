//! The checker for exercise 3. Each connection of the kit is a file the
//! program holds open, `conn-N` in the work directory, that gets a numbered
//! goodbye line when the connection is closed. The checker hands out one
//! request at a time with a value the program cannot guess, and each time
//! the program asks for the next one it looks from outside: every connection
//! so far must exist, have served its request, and still be open (its close
//! is deferred). Once the input ends, the goodbye lines in the files say
//! which connections were closed and in what order; the kit's reports add
//! the close calls that found a connection already closed, and connections
//! dropped without a close. A second run, as from a terminal (no checker
//! variables) and with more connections, must leave the same evidence.

use crate::kit::connection::{file_name, goodbye_line, opened_line, served_line};
use crate::lab::{self, Lab, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::{Verdict, sentence};
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 3,
    folder: "3-closures",
    title: "Close Every Connection Once",
    chapter: (
        "Example 2: Closures That Capture the Wrong Thing",
        "example-2-closures.md",
    ),
    minutes: 15,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "printed-only",
            trick: "prints the closes without opening any connection",
            fails_with: "does not exist",
        },
        Cheat {
            name: "printed-closes",
            trick: "its deferred closes only print that they close",
            fails_with: "never closed",
        },
        Cheat {
            name: "close-in-loop",
            trick: "closes each connection right after its request",
            fails_with: "already closed",
        },
        Cheat {
            name: "vec-of-guards",
            trick: "closes through a Vec of guards, which drops front to back",
            fails_with: "oldest first",
        },
        Cheat {
            name: "env-detecting",
            trick: "closes the right connections only when it sees the checker's variables",
            fails_with: "as from a terminal",
        },
        Cheat {
            name: "read-all-first",
            trick: "reads every request first and does all the work after the input ends",
            fails_with: "does not exist",
        },
    ],
    honest: &["index"],
    extra_programs: &[],
    check,
};

/// Connections in the watched run, as in the chapter; more in the plain run.
const WATCHED: usize = 5;
const PLAIN: usize = 8;

/// Something wrong, and where in the program to look.
type Complaint = (String, &'static str);

const SERVE: &str = "`serve_all`: for each request, it must open a connection and serve the \
                     request on it before it reads the next one.";
const DEFER: &str = "keep each close deferred on the `DeferStack`, which runs the closes \
                     newest first when `serve_all` returns. Closing in the loop closes too \
                     early; guards in a `Vec` close front to back, oldest first.";
const OTHER: &str = "the message above.";

/// "1 request", "2 requests".
fn count_of_requests(count: usize) -> String {
    match count {
        1 => "1 request".into(),
        n => format!("{n} requests"),
    }
}

/// Ids as a list for a reader: "4, 3, 2, 1, 0", or "none".
fn list(ids: impl IntoIterator<Item = usize>) -> String {
    let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    if ids.is_empty() {
        return "none".into();
    }
    ids.join(", ")
}

/// What a run showed: for each connection, the numbers of the goodbye lines
/// in its file; and, from the kit's reports, the close calls in order and
/// the connections dropped without a close.
struct Closes {
    goodbyes: Vec<Vec<usize>>,
    calls: Vec<usize>,
    dropped_unclosed: Vec<usize>,
}

/// What the file of connection `id` must hold before its goodbye.
fn expected_before_goodbye(id: usize, request: &str) -> [String; 2] {
    [opened_line(id), served_line(request)]
}

/// The lines of connection `id`'s file, or a complaint if it is missing or
/// not a regular file of its own.
fn read_connection(work: &Path, id: usize) -> io::Result<Result<Vec<String>, String>> {
    let path = work.join(file_name(id));
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Ok(Err(format!(
            "connection {id} does not exist: there is no {} in the work directory",
            file_name(id)
        )));
    };
    if !meta.file_type().is_file() || meta.nlink() != 1 {
        return Ok(Err(format!(
            "{} is not a regular file with one name (a link, or something else)",
            file_name(id)
        )));
    }
    let text = fs::read_to_string(&path)?;
    Ok(Ok(text.lines().map(str::to_string).collect()))
}

/// The number of `line`, if it is the goodbye line of one of `count` closes.
fn goodbye_number(line: &str, count: usize) -> Option<usize> {
    (1..=count).find(|&order| line == goodbye_line(order))
}

/// Serves `count` requests, watching; the closes, or the first thing wrong.
fn run(
    lab: &Lab,
    program: &Path,
    start: Start,
    count: usize,
) -> io::Result<Result<Closes, Complaint>> {
    let work = lab.work();
    let requests: Vec<String> = (0..count)
        .map(|i| Ok(format!("request-{i}-{:016x}", lab::random_u64()?)))
        .collect::<io::Result<_>>()?;
    let mut session = lab.start(program, start, |_| Ok(()))?;
    // Where to look, for the checkpoints' complaint.
    let mut fed_look = SERVE;
    let fed = lab::feed(&mut session, &requests, |done, session| {
        let held: BTreeSet<_> = session.open_in(&work)?.into_iter().collect();
        for (id, request) in requests.iter().enumerate().take(done) {
            let lines = match read_connection(&work, id)? {
                Ok(lines) => lines,
                Err(missing) => {
                    return Ok(Err(format!("after {}, {missing}", count_of_requests(done))));
                }
            };
            let said_goodbye = lines.iter().any(|l| goodbye_number(l, count).is_some());
            if said_goodbye || !held.contains(&work.join(file_name(id))) {
                fed_look = DEFER;
                return Ok(Err(format!(
                    "after {}, while it waited for the next one, connection {id} was \
                     already closed (its file {}): its close must wait until the input ends",
                    count_of_requests(done),
                    if said_goodbye {
                        "has its goodbye line"
                    } else {
                        "is not open"
                    }
                )));
            }
            if lines != expected_before_goodbye(id, request) {
                return Ok(Err(format!(
                    "after {}, {} does not hold connection {id}'s opening and the \
                     request it was given, in that order",
                    count_of_requests(done),
                    file_name(id)
                )));
            }
        }
        Ok(Ok(()))
    })?;
    let outcome = session.finish()?;
    // A failed run's own error says more than the requests it did not ask for.
    let failed = !outcome.status.success();
    if let (false, Err(complaint)) = (failed, fed) {
        return Ok(Err((complaint, fed_look)));
    }
    if let Some(problem) = outcome.problem() {
        return Ok(Err((problem, OTHER)));
    }
    let expected_files: BTreeSet<String> = (0..count).map(file_name).collect();
    let mut goodbyes = Vec::new();
    for (id, request) in requests.iter().enumerate() {
        let lines = match read_connection(&work, id)? {
            Ok(lines) => lines,
            Err(missing) => return Ok(Err((missing, SERVE))),
        };
        let (served, rest) = lines.split_at(lines.len().min(2));
        let numbers: Option<Vec<usize>> = rest.iter().map(|l| goodbye_number(l, count)).collect();
        match numbers {
            Some(numbers) if served == expected_before_goodbye(id, request) => {
                goodbyes.push(numbers);
            }
            _ => {
                return Ok(Err((
                    format!(
                        "{} holds other lines than connection {id}'s opening, its request \
                         and its goodbye",
                        file_name(id)
                    ),
                    SERVE,
                )));
            }
        }
    }
    for entry in fs::read_dir(&work)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !expected_files.contains(&name) {
            return Ok(Err((
                format!(
                    "the work directory should hold the connections' files only; it also \
                     holds {name}"
                ),
                SERVE,
            )));
        }
    }
    let ids_in = |event: &str| -> Vec<usize> {
        outcome
            .reports
            .iter()
            .filter_map(|line| line.strip_prefix(event)?.parse().ok())
            .collect()
    };
    Ok(Ok(Closes {
        goodbyes,
        calls: ids_in("close "),
        dropped_unclosed: ids_in("leak "),
    }))
}

/// What is wrong with the closes, if anything, and where to look.
fn judge(closes: &Closes, reported: bool) -> Option<Complaint> {
    let count = closes.goodbyes.len();
    let never: Vec<usize> = (0..count)
        .filter(|&id| closes.goodbyes[id].is_empty())
        .collect();
    let calls_of = |id: usize| closes.calls.iter().filter(|&&c| c == id).count();
    let again: Vec<usize> = (0..count)
        .filter(|&id| calls_of(id) > 1 || closes.goodbyes[id].len() > 1)
        .collect();
    let capture = "in `serve_all`, what each deferred closure captures. One that holds the \
                   pool reads `current` when it runs, after the loop has moved on to the \
                   last connection. Capture what identifies this iteration's connection \
                   when the closure is made.";
    let mut wrong = Vec::new();
    if !never.is_empty() {
        let mut what = format!("connections {} were never closed", list(never));
        if reported {
            what.push_str(&format!(
                " (dropped without a close: {})",
                list(closes.dropped_unclosed.iter().copied())
            ));
        }
        wrong.push(what);
    }
    if !again.is_empty() {
        let times = |id: usize| calls_of(id).max(closes.goodbyes[id].len());
        let again: Vec<String> = again
            .iter()
            .map(|&id| format!("{id} ({} times)", times(id)))
            .collect();
        wrong.push(format!("closed more than once: {}", again.join(", ")));
    }
    if !wrong.is_empty() {
        return Some((wrong.join("; "), capture));
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&id| closes.goodbyes[id][0]);
    let newest_first: Vec<usize> = (0..count).rev().collect();
    if order != newest_first {
        let what = if order.iter().eq(newest_first.iter().rev()) {
            "every connection was closed once, but oldest first"
        } else {
            "every connection was closed once, but not newest first"
        };
        return Some((
            format!(
                "{what}: {} (from the goodbye lines). Deferred closes run newest first: {}",
                list(order),
                list((0..count).rev())
            ),
            DEFER,
        ));
    }
    // The files are right; the kit's reports must say the same, or the
    // goodbyes were not written by its `close`.
    if reported && closes.calls != newest_first {
        return Some((
            format!(
                "the files say goodbye newest first, but the connections reported these \
                 close calls: {}",
                list(closes.calls.iter().copied())
            ),
            "close each connection with `Connection::close`, deferred on the `DeferStack`.",
        ));
    }
    None
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let watched = Start {
        reports: true,
        ..Start::default()
    };
    let closes = match run(&lab, program, watched, WATCHED)? {
        Ok(closes) => closes,
        Err((wrong, where_to_look)) => {
            return Ok(verdict.fail(&sentence(&wrong), where_to_look));
        }
    };
    verdict.note(&format!(
        "Served {WATCHED} requests, watched: whenever it asked for the next request, every \
         connection so far had served its own and was still open."
    ));
    verdict.note(&format!(
        "Close calls, in the order they ran: {}",
        list(closes.calls.iter().copied())
    ));
    let mut said: Vec<usize> = (0..WATCHED)
        .filter(|&id| !closes.goodbyes[id].is_empty())
        .collect();
    said.sort_by_key(|&id| closes.goodbyes[id][0]);
    verdict.note(&format!(
        "Goodbye lines in the connections' files, in the order written: {}",
        list(said)
    ));
    if let Some((what, where_to_look)) = judge(&closes, true) {
        return Ok(verdict.fail(&sentence(&what), where_to_look));
    }
    let plain = match run(&lab, program, Start::default(), PLAIN)? {
        Ok(closes) => judge(&closes, false),
        Err(complaint) => Some(complaint),
    };
    if let Some((what, where_to_look)) = plain {
        return Ok(verdict.fail(
            &sentence(&format!(
                "in a run as from a terminal (no checker variables), with {PLAIN} \
                 requests: {what}"
            )),
            where_to_look,
        ));
    }
    verdict.note(&format!(
        "Served {PLAIN} requests as from a terminal (no checker variables): each \
         connection closed once, newest first."
    ));
    Ok(
        verdict
            .pass("each connection was closed exactly once, newest first, when the input ended."),
    )
}
