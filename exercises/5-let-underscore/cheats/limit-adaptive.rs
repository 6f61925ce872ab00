//! Red team, exercise 5: keeps the lock file for the whole rotation only
//! when its descriptor limit is low, as it is when a checker sets one.

use defer_issues::fds::nofile_limit;
use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    let watched = nofile_limit()?.0 <= 64;
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
