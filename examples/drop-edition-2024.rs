//! The two drop-order rules that edition 2024 changed: an `if let`
//! scrutinee's temporaries drop before the `else` branch, and a block's tail
//! expression's temporaries drop before the block's locals. A `match`, for
//! contrast, keeps its scrutinee's temporaries until the whole match ends.
//!
//! This crate is edition 2024, so that is what the program prints.
//! tests/drop_rules.rs compiles the code between the `edition_rules`
//! markers under editions 2021 and 2024 and checks both orders.
//!
//! Run it:  cargo run --example drop-edition-2024

use defer_issues::cli::parse_args;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-edition-2024 [OPTIONS]

Shows the drop order of if-let scrutinees, match scrutinees and tail
expressions under edition 2024.

Options:
  -h, --help       print this help
";

// ANCHOR: edition_rules
/// Prints its name when it is dropped, so the output shows the drop order.
struct Noisy(&'static str);

impl Noisy {
    /// Always finds nothing, so that the `else` branch or `None` arm runs.
    fn lookup(&self) -> Option<usize> {
        None
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}

// ANCHOR: if_let
fn if_let_else() {
    if let Some(found) = Noisy("if-let scrutinee").lookup() {
        println!("  found {found}");
    } else {
        println!("  else branch");
    }
}
// ANCHOR_END: if_let

// ANCHOR: match
fn match_arms() {
    match Noisy("match scrutinee").lookup() {
        Some(found) => println!("  found {found}"),
        None => println!("  None arm"),
    }
}
// ANCHOR_END: match

// ANCHOR: tail
fn tail_expression() -> usize {
    let _local = Noisy("local");
    Noisy("tail temporary").0.len()
}
// ANCHOR_END: tail

fn show_edition_rules() {
    println!("if let ... else:");
    if_let_else();
    println!("match:");
    match_arms();
    println!("Tail expression of a block:");
    tail_expression();
}
// ANCHOR_END: edition_rules

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    show_edition_rules();
    ExitCode::SUCCESS
}
