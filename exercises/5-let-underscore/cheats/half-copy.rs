//! Red team, exercise 5: holds the lock as it should, but copies only the
//! first half of each log before emptying it.

use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    for name in kit::jobs() {
        let name = name?;
        let _lock = LockFile::acquire(&dir, &name)?;
        let log = dir.join(format!("{name}.log"));
        let content = fs::read(&log)?;
        fs::write(
            dir.join(format!("{name}.log.1")),
            &content[..content.len() / 2],
        )?;
        kit::pause()?;
        File::create(&log)?;
    }
    Ok(())
}
