//! One run of a file example: the directory, the descriptor counts, the
//! pacing, and the `[START]`, `[AFTER ...]` and `[FINAL]` lines it prints.

use crate::cli::FileOptions;
use crate::fds::{NofileLimit, is_emfile, nofile_limit, open_fds};
use crate::heap::{self, HeapStats};
use crate::workdir::{WorkDir, interrupted};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

pub struct Run {
    options: FileOptions,
    // Fields drop in declaration order: the limit is restored first, so that
    // removing the directory has descriptors to work with.
    _limit: NofileLimit,
    workdir: WorkDir,
    started: Instant,
    start_fds: usize,
    peak_fds: usize,
    written: usize,
    done: usize,
}

/// A progress report, printed as `[AFTER 2.41s] Open FDs: 203 | Files
/// processed: 200`, plus `| Heap: 7170 B (213 blocks)` when heap counting is on.
pub struct Checkpoint {
    elapsed: Duration,
    open_fds: usize,
    pub processed: usize,
    heap: Option<HeapStats>,
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[AFTER {:.2}s] Open FDs: {} | Files processed: {}",
            self.elapsed.as_secs_f64(),
            self.open_fds,
            self.processed
        )?;
        if let Some(heap) = self.heap {
            write!(f, " | {}", HeapFigure(heap))?;
        }
        Ok(())
    }
}

/// The live heap, as `Heap: 5328 B (203 blocks)`.
struct HeapFigure(HeapStats);

impl fmt::Display for HeapFigure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let HeapStats {
            live_bytes,
            live_blocks,
            ..
        } = self.0;
        write!(f, "Heap: {live_bytes} B ({live_blocks} blocks)")
    }
}

/// The heap counters, if the program installed the counting allocator (it
/// has allocated by the time a run starts, so zero means no counter).
fn heap_stats() -> Option<HeapStats> {
    Some(heap::stats()).filter(|stats| stats.allocations > 0)
}

impl Run {
    /// Creates the directory and prints who we are and the starting count.
    /// On failure the error is printed and the exit code returned.
    pub fn start(name: &str, options: FileOptions) -> Result<Self, ExitCode> {
        Self::try_start(name, options.clone()).map_err(|err| {
            eprintln!(
                "error: cannot start: {}",
                describe(&err, 0, options.nofile, None)
            );
            ExitCode::FAILURE
        })
    }

    fn try_start(name: &str, options: FileOptions) -> io::Result<Self> {
        let workdir = WorkDir::create(&format!("{name}-"))?;
        println!(
            "{name}: PID {}, writing {} files to {}",
            std::process::id(),
            options.files,
            workdir.path().display()
        );
        // Declared after `workdir`, so it drops first if counting fails.
        let limit = NofileLimit::set(options.nofile)?;
        let start_fds = open_fds()?;
        match heap_stats() {
            Some(heap) => println!("[START] Open FDs: {start_fds} | {}", HeapFigure(heap)),
            None => println!("[START] Open FDs: {start_fds}"),
        }
        Ok(Self {
            options,
            _limit: limit,
            workdir,
            started: Instant::now(),
            start_fds,
            peak_fds: start_fds,
            written: 0,
            done: 0,
        })
    }

    pub fn files(&self) -> usize {
        self.options.files
    }

    /// The paths of the files to process, in order, made one at a time so
    /// that the heap figures show what the loop keeps, not a list of paths.
    pub fn paths(&self) -> impl Iterator<Item = PathBuf> + use<> {
        let workdir = self.workdir.path().to_owned();
        (0..self.options.files).map(move |i| workdir.join(WorkDir::file_name(i)))
    }

    /// The work done with each open file: writes one line, then records how
    /// many descriptors are open while the file still is.
    pub fn write_entry(&mut self, file: &mut File) -> io::Result<()> {
        writeln!(file, "log entry {}", self.written)?;
        self.written += 1;
        self.peak_fds = self.peak_fds.max(open_fds()?);
        if self.options.pause_at == Some(self.written) {
            self.pause()?;
        }
        Ok(())
    }

