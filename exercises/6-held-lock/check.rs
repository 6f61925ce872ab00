//! The checker for exercise 6. It fills the queue itself, with documents of
//! random lengths, and works as a second worker on the same queue. Each time
//! the program stops in the middle of a job to ask for `go on`, the checker
//! tries the queue's `flock` with a descriptor of its own: it must be free.
//! Holding it, the checker takes a job for itself, checks the queue and
//! `done.txt`, and lets the program go on while it still holds the lock: the
//! program must then wait for the lock before it takes its next job.

use crate::kit::{GO_ON, Queue};
use crate::lab::{self, Lab, Request, Session, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::io;
use std::path::Path;

pub const EXERCISE: Exercise = Exercise {
    number: 6,
    folder: "6-held-lock",
    title: "Release the Queue Before the Work",
    chapter: ("Lints", "lints.md"),
    minutes: 15,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "no-work",
            trick: "does nothing at all",
            fails_with: "still in",
        },
        Cheat {
            name: "printed",
            trick: "takes the jobs as it should and prints the counts",
            fails_with: "is not in done.txt",
        },
        Cheat {
            name: "limit-adaptive",
            trick: "releases the queue before the work only under a low descriptor limit",
            fails_with: "was held",
        },
        Cheat {
            name: "env-detecting",
            trick: "releases the queue before the work only when the checker's variables are set",
            fails_with: "was held",
        },
        Cheat {
            name: "no-lock",
            trick: "takes jobs off the queue without locking it",
            fails_with: "other worker held",
        },
        Cheat {
            name: "hoard",
            trick: "takes every job at once, then works on them with the queue free",
            fails_with: "at once",
        },
        Cheat {
            name: "stale-list",
            trick: "reads the list once and works from its own copy",
            fails_with: "had taken",
        },
        Cheat {
            name: "match-arms",
            trick: "a `match` on `queue.lock()?.pop()?`: the guard lives through the arms",
            fails_with: "was held",
        },
        Cheat {
            name: "if-let",
            trick: "an `if let` on `queue.lock()?.pop()?`: the guard lives through its block",
            fails_with: "was held",
        },
    ],
    honest: &["let-else", "tail-block"],
    extra_programs: &[],
    check,
};

/// Jobs in the queue of the watched run, and of the run under the limit.
const WATCHED: usize = 12;
const LIMITED: usize = 40;
/// stdin, stdout, stderr, the queue's lock, a document or `done.txt`, and
/// room to spare.
const LIMIT: u64 = 16;

/// `count` jobs, each a document of random length: their names, in queue
/// order, and their line counts.
fn documents(count: usize) -> io::Result<Vec<(String, usize)>> {
    (0..count)
        .map(|i| {
            Ok((
                format!("job-{i:02}"),
                1 + (lab::random_u64()? % 64) as usize,
            ))
        })
        .collect()
}

/// What the checker knows of a run so far.
struct Watch {
    lines: BTreeMap<String, usize>,
    /// The jobs still in the queue, first to be taken first.
    queue: VecDeque<String>,
    /// The program's jobs, in the order it took them; the last one may be in
    /// progress.
    program: Vec<String>,
    /// The jobs the checker took as the other worker.
    checker: Vec<String>,
}

impl Watch {
    /// Compares `done.txt` with the program's jobs, the first `finished` of
    /// which must be done, each once, with the right count.
    fn check_done(&self, work: &Path, finished: usize) -> io::Result<Result<(), String>> {
        let text = match fs::read_to_string(work.join("done.txt")) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => String::new(),
            Err(err) => return Err(err),
        };
        let mut seen = BTreeMap::new();
        for line in text.lines() {
            let (job, count) = line.split_once(' ').unwrap_or((line, ""));
            if self.checker.iter().any(|taken| taken == job) {
                return Ok(Err(format!(
                    "done.txt has a line for {job}, which the other worker had taken: the \
                     program did a job that was no longer in the queue"
                )));
            }
            let Some(&lines) = self.lines.get(job) else {
                return Ok(Err(format!("done.txt has a line for no job: {line:?}")));
            };
            if count != lines.to_string() {
                return Ok(Err(format!(
                    "done.txt says {line:?}, but {job}.txt has {lines} lines"
                )));
            }
            *seen.entry(job).or_insert(0) += 1;
        }
        for job in &self.program[..finished] {
            match seen.remove(job.as_str()) {
                Some(1) => {}
                None => {
                    return Ok(Err(format!(
                        "{job} is not in done.txt: the program took it off the queue, but \
                         never wrote `{job} {}` there",
                        self.lines[job]
                    )));
                }
                Some(times) => {
                    return Ok(Err(format!("done.txt has {job} {times} times")));
                }
            }
        }
        if let Some(job) = seen.keys().next() {
            return Ok(Err(format!(
                "done.txt has a line for {job} before the program took {job} off the queue"
            )));
        }
        Ok(Ok(()))
    }
}

