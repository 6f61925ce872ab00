//! Red team, exercise 5: does nothing at all.

fn main() {}