    /// Marks one file finished and paces the run. Returns a checkpoint after
    /// each fifth of the files (100, 200, ... 500 of the default 500): evenly
    /// spaced, so that a chart of the checkpoints does not distort the slope.
    pub fn file_done(&mut self) -> io::Result<Option<Checkpoint>> {
        self.done += 1;
        if !self.options.delay.is_zero() {
            thread::sleep(self.options.delay);
        }
        let total = self.options.files;
        let checkpoints = [1, 2, 3, 4, 5].map(|fifth| total * fifth / 5);
        if !checkpoints.contains(&self.done) {
            return Ok(None);
        }
        Ok(Some(Checkpoint {
            elapsed: self.started.elapsed(),
            open_fds: open_fds()?,
            processed: self.done,
            heap: heap_stats(),
        }))
    }

    /// The most descriptors open at once, counted while each file was open.
    pub fn peak_fds(&self) -> usize {
        self.peak_fds
    }

    /// The most files of this run that were open at once.
    pub fn peak_files_open(&self) -> usize {
        self.peak_fds - self.start_fds
    }

    /// How many more descriptors are open now than at the start.
    pub fn files_open_now(&self) -> io::Result<usize> {
        Ok(open_fds()?.saturating_sub(self.start_fds))
    }

    fn pause(&self) -> io::Result<()> {
        println!(
            "[PAUSED] File {} is open, {} descriptors in all. PID {}. Press Enter to go on.",
            self.written,
            open_fds()?,
            std::process::id()
        );
        io::stdout().flush()?;
        io::stdin().lock().read_line(&mut String::new())?;
        Ok(())
    }

    /// Prints the `[FINAL]` line (with the time since the start), or explains the error, and gives the exit code.
    pub fn finish(self, result: io::Result<()>) -> ExitCode {
        let result = result.and_then(|()| {
            let final_fds = open_fds()?;
            let note = match final_fds.abs_diff(self.start_fds) {
                0 => "same as at the start".to_string(),
                n if final_fds > self.start_fds => format!("{n} more than at the start"),
                n => format!("{n} fewer than at the start"),
            };
            let elapsed = self.started.elapsed().as_secs_f64();
            print!("[FINAL {elapsed:.2}s] Open FDs: {final_fds} ({note})");
            match heap_stats() {
                Some(heap) => {
                    println!(" | {} | Peak heap: {} B", HeapFigure(heap), heap.peak_bytes)
                }
                None => println!(),
            }
            Ok(())
        });
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                self.report(&err);
                ExitCode::FAILURE
            }
        }
    }

    fn report(&self, err: &io::Error) {
        if interrupted() {
            // The Ctrl-C handler has removed the directory and will exit.
            loop {
                thread::park();
            }
        }
        let error = describe(err, self.written, self.options.nofile, Some(self.start_fds));
        eprintln!("error: {error}");
    }
}

impl Drop for Run {
    /// Removes the files the run made, by name, so that its directory is
    /// empty when it is removed (see `WorkDir`'s drop); whatever else is in
    /// there is removed with the directory.
    fn drop(&mut self) {
        for path in self.paths().take(self.written + 1) {
            fs::remove_file(path).ok();
        }
    }
}

/// Explains EMFILE with the numbers a reader needs: the limit and how many
/// files were opened; other errors speak for themselves.
/// `nofile` is the limit the run set, if any: by the time an error is
/// reported the limit has been restored.
fn describe(
    err: &io::Error,
    opened: usize,
    nofile: Option<u64>,
    start_fds: Option<usize>,
) -> String {
    if !is_emfile(err) {
        return err.to_string();
    }
    let limit = nofile
        .or_else(|| nofile_limit().ok().map(|(soft, _)| soft))
        .map_or_else(|| "unknown".into(), |soft| soft.to_string());
    let at_start = start_fds.map_or_else(String::new, |n| format!(", {n} open at the start"));
    format!(
        "out of file descriptors after opening {opened} files (soft RLIMIT_NOFILE {limit}{at_start}): {err}"
    )
}