/// Why the watching stopped early.
enum Stop {
    /// The program ended before the queue was empty, or would not wait.
    Ended(String),
    /// Something was wrong on disk or with the lock.
    Wrong(String),
}

/// The checkpoint in the middle of the program's job number `taken`: the
/// queue must be free, and have lost exactly one job since the last look.
/// Returns the checker's hold on the queue.
fn in_the_middle<'q>(
    watch: &mut Watch,
    work: &Path,
    queue: &'q Queue,
    taken: usize,
) -> io::Result<Result<crate::kit::QueueGuard<'q>, String>> {
    // Read without the lock: the program, waiting for `go on`, cannot change it.
    let left: Vec<String> = fs::read_to_string(work.join("queue"))?
        .lines()
        .map(str::to_string)
        .collect();
    let expected: Vec<&String> = watch.queue.iter().skip(1).collect();
    let Some(mut held) = queue.try_lock()? else {
        let job = match watch.queue.front() {
            Some(job) if left.iter().collect::<Vec<_>>() == expected => {
                format!("{job} (its job number {taken})")
            }
            _ => format!("its job number {taken}"),
        };
        return Ok(Err(format!(
            "in the middle of {job}, when it asked for `{GO_ON}`, queue.lock was held: no \
             other worker could take a job while it worked"
        )));
    };
    if left.iter().collect::<Vec<_>>() != expected {
        let gone = watch.queue.len().saturating_sub(left.len());
        let why = if gone > 1 && watch.queue.iter().skip(gone).eq(left.iter()) {
            format!(
                "it took {gone} jobs off the queue at once, where a worker takes one at a \
                 time: the other workers found them gone"
            )
        } else if gone == 0 {
            format!("it asked for `{GO_ON}` without taking a job off the queue")
        } else {
            format!("the queue holds {left:?}, where {expected:?} was expected")
        };
        return Ok(Err(format!("in its job number {taken}, {why}")));
    }
    let job = watch
        .queue
        .pop_front()
        .expect("the queue had a job to lose");
    watch.program.push(job);
    if let Err(wrong) = watch.check_done(work, taken - 1)? {
        return Ok(Err(format!("in its job number {taken}, {wrong}")));
    }
    // The other worker's turn: a job for the checker.
    if let Some(job) = held.pop()? {
        watch.queue.pop_front();
        watch.checker.push(job);
    }
    Ok(Ok(held))
}

/// Watches the program drain the queue.
fn watch_run(
    session: &mut Session,
    work: &Path,
    watch: &mut Watch,
) -> io::Result<Result<(), Stop>> {
    let total = watch.lines.len();
    let queue = Queue::open(work)?;
    for taken in 1.. {
        let status = match session.next_request()? {
            Request::Ended(status) => status,
            Request::NextJob if taken > total => {
                return Ok(Err(Stop::Wrong(format!(
                    "it asked for `{GO_ON}` {taken} times, with {total} jobs in the queue"
                ))));
            }
            Request::NextJob => {
                let held = match in_the_middle(watch, work, &queue, taken)? {
                    Ok(held) => held,
                    Err(wrong) => return Ok(Err(Stop::Wrong(wrong))),
                };
                session.send(GO_ON)?;
                // Still holding the queue: the program must wait for it.
                let without_lock = match session.next_request_or_flock()? {
                    None => None,
                    Some(Request::NextJob) => Some("took its next job"),
                    Some(Request::Ended(_)) => Some("ended"),
                };
                if let Some(what) = without_lock {
                    return Ok(Err(Stop::Wrong(format!(
                        "after its job number {taken}, it {what} while the other worker held \
                         queue.lock: it must take the lock before it looks at the queue"
                    ))));
                }
                drop(held);
                continue;
            }
        };
        if !watch.queue.is_empty() {
            return Ok(Err(Stop::Ended(format!(
                "the program ended ({status}) with {} of the {total} jobs still in the queue",
                watch.queue.len()
            ))));
        }
        break;
    }
    Ok(Ok(()))
}

