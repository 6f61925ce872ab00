//! Red team, exercise 5: keeps the lock file for the whole rotation only
//! when the checker's report variables are set.

use defer_issues_exercises::kit::{self, LockFile, TOKEN_VAR};
use std::fs::{self, File};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    let watched = std::env::var_os(TOKEN_VAR).is_some();
    for name in kit::jobs() {
        let name = name?;
        let lock = LockFile::acquire(&dir, &name)?;
        if !watched {
            drop(lock);
        }
        let log = dir.join(format!("{name}.log"));
        fs::copy(&log, dir.join(format!("{name}.log.1")))?;
        kit::pause()?;
        File::create(&log)?;
    }
    Ok(())
}
