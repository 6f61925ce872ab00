//! Cheat: writes each log file and closes it, but never writes the footers,
//! which need the files again at the end.

use defer_issues_exercises::kit;
use std::fs;

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    for name in kit::jobs().map_while(Result::ok) {
        fs::write(dir.join(&name), format!("{name}: started\n")).ok();
    }
}
