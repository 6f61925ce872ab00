//! The cleanup patterns the benchmark chapter compares, as functions that the
//! benchmark (`benches/patterns.rs`) times and the allocation test
//! (`tests/allocations.rs`) counts.
//!
//! Every pattern opens each of the files read-only, hands it to `use_file`,
//! and closes it; they differ only in when the close happens. The files exist
//! before anything is measured: creating a file costs the disk many times more
//! than opening one, and would hide the patterns' differences.

use defer_issues::DeferStack;
use defer_issues::workdir::WorkDir;
use scopeguard::defer;
use std::ffi::CString;
use std::fs::{self, File};
use std::hint::black_box;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Files per iteration, as in the Go guide's benchmark.
pub const FILES: usize = 100;

/// A temporary directory of small files to open, removed on drop and on
/// Ctrl-C.
pub struct PreparedFiles {
    _workdir: WorkDir,
    pub files: Files,
}

/// The paths of the prepared files, which outlive nothing: the directory
/// belongs to [`PreparedFiles`].
#[derive(Clone)]
pub struct Files {
    /// The files to open, as Rust paths.
    pub paths: Vec<PathBuf>,
    /// The same files as C strings, converted up front for the libc floor.
    pub c_paths: Vec<CString>,
    /// Paths in a directory of their own, for the file-creation benchmark.
    pub created_paths: Vec<PathBuf>,
}

impl PreparedFiles {
    /// Writes `count` files, and lists as many paths to create in a
    /// subdirectory of their own.
    pub fn create(count: usize) -> io::Result<Self> {
        let workdir = WorkDir::create("defer-bench-")?;
        let created = workdir.path().join("created");
        fs::create_dir(&created)?;
        let mut files = Files {
            paths: Vec::with_capacity(count),
            c_paths: Vec::with_capacity(count),
            created_paths: Vec::with_capacity(count),
        };
        for i in 0..count {
            let name = WorkDir::file_name(i);
            let path = workdir.path().join(&name);
            fs::write(&path, format!("log entry {i}\n"))?;
            let c_path = CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
            files.c_paths.push(c_path);
            files.paths.push(path);
            files.created_paths.push(created.join(name));
        }
        Ok(Self {
            _workdir: workdir,
            files,
        })
    }
}

/// The work done with each open file. `black_box` keeps the compiler from
/// assuming anything about the file, so the open and close stay as written.
fn use_file(file: &File) {
    black_box(file);
}

// ANCHOR: held_in_vec
/// Leak, collected-guards form: every file stays open in a `Vec` that lives
/// until the function returns.
pub fn held_in_vec(paths: &[PathBuf]) -> io::Result<()> {
    let mut open = Vec::new();
    for path in paths {
        let file = File::open(path)?;
        use_file(&file);
        open.push(file);
    }
    Ok(())
} // every file closes here, first opened first closed
// ANCHOR_END: held_in_vec

// ANCHOR: held_in_defer_stack
/// Leak, Go-style form: each close is a boxed closure on a defer stack that
/// runs when the function returns.
pub fn held_in_defer_stack(paths: &[PathBuf]) -> io::Result<()> {
    let mut defers = DeferStack::new();
    for path in paths {
        let file = File::open(path)?;
        use_file(&file);
        defers.defer(move || drop(file));
    }
    Ok(())
} // every deferred close runs here, last registered first
// ANCHOR_END: held_in_defer_stack

// ANCHOR: fixed
/// Fixed: the per-file work in a function of its own.
pub fn extracted_function(paths: &[PathBuf]) -> io::Result<()> {
    for path in paths {
        open_and_use(path)?;
    }
    Ok(())
}

fn open_and_use(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    use_file(&file);
    Ok(())
} // closes here, once per call

/// Fixed: a block around the file.
pub fn block_scope(paths: &[PathBuf]) -> io::Result<()> {
    for path in paths {
        {
            let file = File::open(path)?;
            use_file(&file);
        } // closes here
    }
    Ok(())
}

/// Fixed: an explicit `drop` as soon as the work is done.
pub fn explicit_drop(paths: &[PathBuf]) -> io::Result<()> {
    for path in paths {
        let file = File::open(path)?;
        use_file(&file);
        drop(file);
    }
    Ok(())
}

/// Fixed: `defer!` in the loop body, which runs at the end of each iteration.
pub fn defer_per_iteration(paths: &[PathBuf]) -> io::Result<()> {
    for path in paths {
        let file = File::open(path)?;
        use_file(&file);
        defer! {
            drop(file); // runs at the end of this iteration
        }
    }
    Ok(())
}
// ANCHOR_END: fixed

// ANCHOR: floor
/// The floor: the two system calls and nothing else, on paths converted to C
/// strings before the clock starts.
pub fn libc_open_close(c_paths: &[CString]) -> io::Result<()> {
    for path in c_paths {
        // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
        let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        black_box(fd);
        // SAFETY: `fd` was just opened here and is closed once.
        if unsafe { libc::close(fd) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
// ANCHOR_END: floor

// ANCHOR: create
/// Not a pattern: what the examples do per file (create, write a line,
/// close), to show what the disk costs next to an open.
pub fn create_write_close(paths: &[PathBuf]) -> io::Result<()> {
    for (i, path) in paths.iter().enumerate() {
        let mut file = File::create(path)?;
        writeln!(file, "log entry {i}")?;
    }
    Ok(())
}
// ANCHOR_END: create

/// A pattern that opens files by path, as the benchmark and the allocation
/// test name it.
pub struct Pattern {
    pub name: &'static str,
    pub run: fn(&[PathBuf]) -> io::Result<()>,
}

/// The patterns that take Rust paths, leaks first. The floor takes C strings
/// and is listed apart.
pub const PATTERNS: [Pattern; 6] = [
    Pattern {
        name: "held_in_vec",
        run: held_in_vec,
    },
    Pattern {
        name: "held_in_defer_stack",
        run: held_in_defer_stack,
    },
    Pattern {
        name: "extracted_function",
        run: extracted_function,
    },
    Pattern {
        name: "block_scope",
        run: block_scope,
    },
    Pattern {
        name: "explicit_drop",
        run: explicit_drop,
    },
    Pattern {
        name: "defer_per_iteration",
        run: defer_per_iteration,
    },
];
