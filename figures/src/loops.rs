//! The figures of the loop chapter, from the runs of `loop-leak` and
//! `loop-fixed` (500 files) and of both under `--nofile 64`: a timeline of
//! each, a table comparing them, and charts of descriptors and heap.

use crate::progress::{Line, progress};
use crate::source_note;
use regex::Regex;

/// The progress lines of a transcript, which must have some.
fn lines(transcript: &str, name: &str) -> Result<Vec<Line>, String> {
    let lines = progress(transcript)?;
    if lines.len() < 2 {
        return Err(format!(
            "src/transcripts/{name} has fewer than two progress lines"
        ));
    }
    Ok(lines)
}

fn bytes(heap: Option<usize>) -> Result<String, String> {
    let heap = heap.ok_or("the loop examples' progress lines report no heap")?;
    Ok(format!("{heap} B"))
}

/// The files processed, with `(returned)` on the line after the return.
fn processed(line: &Line, total: usize) -> String {
    match line.label.as_str() {
        "FINAL" => format!("{total} (returned)"),
        _ => line.processed.to_string(),
    }
}

/// The line after the return.
fn last(lines: &[Line]) -> &Line {
    &lines[lines.len() - 1]
}

fn total(lines: &[Line]) -> usize {
    lines.iter().map(|l| l.processed).max().unwrap_or(0)
}

pub fn leak_timeline(transcript: &str) -> Result<String, String> {
    let lines = lines(transcript, "loop-leak.console")?;
    let mut table = String::from(
        "| Time | Files processed | Open FDs | Pending defers | Live heap |\n|---:|---:|---:|---:|---:|\n",
    );
    let total = total(&lines);
    for l in &lines {
        let pending = match l.label.as_str() {
            "FINAL" => 0,
            _ => l.pending.unwrap_or(0),
        };
        table += &format!(
            "| {} | {} | {} | {pending} | {} |\n",
            l.time,
            processed(l, total),
            l.open_fds,
            bytes(l.heap)?
        );
    }
    Ok(table + &source_note(&["loop-leak.console"]))
}

pub fn fixed_timeline(transcript: &str) -> Result<String, String> {
    let lines = lines(transcript, "loop-fixed.console")?;
    let mut table = String::from(
        "| Time | Files processed | Open FDs | Peak FDs so far | Live heap |\n|---:|---:|---:|---:|---:|\n",
    );
    let mut peak = lines[0].open_fds;
    let total = total(&lines);
    for l in &lines {
        peak = peak.max(l.peak.unwrap_or(0));
        table += &format!(
            "| {} | {} | {} | {peak} | {} |\n",
            l.time,
            processed(l, total),
            l.open_fds,
            bytes(l.heap)?
        );
    }
    Ok(table + &source_note(&["loop-fixed.console"]))
}

