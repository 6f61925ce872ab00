//! Writes the book's generated tables and charts (`src/generated/`) from its
//! recorded runs: `cargo run -q -p defer-issues-figures`, or `make figures`.
//! Only files whose content changes are written, and each is named.

use defer_issues_figures::{generated_files, in_workspace};
use std::fs;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo run -q -p defer-issues-figures (no arguments)";

fn main() -> ExitCode {
    if let Some(arg) = std::env::args().nth(1) {
        if arg == "-h" || arg == "--help" {
            println!("Writes src/generated/ from the recorded runs.\n{USAGE}");
            return ExitCode::SUCCESS;
        }
        eprintln!("error: unexpected argument {arg:?}\n{USAGE}");
        return ExitCode::from(2);
    }
    match write() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn write() -> Result<(), String> {
    for file in generated_files()? {
        let path = in_workspace(&file.path);
        if fs::read_to_string(&path).ok().as_deref() == Some(file.content.as_str()) {
            continue;
        }
        fs::write(&path, &file.content)
            .map_err(|err| format!("cannot write {}: {err}", file.path))?;
        println!("wrote {}", file.path);
    }
    Ok(())
}
