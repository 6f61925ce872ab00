//! The checker for exercise 8, where the student writes the check. It gives
//! the student's program programs whose needs it knows: copies of
//! `exercise-8-target`, each under a random name. Every copy runs the same
//! code, and none holds what it will do: it asks the checker, over a Unix
//! socket, for its pattern of opens, and the checker answers only a process
//! whose executable is that copy. So neither name, size nor content tells the
//! copies apart; only running one under a budget shows what it needs. The
//! student's answer is its exit status, which printing cannot change.

use crate::lab::{self, Lab, Start};
use crate::registry::{Cheat, Exercise};
use crate::verdict::Verdict;
use defer_issues_harness::{cargo, child};
use std::fs::{self, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::MetadataExt;
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Duration;

pub const EXERCISE: Exercise = Exercise {
    number: 8,
    folder: "8-budget-test",
    title: "Write the Descriptor-Budget Check",
    chapter: ("Advanced Detection", "advanced-detection.md"),
    minutes: 15,
    hints: include_str!("hints.md"),
    cheats: &[
        Cheat {
            name: "always-within",
            trick: "runs nothing and says every program is within the budget",
            fails_with: "said within the budget",
        },
        Cheat {
            name: "always-over",
            trick: "runs nothing and says every program is over the budget",
            fails_with: "said over the budget",
        },
        Cheat {
            name: "inherited-limit",
            trick: "runs each program under its own descriptor limit, with no budget",
            fails_with: "said within the budget",
        },
        Cheat {
            name: "no-stdio",
            trick: "sets the limit to the budget, forgetting stdin, stdout and stderr",
            fails_with: "said over the budget",
        },
        Cheat {
            name: "first-only",
            trick: "judges the first program it is given and ignores the others",
            fails_with: "one of them over",
        },
        Cheat {
            name: "by-name",
            trick: "answers from the program's name without running it",
            fails_with: "said within the budget",
        },
        Cheat {
            name: "sampling",
            trick: "counts the program's descriptors in /proc while it runs",
            fails_with: "said within the budget",
        },
        Cheat {
            name: "asks-for-plan",
            trick: "asks the checker's socket for each program's pattern instead of running it",
            fails_with: "said within the budget",
        },
    ],
    honest: &["high-water"],
    extra_programs: &["target"],
    check,
};

/// The budget the starter's `BUDGET` sets: descriptors besides stdio.
const BUDGET: u32 = 4;

/// A pattern of opens: a burst at the start, closed at once, then `rounds`
/// files opened one at a time, every `keep_every`-th of them kept open to the
/// end (0: none). The checker sends it to a running copy of
/// `exercise-8-target` (see [`PlanDesk`]).
pub struct Plan {
    pub burst: u32,
    pub rounds: u32,
    pub keep_every: u32,
}

impl Plan {
    /// Its length on the socket.
    const LEN: usize = 12;

    fn encode(&self) -> [u8; Self::LEN] {
        let mut bytes = [0; Self::LEN];
        for (chunk, number) in
            bytes
                .chunks_exact_mut(4)
                .zip([self.burst, self.rounds, self.keep_every])
        {
            chunk.copy_from_slice(&number.to_le_bytes());
        }
        bytes
    }

    fn decode(bytes: &[u8; Self::LEN]) -> Plan {
        let number = |i: usize| u32::from_le_bytes(bytes[i * 4..i * 4 + 4].try_into().unwrap());
        Plan {
            burst: number(0),
            rounds: number(1),
            keep_every: number(2),
        }
    }

    /// The most descriptors it holds at once besides stdio: the one that
    /// reads where to ask for the plan, then the socket that asks (one at a
    /// time), the burst, or the kept files and the one being opened.
    pub fn peak(&self) -> u32 {
        let kept = match self.keep_every {
            0 => 0,
            every => self.rounds.saturating_sub(1) / every,
        };
        let rounds = if self.rounds > 0 { kept + 1 } else { 0 };
        1.max(self.burst).max(rounds)
    }
}

/// The end of every copy: this mark, then the name of the abstract Unix
/// socket (nothing on disk) where the copy asks for its plan.
const DESK_MARK: &[u8; 8] = b"fd-desk1";
const DESK_NAME_LEN: usize = 32;
/// How many bytes at the end of a copy say where it asks for its plan.
pub const DESK_TAIL_LEN: usize = DESK_MARK.len() + DESK_NAME_LEN;

/// The plan of the copy whose last [`DESK_TAIL_LEN`] bytes are `tail`, asked
/// of the desk they name (see [`PlanDesk`]); `None` if they name none. The
/// socket is closed when this returns.
pub fn ask_for_plan(tail: &[u8]) -> io::Result<Option<Plan>> {
    let Some(desk) = tail.strip_prefix(DESK_MARK.as_slice()) else {
        return Ok(None);
    };
    let mut socket = UnixStream::connect_addr(&SocketAddr::from_abstract_name(desk)?)?;
    let mut bytes = [0; Plan::LEN];
    socket
        .read_exact(&mut bytes)
        .map_err(|err| match err.kind() {
            ErrorKind::UnexpectedEof => {
                io::Error::other("the checker gives a pattern only to a copy it made, running")
            }
            _ => err,
        })?;
    Ok(Some(Plan::decode(&bytes)))
}

/// Hands each copy its plan once it runs. A process that connects gets the
/// plan of the copy that is its executable (the same device and inode), and
/// any other process gets nothing: a program that reads a copy, or asks for
/// its plan itself, learns nothing of what the copy needs.
struct PlanDesk {
    listener: UnixListener,
    name: String,
    plans: Mutex<Vec<(CopyId, [u8; Plan::LEN])>>,
}

/// A copy's device and inode number, which its running process's
/// `/proc/PID/exe` shows too.
type CopyId = (u64, u64);

impl PlanDesk {
    fn open() -> io::Result<Self> {
        let name = format!("exercise-8-plans-{:015x}", lab::random_u64()? >> 4);
        debug_assert_eq!(name.len(), DESK_NAME_LEN);
        let listener = UnixListener::bind_addr(&SocketAddr::from_abstract_name(&name)?)?;
        listener.set_nonblocking(true)?;
        Ok(Self {
            listener,
            name,
            plans: Mutex::default(),
        })
    }

    /// Records the copy at `path`, which must not change from now on, and
    /// its plan.
    fn register(&self, path: &Path, plan: &Plan) -> io::Result<()> {
        let copy = fs::metadata(path)?;
        self.plans
            .lock()
            .unwrap()
            .push(((copy.dev(), copy.ino()), plan.encode()));
        Ok(())
    }

    /// Answers the copies that ask, until `done`.
    fn serve(&self, done: &AtomicBool) {
        while !done.load(Ordering::Relaxed) {
            match self.listener.accept() {
                // A caller that goes away early costs only itself its plan.
                Ok((stream, _)) => self.answer(stream).unwrap_or(()),
                Err(err) if err.kind() == ErrorKind::WouldBlock => {
                    thread::sleep(Duration::from_millis(2));
                }
                Err(_) => break,
            }
        }
    }

    fn answer(&self, mut caller: UnixStream) -> io::Result<()> {
        let exe = fs::metadata(format!("/proc/{}/exe", peer_pid(&caller)?))?;
        let plans = self.plans.lock().unwrap();
        match plans
            .iter()
            .find(|(copy, _)| *copy == (exe.dev(), exe.ino()))
        {
            Some((_, plan)) => caller.write_all(plan),
            None => Ok(()),
        }
    }
}

/// The process at the other end of a Unix socket, as it was when it
/// connected.
fn peer_pid(stream: &UnixStream) -> io::Result<libc::pid_t> {
    let mut peer = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: peer and len are valid for getsockopt to write, and len is
    // peer's size.
    let status = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut peer).cast(),
            &mut len,
        )
    };
    if status != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(peer.pid)
}

