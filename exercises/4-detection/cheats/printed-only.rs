//! Cheat: reads the names and prints what a working program prints,
//! without writing a single file.

use defer_issues_exercises::kit;

fn main() {
    let total = kit::jobs().count();
    println!("Wrote {total} log files, footers included.");
}
