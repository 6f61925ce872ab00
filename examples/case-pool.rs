//! Case study 2: a pool hands each task a connection and closes it when the
//! task's lease is dropped. The buggy release hook reads the pool's "current
//! slot" when it runs instead of when it is made, so releasing one task's
//! connection closes whichever connection was checked out last. `--fixed`
//! makes the hook copy the slot number at checkout.
//!
//! Run it:  cargo run --example case-pool
//!          cargo run --example case-pool -- --fixed

use defer_issues::cli::parse_args;
use defer_issues::connection::{Connection, report};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::rc::Rc;

const NAME: &str = "case-pool";

// ANCHOR: pool
/// Gives each task a connection of its own and closes it when the task is
/// done: a connection carries per-task state (an open transaction), so it is
/// never handed to a second task.
struct Pool {
    /// Every connection opened, by slot, kept for the final report.
    conns: RefCell<Vec<Rc<Connection>>>,
    /// The slot being checked out right now.
    current: Cell<usize>,
    /// Whether to use the fixed release hook (`--fixed`, below).
    fixed: bool,
}

/// A task's hold on a connection. Dropping it runs the pool's release hook.
struct Lease {
    conn: Rc<Connection>,
    release: Option<Box<dyn FnOnce()>>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        println!(
            "  Lease of connection {} dropped: running its release hook",
            self.conn.id
        );
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl Pool {
    fn checkout(self: &Rc<Self>) -> Lease {
        let slot = self.conns.borrow().len();
        let conn = Connection::open(slot);
        self.conns.borrow_mut().push(Rc::clone(&conn));
        self.current.set(slot);
        let release = if self.fixed {
            self.release_hook_fixed()
        } else {
            self.release_hook()
        };
        Lease {
            conn,
            release: Some(release),
        }
    }

    // ANCHOR: hook
    /// The cleanup for the connection being checked out.
    fn release_hook(self: &Rc<Self>) -> Box<dyn FnOnce()> {
        let pool = Rc::clone(self);
        // The bug: `current` is read when the hook runs, at release. By then
        // later checkouts have moved it on to their own slots.
        Box::new(move || pool.close_slot(pool.current.get()))
    }
    // ANCHOR_END: hook

    fn close_slot(&self, slot: usize) {
        self.conns.borrow()[slot].close();
    }
}
// ANCHOR_END: pool

impl Pool {
    // ANCHOR: hook_fixed
    /// The cleanup for the connection being checked out, fixed.
    fn release_hook_fixed(self: &Rc<Self>) -> Box<dyn FnOnce()> {
        let pool = Rc::clone(self);
        // The fix: read `current` now, while it is this checkout's slot, and
        // move the number into the hook.
        let slot = self.current.get();
        Box::new(move || pool.close_slot(slot))
    }
    // ANCHOR_END: hook_fixed
}

// ANCHOR: tasks
/// A task starts (and checks out a connection) or finishes (runs its last
/// query and drops its lease).
#[derive(Clone, Copy)]
enum Event {
    Start(usize),
    Finish(usize),
}

use Event::{Finish, Start};

/// Tasks overlap and finish out of order, as they do in a busy service.
const SCHEDULE: [Event; 10] = [
    Start(0),
    Start(1),
    Start(2),
    Finish(1),
    Start(3),
    Start(4),
    Finish(2),
    Finish(0),
    Finish(4),
    Finish(3),
];

/// Runs the schedule and returns the tasks whose connection was closed
/// under them.
fn run_tasks(pool: &Rc<Pool>) -> Vec<usize> {
    let mut leases = BTreeMap::new();
    let mut failed = Vec::new();
    for event in SCHEDULE {
        match event {
            Start(task) => {
                print!("Task {task} starts. ");
                leases.insert(task, pool.checkout());
            }
            Finish(task) => {
                let Some(lease) = leases.remove(&task) else {
                    continue;
                };
                let id = lease.conn.id;
                if lease.conn.is_closed() {
                    println!(
                        "Task {task} finishes. Query on connection {id}: ERROR, connection closed"
                    );
                    failed.push(task);
                } else {
                    println!("Task {task} finishes. Query on connection {id}: ok");
                }
                drop(lease);
            }
        }
    }
    failed
}
// ANCHOR_END: tasks

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Runs five overlapping tasks on a pool whose release hook reads the pool's\n\
         current slot when it runs, so releases close the wrong connections.\n\n\
         Options:\n\
         \x20 --fixed          copy the slot number at checkout: each release closes its own\n\
         \x20 -h, --help       print this help\n"
    );
    let mut fixed = false;
    let parsed = parse_args(&usage, |flag, _| {
        let known = flag == "--fixed";
        fixed |= known;
        Ok(known)
    });
    if let Err(code) = parsed {
        return code;
    }
    let pool = Rc::new(Pool {
        conns: RefCell::new(Vec::new()),
        current: Cell::new(0),
        fixed,
    });
    let failed = run_tasks(&pool);
    println!("\nTasks whose connection was closed under them: {failed:?}");
    report(pool.conns.take());
    ExitCode::SUCCESS
}