/// The programs given one at a time, with what each does.
const TARGETS: &[(&str, Plan)] = &[
    (
        "opens 40 files one at a time",
        Plan {
            burst: 0,
            rounds: 40,
            keep_every: 0,
        },
    ),
    (
        "holds 4 files at its start, then 40 one at a time",
        Plan {
            burst: 4,
            rounds: 40,
            keep_every: 0,
        },
    ),
    (
        "keeps one file in ten of 40 (4 at the end)",
        Plan {
            burst: 0,
            rounds: 40,
            keep_every: 10,
        },
    ),
    (
        "keeps every one of the 40 files it opens",
        Plan {
            burst: 0,
            rounds: 40,
            keep_every: 1,
        },
    ),
    (
        "holds 5 files at its start, then 40 one at a time",
        Plan {
            burst: 5,
            rounds: 40,
            keep_every: 0,
        },
    ),
    (
        "holds 12 files for an instant at its start",
        Plan {
            burst: 12,
            rounds: 1,
            keep_every: 0,
        },
    ),
    (
        "keeps one file in ten of 41 (5 at the end)",
        Plan {
            burst: 0,
            rounds: 41,
            keep_every: 10,
        },
    ),
];

/// Runs of several programs at once, by index in `TARGETS`: the answer is
/// "over" if any one of them is over.
const GROUPS: &[&[usize]] = &[&[0, 3, 1], &[1, 0, 2]];

/// `exercise-8-target`, built once per process.
fn target() -> io::Result<&'static Path> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let name = EXERCISE.extra_program_bin("target");
        cargo::build(&["--package", "defer-issues-exercises", "--bin", &name])
            .and_then(|()| cargo::binary(&name))
            .map_err(|err| err.to_string())
    });
    built
        .as_deref()
        .map_err(|err| io::Error::other(err.clone()))
}

/// Copies the target to `dir` under a random name, with random padding (so
/// sizes differ) and where to ask for its plan at the end; returns the name.
fn prepare(dir: &Path, plan: &Plan, desk: &PlanDesk) -> io::Result<String> {
    let random = lab::random_u64()?;
    let name = format!("{:012x}", random >> 16);
    let copy = dir.join(&name);
    let target = target()?;
    child::without_spawns(|| {
        fs::copy(target, &copy)?;
        let mut file = OpenOptions::new().append(true).open(&copy)?;
        file.write_all(&vec![0u8; (random % 4096) as usize])?;
        file.write_all(DESK_MARK)?;
        file.write_all(desk.name.as_bytes())
    })?;
    desk.register(&copy, plan)?;
    Ok(name)
}

