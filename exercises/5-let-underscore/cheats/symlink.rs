//! Red team, exercise 5: holds the lock as it should, but makes `NAME.log.1`
//! a symbolic link to `NAME.log` instead of a copy (and then empties both).

use defer_issues_exercises::kit::{self, LockFile};
use std::fs::File;
use std::io;
use std::os::unix::fs::symlink;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    for name in kit::jobs() {
        let name = name?;
        let _lock = LockFile::acquire(&dir, &name)?;
        symlink(format!("{name}.log"), dir.join(format!("{name}.log.1")))?;
        kit::pause()?;
        File::create(dir.join(format!("{name}.log")))?;
    }
    Ok(())
}
