//! Red team, exercise 1: does no work at all, and exits successfully.

fn main() {}
