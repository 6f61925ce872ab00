//! Red team, exercise 5: keeps the lock during the rotation by never
//! dropping the guard, so the lock file is never removed.

use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    for name in kit::jobs() {
        let name = name?;
        std::mem::forget(LockFile::acquire(&dir, &name)?);
        let log = dir.join(format!("{name}.log"));
        fs::copy(&log, dir.join(format!("{name}.log.1")))?;
        kit::pause()?;
        File::create(&log)?;
    }
    Ok(())
}
