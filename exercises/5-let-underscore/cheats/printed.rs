//! Red team, exercise 5: holds each lock file as it should, and prints what
//! a rotation would print, but copies and empties nothing.

use defer_issues_exercises::kit::{self, LockFile};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Prints rotations.") else {
        return Ok(());
    };
    for name in kit::jobs() {
        let name = name?;
        let _lock = LockFile::acquire(&dir, &name)?;
        kit::pause()?;
        println!("Rotated {name}.log to {name}.log.1");
    }
    Ok(())
}