/// Runs the program on a queue of `jobs` while watching; what went wrong,
/// if anything, or how many jobs the checker took.
fn watched_run(
    lab: &Lab,
    program: &Path,
    start: Start,
    jobs: Vec<(String, usize)>,
) -> io::Result<Result<usize, String>> {
    let work = lab.work();
    let mut session = lab.start(program, start, |dir| {
        for (job, lines) in &jobs {
            let text: String = (0..*lines)
                .map(|line| Ok(format!("{job}, line {line}: {:016x}\n", lab::random_u64()?)))
                .collect::<io::Result<_>>()?;
            fs::write(dir.join(format!("{job}.txt")), text)?;
        }
        let list: String = jobs.iter().map(|(job, _)| format!("{job}\n")).collect();
        fs::write(dir.join("queue"), list)?;
        fs::write(dir.join("queue.lock"), "")
    })?;
    let mut watch = Watch {
        queue: jobs.iter().map(|(job, _)| job.clone()).collect(),
        lines: jobs.into_iter().collect(),
        program: Vec::new(),
        checker: Vec::new(),
    };
    let watched = watch_run(&mut session, &work, &mut watch)?;
    let outcome = session.finish()?;
    match (watched, outcome.problem()) {
        // Why it ended early is part of the answer.
        (Err(Stop::Ended(complaint)), Some(problem)) => {
            return Ok(Err(format!("{complaint}; {problem}")));
        }
        (Err(Stop::Ended(complaint) | Stop::Wrong(complaint)), _) => return Ok(Err(complaint)),
        (Ok(()), Some(problem)) => return Ok(Err(problem)),
        (Ok(()), None) => {}
    }
    if let Err(wrong) = watch.check_done(&work, watch.program.len())? {
        return Ok(Err(wrong));
    }
    if !fs::read_to_string(work.join("queue"))?.is_empty() {
        return Ok(Err("the queue file is not empty at the end".to_string()));
    }
    let mut expected: Vec<String> = watch.lines.keys().map(|job| format!("{job}.txt")).collect();
    expected.extend(["done.txt", "queue", "queue.lock"].map(String::from));
    expected.sort();
    let mut found: Vec<String> = fs::read_dir(&work)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()?;
    found.sort();
    if found != expected {
        let extra: Vec<&String> = found.iter().filter(|f| !expected.contains(f)).collect();
        return Ok(Err(format!(
            "the work directory should hold the documents, the queue, its lock and done.txt \
             only; it also holds: {extra:?}"
        )));
    }
    Ok(Ok(watch.checker.len()))
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "in `drain`, how long the guard that `queue.lock()` returns lives. A \
                         temporary in the scrutinee of `while let`, `match` or `if let` lives \
                         through the block that follows; one in a `let` statement dies at its \
                         `;`.";
    match watched_run(&lab, program, Start::default(), documents(WATCHED)?)? {
        Ok(theirs) => verdict.note(&format!(
            "A queue of {WATCHED} jobs, watched: the queue free in the middle of every job; \
             the checker, as the other worker, took {theirs} jobs, and the program waited for \
             the lock while the checker held it; the program did the other {}, each once, \
             with the right count.",
            WATCHED - theirs
        )),
        Err(wrong) => return Ok(verdict.fail(&format!("{wrong}."), where_to_look)),
    }
    let limited = Start {
        nofile: Some(LIMIT),
        reports: true,
    };
    match watched_run(&lab, program, limited, documents(LIMITED)?)? {
        Ok(_) => verdict.note(&format!(
            "A queue of {LIMITED} jobs under a descriptor limit of {LIMIT}: all done right."
        )),
        Err(wrong) => {
            return Ok(verdict.fail(
                &format!("under a descriptor limit of {LIMIT}, with {LIMITED} jobs: {wrong}."),
                where_to_look,
            ));
        }
    }
    Ok(verdict.pass(
        "the program held the queue only to take a job off it, and let the other worker \
         take jobs while it worked.",
    ))
}
