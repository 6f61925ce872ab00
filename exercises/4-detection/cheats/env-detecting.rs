//! Cheat: closes each log file in time only when it sees the checker's
//! report variables; otherwise it keeps them all open, as the starter does.

use defer_issues_exercises::kit;
use std::fs::{File, OpenOptions};
use std::io::Write;

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    let watched = std::env::var_os(kit::REPORT_VAR).is_some();
    let mut kept: Vec<(std::path::PathBuf, Option<File>)> = Vec::new();
    for name in kit::jobs().map_while(Result::ok) {
        let path = dir.join(&name);
        let Ok(mut file) = File::create(&path) else {
            return;
        };
        writeln!(file, "{name}: started").ok();
        kept.push((path, (!watched).then_some(file)));
    }
    let total = kept.len();
    for (path, file) in kept {
        let file = file.or_else(|| OpenOptions::new().append(true).open(path).ok());
        if let Some(mut file) = file {
            writeln!(file, "-- end of batch: {total} files --").ok();
        }
    }
}
