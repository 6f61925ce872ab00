//! Red team, exercise 6: does nothing at all.

fn main() {}
