//! Drop order: in which order Rust cleans up locals, struct fields and the
//! elements of tuples, arrays and vectors, and why a `Vec` of guards does not
//! close in Go's order.
//!
//! Run it:  cargo run --example drop-order

use defer_issues::cli::parse_args;
use scopeguard::guard;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-order [OPTIONS]

Prints the order in which locals, struct fields and the elements of tuples,
arrays and vectors are dropped.

Options:
  -h, --help       print this help
";

// ANCHOR: noisy
/// Prints its name when it is dropped, so the output shows the drop order.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}
// ANCHOR_END: noisy

// ANCHOR: locals
fn locals() {
    let _a = Noisy("a");
    let _b = Noisy("b");
    // Shadowing hides the first `_b` but does not drop it: it is still a
    // local of this block, and drops in its turn at the end.
    let _b = Noisy("b, the shadowing one");
    println!("  end of block");
} // Locals drop in reverse order of declaration: last in, first out.
// ANCHOR_END: locals

// ANCHOR: fields
struct Connection {
    _socket: Noisy,
    _buffer: Noisy,
    _stats: Noisy,
}

fn fields() {
    let _connection = Connection {
        // The order written here does not matter; the declaration order does.
        _stats: Noisy("field _stats"),
        _socket: Noisy("field _socket"),
        _buffer: Noisy("field _buffer"),
    };
    println!("  end of block");
} // Fields drop in declaration order: first in, first out.
// ANCHOR_END: fields

// ANCHOR: elements
fn elements() {
    let _tuple = (Noisy("tuple.0"), Noisy("tuple.1"));
    let _array = [Noisy("array[0]"), Noisy("array[1]")];
    let _vec = Vec::from([Noisy("vec[0]"), Noisy("vec[1]")]);
    println!("  end of block");
} // The three locals drop last to first; inside each, elements go front to back.
// ANCHOR_END: elements

// ANCHOR: guards
fn vec_of_guards() {
    let mut guards = Vec::new();
    for i in 0..3 {
        guards.push(guard(i, |i| println!("  close {i}")));
    }
    println!("  end of block");
} // The Vec drops its elements front to back: close 0, 1, 2.

fn vec_of_guards_reversed() {
    let mut guards = Vec::new();
    for i in 0..3 {
        guards.push(guard(i, |i| println!("  close {i}")));
    }
    println!("  end of block");
    // Go's order, newest first, has to be asked for.
    while let Some(newest) = guards.pop() {
        drop(newest);
    }
}
// ANCHOR_END: guards

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    println!("Locals:");
    locals();
    println!("Struct fields:");
    fields();
    println!("Tuple, array and Vec elements:");
    elements();
    println!("A Vec of guards:");
    vec_of_guards();
    println!("A Vec of guards, popped from the back:");
    vec_of_guards_reversed();
    ExitCode::SUCCESS
}
