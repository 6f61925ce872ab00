//! The checker for exercise 2: the live heap at the end of the loop and the
//! peak heap, with 20 files and with 200. The program counts its own
//! allocations (`CountingAllocator`, lib/heap.rs) and the shared `Run` prints
//! the figures: the last progress line shows the live heap while the loop's
//! work is still in scope, the `[FINAL]` line the peak.

use crate::Verdict;
use crate::measure::{Lab, file_args};
use std::io;
use std::path::Path;

const FEW: usize = 20;
const MORE: usize = 200;

/// The heap figures of one run.
struct Heap {
    /// Live bytes and blocks at the last progress line, after the last file.
    live_bytes: usize,
    live_blocks: usize,
    peak_bytes: usize,
}

/// The first number after `label` in `line`.
fn number_after(line: &str, label: &str) -> Option<usize> {
    let rest = &line[line.find(label)? + label.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn heap(lab: &Lab, program: &Path, files: usize) -> io::Result<Result<Heap, String>> {
    let run = lab.run(program, &file_args(files), None)?;
    if let Some(problem) = run.problem() {
        return Ok(Err(format!("with --files {files}, {problem}")));
    }
    let last_progress = run.stdout.lines().rfind(|line| line.starts_with("[AFTER "));
    let final_line = run.stdout.lines().find(|line| line.starts_with("[FINAL "));
    let figures = last_progress.zip(final_line).and_then(|(progress, last)| {
        Some(Heap {
            live_bytes: number_after(progress, "Heap: ")?,
            live_blocks: number_after(progress, " B (")?,
            peak_bytes: number_after(last, "Peak heap: ")?,
        })
    });
    Ok(figures.ok_or_else(|| {
        format!("with --files {files}, the program printed no heap figures on its progress lines")
    }))
}

pub fn check(lab: &Lab, program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let (few, more) = match (heap(lab, program, FEW)?, heap(lab, program, MORE)?) {
        (Ok(few), Ok(more)) => (few, more),
        (Err(problem), _) | (_, Err(problem)) => {
            return Ok(verdict.fail(
                &problem,
                "the program checks that every lock is gone at the end, and its \
                 `#[global_allocator]` line makes the heap figures: keep those and \
                 `main` as they are, and change only `write_logs`.",
            ));
        }
    };
    for (files, heap) in [(FEW, &few), (MORE, &more)] {
        verdict.note(&format!(
            "With --files {files}: live heap after the last file {} B in {} blocks; peak heap {} B",
            heap.live_bytes, heap.live_blocks, heap.peak_bytes
        ));
    }
    let extra_files = MORE - FEW;
    let extra_blocks = more.live_blocks.saturating_sub(few.live_blocks);
    let extra_peak = more.peak_bytes.saturating_sub(few.peak_bytes);
    // A longer file name (logfile_199 against logfile_19) may add a byte or
    // two; anything that grows with every file adds far more.
    if extra_blocks == 0 && extra_peak < extra_files {
        return Ok(verdict.pass(&format!(
            "{extra_files} more files leave no more blocks live at the end of the loop, and \
             the peak heap stays the same: nothing is kept from one iteration to the next."
        )));
    }
    Ok(verdict.fail(
        &format!(
            "{extra_files} more files left {extra_blocks} more blocks live at the end of the \
             loop ({:.1} per file) and raised the peak heap by {extra_peak} B ({:.0} B per \
             file): something allocated in each iteration is kept until `write_logs` returns.",
            extra_blocks as f64 / extra_files as f64,
            extra_peak as f64 / extra_files as f64
        ),
        "in `write_logs`, each deferred call is a boxed closure, and each closure owns \
         the lock's path. The `DeferStack` keeps all of them, and every lock file on \
         disk, until the function returns. Remove each lock at the end of its own \
         iteration.",
    ))
}