/// The answer of one run, given the programs `plans`: `true` for "within the
/// budget" (exit status 0), `false` for "over" (1), or what went wrong.
fn answer(lab: &Lab, program: &Path, plans: &[&Plan]) -> io::Result<Result<bool, String>> {
    let desk = PlanDesk::open()?;
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| desk.serve(&done));
        let answer = run(lab, program, plans, &desk);
        done.store(true, Ordering::Relaxed);
        answer
    })
}

fn run(
    lab: &Lab,
    program: &Path,
    plans: &[&Plan],
    desk: &PlanDesk,
) -> io::Result<Result<bool, String>> {
    let mut names = Vec::new();
    let mut session = lab.start(program, Start::default(), |dir| {
        for plan in plans {
            names.push(prepare(dir, plan, desk)?);
        }
        Ok(())
    })?;
    let fed = lab::feed(&mut session, &names, |_, _| Ok(Ok(())))?;
    let outcome = session.finish()?;
    if let Err(complaint) = fed {
        return Ok(Err(complaint));
    }
    if let Some(wrote) = outcome.wrote_outside() {
        return Ok(Err(wrote));
    }
    match outcome.status.code() {
        Some(0) => Ok(Ok(true)),
        Some(1) => Ok(Ok(false)),
        // Neither answer: it failed, and `problem` says how.
        _ => Ok(Err(outcome.problem().unwrap_or_default())),
    }
}

fn descriptors(count: u32) -> String {
    match count {
        1 => "1 descriptor".to_string(),
        n => format!("{n} descriptors"),
    }
}

fn said(within: bool) -> &'static str {
    if within {
        "said within the budget (exit status 0)"
    } else {
        "said over the budget (exit status 1)"
    }
}

pub fn check(program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let lab = Lab::new()?;
    let where_to_look = "in `within_budget`, where the descriptors are counted, and whose. \
                         Each process has its own descriptors and its own limit: the \
                         program under test must run under the budget itself, as \
                         `DescriptorBudget` runs it.";
    // One program per run, in an order that changes from check to check.
    let mut order: Vec<(u64, usize)> = (0..TARGETS.len())
        .map(|i| Ok((lab::random_u64()?, i)))
        .collect::<io::Result<_>>()?;
    order.sort();
    let mut answers = vec![None; TARGETS.len()];
    for (_, i) in order {
        match answer(&lab, program, &[&TARGETS[i].1])? {
            Ok(within) => answers[i] = Some(within),
            Err(wrong) => {
                return Ok(verdict.fail(
                    &format!("given a program that {}: {wrong}.", TARGETS[i].0),
                    where_to_look,
                ));
            }
        }
    }
    verdict.note(&format!(
        "Each program copied under a random name and given alone; the budget is {BUDGET} \
         descriptors besides stdio:"
    ));
    let mut first_wrong = None;
    for ((what, plan), answer) in TARGETS.iter().zip(&answers) {
        let within = answer.expect("every program was given");
        let right = within == (plan.peak() <= BUDGET);
        let mark = if right { "right" } else { "WRONG" };
        let answer = if within { "within" } else { "over" };
        verdict.note(&format!("  {what:<52} {answer:<6} {mark}"));
        if !right && first_wrong.is_none() {
            first_wrong = Some(format!(
                "it {} for a program that {what}: it holds {} at once besides stdio, \
                 against a budget of {BUDGET}.",
                said(within),
                descriptors(plan.peak())
            ));
        }
    }
    if let Some(wrong) = first_wrong {
        return Ok(verdict.fail(&wrong, where_to_look));
    }
    for group in GROUPS {
        let plans: Vec<&Plan> = group.iter().map(|&i| &TARGETS[i].1).collect();
        let over = plans.iter().filter(|plan| plan.peak() > BUDGET).count();
        let within = match answer(&lab, program, &plans)? {
            Ok(within) => within,
            Err(wrong) => {
                return Ok(verdict.fail(
                    &format!("given {} programs at once: {wrong}.", plans.len()),
                    where_to_look,
                ));
            }
        };
        let which = match over {
            0 => "all of them within".to_string(),
            1 => "one of them over".to_string(),
            n => format!("{n} of them over"),
        };
        if within != (over == 0) {
            return Ok(verdict.fail(
                &format!(
                    "given the names of {} programs, {which} the budget, it {}.",
                    plans.len(),
                    said(within)
                ),
                "the loop in `main`: every program named on stdin must be checked, and \
                 one over the budget makes the answer 1.",
            ));
        }
        verdict.note(&format!(
            "Given {} programs at once, {which}: {}.",
            plans.len(),
            said(within)
        ));
    }
    Ok(verdict.pass(&format!(
        "every answer right: the program tells a program that holds {BUDGET} descriptors \
         at once from one that holds {} for an instant.",
        BUDGET + 1
    )))
}
