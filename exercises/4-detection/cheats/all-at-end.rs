//! Cheat: reads every name first, then writes each log file whole, footer
//! included, once the batch size is known.

use defer_issues_exercises::kit;
use std::fs;

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    let names: Vec<String> = kit::jobs().map_while(Result::ok).collect();
    for name in &names {
        let text = format!(
            "{name}: started\n-- end of batch: {} files --\n",
            names.len()
        );
        fs::write(dir.join(name), text).ok();
    }
}
