//! Drop glue: the cleanup code the compiler writes for every type. It calls
//! the type's own `Drop::drop`, if there is one, and then drops each field;
//! for a value that may have been moved away it keeps a hidden drop flag.
//!
//! Run it:  cargo run --example drop-glue

use defer_issues::cli::parse_args;
use std::fs::File;
use std::mem::needs_drop;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-glue [OPTIONS]

Shows what the compiler's drop glue does: a type's own Drop::drop first, then
its fields; which types have any glue at all; and drop flags.

Options:
  -h, --help       print this help
";

/// Prints its name when it is dropped, so the output shows the drop order.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}

// ANCHOR: own_drop
struct Connection {
    name: Noisy,
    _buffer: Noisy,
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Runs first, while every field is still intact and usable.
        println!("  Connection::drop, name still readable: {}", self.name.0);
    }
}

fn own_drop_then_fields() {
    let _connection = Connection {
        name: Noisy("field name"),
        _buffer: Noisy("field _buffer"),
    };
} // The glue calls Connection::drop, then drops `name`, then `_buffer`.
// ANCHOR_END: own_drop

// ANCHOR: needs_drop
fn which_types_need_drop() {
    println!("  u64: {}", needs_drop::<u64>());
    println!("  &File: {}", needs_drop::<&File>());
    println!("  [u8; 4096]: {}", needs_drop::<[u8; 4096]>());
    println!("  File: {}", needs_drop::<File>());
    println!("  Vec<u8>: {}", needs_drop::<Vec<u8>>());
    println!(
        "  (u8, Option<File>): {}",
        needs_drop::<(u8, Option<File>)>()
    );
}
// ANCHOR_END: needs_drop

// ANCHOR: drop_flag
fn consume(value: Noisy) {
    println!("  consume() took {}", value.0);
} // `value` drops here, at the end of the function that owns it now.

fn maybe_move(hand_over: bool) {
    let token = Noisy("token");
    if hand_over {
        consume(token);
    }
    println!("  end of maybe_move({hand_over})");
} // Dropped here only if it was not moved: a hidden flag remembers which.
// ANCHOR_END: drop_flag

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    println!("A type with its own Drop, and fields:");
    own_drop_then_fields();
    println!("Does the type need drop glue?");
    which_types_need_drop();
    println!("Drop flags:");
    maybe_move(true);
    maybe_move(false);
    ExitCode::SUCCESS
}
