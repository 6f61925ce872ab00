//! Red team, exercise 5: at the first name, rotates every log it finds, each
//! under its lock; for each name after that it only takes the lock while it
//! waits, so that the lock is seen where it is looked for.

use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-5", "Rotates logs.") else {
        return Ok(());
    };
    let mut first = true;
    for name in kit::jobs() {
        let name = name?;
        if first {
            first = false;
            for entry in fs::read_dir(&dir)? {
                let path = entry?.path();
                let Some(log) = path
                    .file_name()
                    .and_then(|n| n.to_str()?.strip_suffix(".log"))
                else {
                    continue;
                };
                let _lock = LockFile::acquire(&dir, log)?;
                fs::copy(&path, dir.join(format!("{log}.log.1")))?;
                File::create(&path)?;
            }
        }
        let _lock = LockFile::acquire(&dir, &name)?;
        kit::pause()?;
    }
    Ok(())
}
