//! The course: eight exercises, each a small program with one of the book's
//! bugs in it, and a checker that runs the program and watches what it does.
//!
//! - [`registry`]: every exercise, declared once.
//! - [`kit`]: what the exercise programs use to take their jobs and report.
//! - [`lab`]: the checkers' side: runs a program job by job in a private
//!   directory and observes it from outside.
//! - [`verdict`]: what a checker found, and PASS or FAIL.
//!
//! A checker trusts only what it sees itself: files on disk, descriptors in
//! `/proc`, exit statuses, and reports sent by the kit through a file that
//! printing cannot reach. Never the program's own output.

pub mod kit;
pub mod lab;
pub mod registry;
pub mod verdict;

#[path = "../1-loop/check.rs"]
pub mod loop_check;

#[path = "../2-heap/check.rs"]
pub mod heap_check;

#[path = "../3-closures/check.rs"]
pub mod closures_check;

#[path = "../4-detection/check.rs"]
pub mod detection_check;

#[path = "../5-let-underscore/check.rs"]
pub mod let_underscore_check;

#[path = "../6-held-lock/check.rs"]
pub mod held_lock_check;

#[path = "../7-rc-cycle/check.rs"]
pub mod rc_cycle_check;

#[path = "../8-budget-test/check.rs"]
pub mod budget_test_check;
