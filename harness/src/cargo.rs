//! Where cargo puts what it builds. `CARGO_TARGET_DIR`, `build.target-dir`
//! in a cargo config, or nothing at all: `cargo metadata` knows which.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root: the folder of the book's `Cargo.toml`.
pub fn workspace_root() -> &'static Path {
    // This package lives in `harness/`, one level below the root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness package is inside the workspace")
}

/// The cargo that is running us, or the one on the PATH.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// The workspace's target directory, as `cargo metadata` reports it.
pub fn target_dir() -> io::Result<&'static Path> {
    static TARGET: OnceLock<PathBuf> = OnceLock::new();
    if let Some(dir) = TARGET.get() {
        return Ok(dir);
    }
    let output = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let metadata = String::from_utf8_lossy(&output.stdout);
    let dir = json_string_field(&metadata, "target_directory")
        .ok_or_else(|| io::Error::other("cargo metadata names no target_directory"))?;
    Ok(TARGET.get_or_init(|| PathBuf::from(dir)))
}

/// Where the debug builds of the root package's examples are.
pub fn examples_dir() -> io::Result<PathBuf> {
    Ok(target_dir()?.join("debug").join("examples"))
}

/// The debug build of the workspace binary `name`.
pub fn binary(name: &str) -> io::Result<PathBuf> {
    Ok(target_dir()?.join("debug").join(name))
}

/// Runs `cargo build` with `args` in the workspace, quietly; cargo's own
/// messages explain a failure on stderr.
pub fn build(args: &[&str]) -> io::Result<()> {
    let status = cargo().arg("build").arg("--quiet").args(args).status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "cargo build {} failed (cargo says why above)",
            args.join(" ")
        )));
    }
    Ok(())
}

/// The path of the built example `name` of the root package. The examples
/// are built once per process, so a filtered test run never runs stale ones.
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        build(&["--package", "defer-issues", "--examples"]).expect("the examples build");
        examples_dir().expect("cargo metadata works")
    });
    dir.join(name)
}

/// The value of the first `"key":"..."` string in `json`, unescaped. Only
/// this one field of `cargo metadata` is needed: a JSON library would add
/// more to the course's first build than everything else the runner needs.
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'u' => {
                    let unit = |chars: &mut std::str::Chars| {
                        u32::from_str_radix(&chars.take(4).collect::<String>(), 16).ok()
                    };
                    let first = unit(&mut chars)?;
                    let code = if (0xD800..0xDC00).contains(&first) {
                        // A surrogate pair: `\\uD83D\\uDE00`.
                        if chars.next()? != '\\' || chars.next()? != 'u' {
                            return None;
                        }
                        let second = unit(&mut chars)?;
                        0x10000 + ((first - 0xD800) << 10) + (second.checked_sub(0xDC00)?)
                    } else {
                        first
                    };
                    value.push(char::from_u32(code)?);
                }
                other => value.push(other),
            },
            other => value.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_string_field;

    #[test]
    fn reads_an_escaped_string_field() {
        let json =
            r#"{"packages":[],"target_directory":"/a \"b\"/c\\d/\u00e9\ud83d\ude00","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/a \"b\"/c\\d/é😀")
        );
        assert_eq!(json_string_field(json, "workspace_root"), None);
        assert_eq!(
            json_string_field(r#"{"target_directory":"/cut"#, "target_directory"),
            None
        );
    }
}
