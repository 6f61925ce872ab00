//! Leaks that safe Rust allows: `mem::forget` skips a value's destructor, and
//! `Rc` values that point at each other keep each other alive. Neither is
//! undefined behaviour; both mean cleanup never runs. A counter of live
//! objects, and the process's descriptor count, show it.
//!
//! Run it:  cargo run --example drop-leaks

use defer_issues::cli::parse_args;
use defer_issues::fds::open_fds;
use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::mem;
use std::process::ExitCode;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering};

const USAGE: &str = "Usage: drop-leaks [OPTIONS]

Leaks an object and a file with mem::forget, and two objects with an Rc cycle,
and shows that a Weak back-reference avoids the cycle.

Options:
  -h, --help       print this help
";

// ANCHOR: tracked
/// How many `Tracked` values exist right now.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Counts itself in `LIVE` while it exists.
struct Tracked;

impl Tracked {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Tracked
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

fn live() -> usize {
    LIVE.load(Ordering::SeqCst)
}
// ANCHOR_END: tracked

// ANCHOR: forget
fn forget() -> io::Result<()> {
    let before = live();
    mem::forget(Tracked::new());
    println!("  live objects: {before} before, {} after", live());

    let before = open_fds()?;
    mem::forget(File::open("/dev/null")?);
    println!("  open descriptors: {before} before, {} after", open_fds()?);
    Ok(())
} // Nothing left to drop: forget took both values and never ran their Drop.
// ANCHOR_END: forget

// ANCHOR: cycle
struct Node {
    _tracked: Tracked,
    next: RefCell<Option<Rc<Node>>>,
}

fn node() -> Rc<Node> {
    Rc::new(Node {
        _tracked: Tracked::new(),
        next: RefCell::new(None),
    })
}

fn rc_cycle() {
    let before = live();
    let a = node();
    let b = node();
    *a.next.borrow_mut() = Some(Rc::clone(&b));
    *b.next.borrow_mut() = Some(Rc::clone(&a));
    let (count_a, count_b) = (Rc::strong_count(&a), Rc::strong_count(&b));
    println!("  strong counts: a {count_a}, b {count_b}");
    drop(a);
    drop(b);
    // Each node still holds the other: both counts fell from 2 to 1, not 0.
    println!("  live objects: {before} before, {} after", live());
}
// ANCHOR_END: cycle

// ANCHOR: weak
struct Parent {
    _tracked: Tracked,
    child: RefCell<Option<Rc<Child>>>,
}

struct Child {
    _tracked: Tracked,
    parent: RefCell<Weak<Parent>>,
}

fn weak_back_reference() {
    let before = live();
    let parent = Rc::new(Parent {
        _tracked: Tracked::new(),
        child: RefCell::new(None),
    });
    let child = Rc::new(Child {
        _tracked: Tracked::new(),
        parent: RefCell::new(Weak::new()),
    });
    *child.parent.borrow_mut() = Rc::downgrade(&parent);
    *parent.child.borrow_mut() = Some(Rc::clone(&child));
    let parent_alive = child.parent.borrow().upgrade().is_some();
    println!("  child can reach its parent: {parent_alive}");
    drop(parent);
    drop(child);
    // The Weak does not keep the parent alive, so both nodes are freed.
    println!("  live objects: {before} before, {} after", live());
}
// ANCHOR_END: weak

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    println!("mem::forget:");
    if let Err(err) = forget() {
        eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    println!("An Rc cycle:");
    rc_cycle();
    println!("A Weak back-reference instead:");
    weak_back_reference();
    ExitCode::SUCCESS
}
