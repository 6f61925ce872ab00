//! Running the book's programs as child processes and measuring them from
//! outside, written once for the tests (`tests/`) and the course checkers
//! (`exercises/`).
//!
//! - [`cargo`]: where cargo builds (asked of cargo, never guessed), and
//!   building the examples.
//! - [`child`]: a child that starts clean (stdio only, its own process group)
//!   and is killed with everything it started, whatever happens.
//! - [`procfs`]: what another process holds open and what it is waiting for,
//!   read from `/proc`.

pub mod cargo;
pub mod child;
pub mod procfs;
