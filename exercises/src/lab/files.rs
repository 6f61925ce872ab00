//! What a checker verifies on disk itself: that an output is a regular file
//! of its own holding exactly the expected bytes, and that a directory holds
//! nothing it should not.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Whether `dir/name` is a regular file with one name (not a symbolic link,
/// not a hard link to another file) holding exactly `expected`; if not,
/// what is wrong with it, in words.
pub fn check_output(dir: &Path, name: &str, expected: &[u8]) -> io::Result<Result<(), String>> {
    let path = dir.join(name);
    let meta = match fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(Err(format!("{name} is missing")));
        }
        Err(err) => return Err(err),
    };
    if !meta.file_type().is_file() {
        return Ok(Err(format!(
            "{name} is not a regular file (a symbolic link, or something else)"
        )));
    }
    if meta.nlink() != 1 {
        return Ok(Err(format!(
            "{name} is a hard link, not a file of its own: it has {} names",
            meta.nlink()
        )));
    }
    let found = fs::read(&path)?;
    if found.is_empty() && !expected.is_empty() {
        return Ok(Err(format!(
            "{name} is empty: nothing written to it reached the disk"
        )));
    }
    if found != expected {
        return Ok(Err(format!("{name} does not hold what it should")));
    }
    Ok(Ok(()))
}

/// The names in `dir` that are not in `expected`, sorted.
pub fn unexpected_entries(dir: &Path, expected: &[String]) -> io::Result<Vec<String>> {
    let mut extra = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !expected.contains(&name) {
            extra.push(name);
        }
    }
    extra.sort();
    Ok(extra)
}
