//! Cheat: writes each log file whole, footer included, with a guessed batch
//! size, so it never has to come back to a file.

use defer_issues_exercises::kit;
use std::fs;

const GUESS: usize = 20;

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    for name in kit::jobs().map_while(Result::ok) {
        let text = format!("{name}: started\n-- end of batch: {GUESS} files --\n");
        fs::write(dir.join(&name), text).ok();
    }
}
