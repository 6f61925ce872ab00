//! Plumbing shared by the book's examples, kept out of the example files so
//! that each example reads top to bottom as the pattern it teaches.
//!
//! - [`budget`]: a test helper that caps how many descriptors a program may hold.
//! - [`cli`]: the command-line contract every example shares.
//! - [`fds`]: counting this process's open descriptors and lowering its limit.
//! - [`workdir`]: a private temporary directory that is removed even on Ctrl-C.
//! - [`run`]: the `[START]`, `[AFTER ...]` and `[FINAL]` report lines.
//! - [`heap`]: a counting allocator, for the heap figures in those lines.
//! - [`defer`]: a Go-style defer stack, the faithful port of Go's `defer`.
//! - [`connection`]: Example 2's pretend connection, which reports unclosed drops.

pub mod budget;
pub mod cli;
pub mod connection;
pub mod defer;
pub mod fds;
pub mod heap;
pub mod run;
pub mod workdir;

pub use defer::DeferStack;