pub fn comparison(leak: &str, fixed: &str, nofile: &str) -> Result<String, String> {
    let leak = lines(leak, "loop-leak.console")?;
    let fixed = lines(fixed, "loop-fixed.console")?;
    let emfile = Regex::new(r"after opening (\d+) files").unwrap();
    let leak_fail = &emfile
        .captures(nofile)
        .ok_or("src/transcripts/loop-nofile.console: loop-leak does not fail under --nofile 64")?
        [1];
    let fixed_done = nofile
        .split("\n$ ")
        .nth(1)
        .is_some_and(|s| s.contains("[FINAL"));
    if !fixed_done {
        return Err(
            "src/transcripts/loop-nofile.console: loop-fixed does not complete under --nofile 64"
                .into(),
        );
    }
    let start = |l: &[Line]| l[0].open_fds;
    let leak_peak = leak.iter().map(|l| l.open_fds).max().unwrap_or(0);
    let fixed_peak = fixed.iter().filter_map(|l| l.peak).max().unwrap_or(0);
    // The last checkpoint (every file processed) and the line after the return.
    let heap = |l: &Line| {
        l.heap
            .ok_or("the loop examples' progress lines report no heap")
    };
    let last_checkpoint = |l: &[Line]| heap(&l[l.len() - 2]);
    let after_return = |l: &[Line]| heap(last(l));
    let held = |l: &[Line]| -> Result<usize, String> { Ok(last_checkpoint(l)? - after_return(l)?) };
    let files = leak[leak.len() - 2].processed;
    let rows = [
        (
            "Open FDs at the start",
            start(&leak).to_string(),
            start(&fixed).to_string(),
        ),
        (
            "Peak open FDs",
            leak_peak.to_string(),
            fixed_peak.to_string(),
        ),
        (
            "Files open at once",
            (leak_peak - start(&leak)).to_string(),
            (fixed_peak - start(&fixed)).to_string(),
        ),
        (
            "Open FDs after the return",
            last(&leak).open_fds.to_string(),
            last(&fixed).open_fds.to_string(),
        ),
        (
            "Live heap with every file processed",
            bytes(Some(last_checkpoint(&leak)?))?,
            bytes(Some(last_checkpoint(&fixed)?))?,
        ),
        (
            "Live heap after the return",
            bytes(Some(after_return(&leak)?))?,
            bytes(Some(after_return(&fixed)?))?,
        ),
        (
            "Heap freed by the return",
            format!(
                "{} ({:.1} B per file)",
                bytes(Some(held(&leak)?))?,
                held(&leak)? as f64 / files as f64
            ),
            bytes(Some(held(&fixed)?))?,
        ),
        (
            "Peak heap",
            bytes(last(&leak).peak_heap)?,
            bytes(last(&fixed).peak_heap)?,
        ),
        (
            "Run time",
            last(&leak).time.clone(),
            last(&fixed).time.clone(),
        ),
        (
            "100 files under `--nofile 64`",
            format!("fails after {leak_fail} files"),
            "completes".to_string(),
        ),
    ];
    let mut table = String::from("| Measure | `loop-leak` | `loop-fixed` |\n|---|---:|---:|\n");
    for (measure, a, b) in rows {
        table += &format!("| {measure} | {a} | {b} |\n");
    }
    Ok(table
        + &source_note(&[
            "loop-leak.console",
            "loop-fixed.console",
            "loop-nofile.console",
        ]))
}

pub fn fd_chart(leak: &str, fixed: &str) -> Result<String, String> {
    chart(
        leak,
        fixed,
        "Open descriptors, 500 files",
        "Open FDs",
        |l| Some(l.open_fds),
    )
}

pub fn heap_chart(leak: &str, fixed: &str) -> Result<String, String> {
    chart(leak, fixed, "Live heap, 500 files", "Bytes", |l| l.heap)
}

/// A mermaid chart of one measure at every progress line of both examples,
/// in the theme's palette: orange for `loop-leak`, blue for `loop-fixed`. The
/// checkpoints are evenly spaced (each fifth of the files), as a category
/// axis draws them.
fn chart(
    leak: &str,
    fixed: &str,
    title: &str,
    axis: &str,
    measure: fn(&Line) -> Option<usize>,
) -> Result<String, String> {
    let leak = lines(leak, "loop-leak.console")?;
    let fixed = lines(fixed, "loop-fixed.console")?;
    if leak.len() != fixed.len() {
        return Err("loop-leak and loop-fixed report different checkpoints".into());
    }
    let labels: Vec<String> = leak
        .iter()
        .map(|l| match l.label.as_str() {
            "START" => "\"start\"".to_string(),
            "FINAL" => "\"returned\"".to_string(),
            _ => format!("\"{}\"", l.processed),
        })
        .collect();
    let values = |lines: &[Line]| -> Result<Vec<usize>, String> {
        lines
            .iter()
            .map(|l| measure(l).ok_or_else(|| format!("the progress lines report no {axis}")))
            .collect()
    };
    let (leak, fixed) = (values(&leak)?, values(&fixed)?);
    let series = |values: &[usize]| {
        let values: Vec<String> = values.iter().map(usize::to_string).collect();
        format!("[{}]", values.join(", "))
    };
    let top = leak.iter().chain(&fixed).copied().max().unwrap_or(0);
    Ok(format!(
        "```mermaid\n\
         xychart-beta\n    title \"{title}\"\n    x-axis \"Files processed\" [{}]\n    \
         y-axis \"{axis}\" 0 --> {}\n    line {}\n    line {}\n```\n\n\
         <small>Orange: `loop-leak`. Blue: `loop-fixed`.</small>\n{}",
        labels.join(", "),
        top + top / 10,
        series(&leak),
        series(&fixed),
        source_note(&["loop-leak.console", "loop-fixed.console"])
    ))
}
