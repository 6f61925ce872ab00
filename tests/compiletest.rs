//! The compiler's side of Example 2: programs rustc must reject, with the exact
//! errors the book shows (`tests/ui/*-fail.stderr`), and programs it accepts
//! that surprise readers, whose assertions must hold when run.
//!
//! The snapshots are rustc 1.95's wording. After a deliberate change, re-record
//! with `TRYBUILD=overwrite cargo test --test compiletest` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*-fail.rs");
    t.pass("tests/ui/*-pass.rs");
}
