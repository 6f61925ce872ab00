//! Your copies: `exercises/yours/src/bin/exercise-N.rs`, binaries of the
//! `your-exercises` package. The runner writes only real files inside that
//! folder: a symbolic link or a file where a folder should be is an error
//! that names the path, never something written through.

use super::progress::content_hash;
use defer_issues_exercises::registry::Exercise;
use defer_issues_harness::cargo::{self, workspace_root};
use defer_issues_harness::child;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tempfile::TempDir;

pub struct YourCopy {
    exercise: &'static Exercise,
    path: PathBuf,
}

/// A build of your copy: the program (a private copy of the binary, so that
/// a check running at the same time cannot replace it) and the exact content
/// it was built from.
pub struct Built {
    dir: TempDir,
    program: PathBuf,
    content: Vec<u8>,
}

impl Drop for Built {
    fn drop(&mut self) {
        child::forget_on_interrupt(self.dir.path());
    }
}

impl Built {
    pub fn program(&self) -> &Path {
        &self.program
    }

    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

/// The folders from the repository down to the copies.
const FOLDERS: [&str; 4] = ["exercises", "yours", "src", "bin"];

impl YourCopy {
    pub fn of(exercise: &'static Exercise) -> Self {
        let mut path = workspace_root().to_path_buf();
        path.extend(FOLDERS);
        path.push(format!("{}.rs", exercise.your_bin()));
        Self { exercise, path }
    }

    /// The path as the student sees it, from the repository root.
    pub fn shown(&self) -> String {
        self.path
            .strip_prefix(workspace_root())
            .unwrap_or(&self.path)
            .display()
            .to_string()
    }

    /// Checks that every folder on the way is a real folder (or missing) and
    /// the copy a real file (or missing).
    fn check_path(&self) -> io::Result<()> {
        let mut folder = workspace_root().to_path_buf();
        for name in FOLDERS {
            folder.push(name);
            match fs::symlink_metadata(&folder) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => return Err(odd(&folder, "should be a folder, not a file or a link")),
                Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(err) => return Err(odd(&folder, &format!("cannot be read: {err}"))),
            }
        }
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.is_file() => Ok(()),
            Ok(_) => Err(odd(&self.path, "should be a file, not a folder or a link")),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(odd(&self.path, &format!("cannot be read: {err}"))),
        }
    }

    /// The copy's content, or `None` if there is no copy yet.
    pub fn content(&self) -> io::Result<Option<Vec<u8>>> {
        self.check_path()?;
        match fs::read(&self.path) {
            Ok(content) => Ok(Some(content)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(odd(&self.path, &format!("cannot be read: {err}"))),
        }
    }

    /// Makes the copy from the starter unless it exists; whether it did.
    pub fn make_from_starter(&self) -> io::Result<bool> {
        if self.content()?.is_some() {
            return Ok(false);
        }
        let starter = workspace_root()
            .join("exercises")
            .join(self.exercise.folder)
            .join("starter.rs");
        let text = fs::read(&starter)?;
        fs::create_dir_all(self.path.parent().expect("the copy is in a folder"))?;
        // `create_new` never follows a link that appeared meanwhile.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.path)
            .map_err(|err| odd(&self.path, &format!("cannot be written: {err}")))?;
        file.write_all(&text)?;
        Ok(true)
    }

    /// Moves the copy aside as `exercise-N.rs.SECONDS.bak`; its new path.
    pub fn set_aside(&self) -> io::Result<Option<PathBuf>> {
        if self.content()?.is_none() {
            return Ok(None);
        }
        let seconds = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let backup = self.path.with_extension(format!("rs.{seconds}.bak"));
        fs::rename(&self.path, &backup)?;
        Ok(Some(backup))
    }

    /// Builds the copy as it is on disk now. Cargo decides what to rebuild by
    /// modification times, which a restored or copied file can put in the
    /// past: the runner remembers the content of the last build and marks
    /// the file as new whenever the content differs. A save during the build
    /// starts it over, so the program always matches the content returned.
    pub fn build(&self) -> io::Result<Built> {
        let bin = self.exercise.your_bin();
        let binary = cargo::binary(&bin)?;
        let record = cargo::target_dir()?
            .join("exercises")
            .join(format!("{bin}.built"));
        for _ in 0..5 {
            let Some(content) = self.content()? else {
                return Err(odd(&self.path, "is gone"));
            };
            let hash = content_hash(&content).to_string();
            let recorded = fs::read_to_string(&record).unwrap_or_default();
            if recorded != hash || !binary.exists() {
                File::options()
                    .write(true)
                    .open(&self.path)?
                    .set_modified(SystemTime::now())?;
            }
            cargo::build(&["--package", "your-exercises", "--bin", &bin])?;
            let dir = tempfile::Builder::new().prefix("exercise-").tempdir()?;
            child::remove_on_interrupt(dir.path().to_owned());
            let program = dir.path().join(&bin);
            fs::copy(&binary, &program)?;
            if self.content()?.as_deref() == Some(&content[..]) {
                fs::create_dir_all(record.parent().expect("in the target dir"))?;
                fs::write(&record, &hash)?;
                return Ok(Built {
                    dir,
                    program,
                    content,
                });
            }
        }
        Err(odd(&self.path, "keeps changing while it is built"))
    }
}

fn odd(path: &Path, what: &str) -> io::Error {
    let shown = path.strip_prefix(workspace_root()).unwrap_or(path);
    io::Error::other(format!("{} {what}", shown.display()))
}
