//! The scaling figure: peak descriptors, peak heap and run time of
//! `loop-leak` and `loop-fixed` for N = 10 to 10,000 files, as a table and
//! two charts, from the runs in `scaling.console`.

use crate::progress::{Line, progress};
use crate::source_note;
use defer_issues::heap::thousands;
use regex::Regex;
use std::sync::LazyLock;

/// One run of `scaling.console`.
struct Run {
    example: String,
    files: usize,
    lines: Vec<Line>,
    peak_fds: usize,
    peak_heap: usize,
}

fn runs(transcript: &str) -> Result<Vec<Run>, String> {
    static RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"--example ([\w-]+) -- --files (\d+)").unwrap());
    transcript
        .split("\n$ ")
        .map(|command| {
            let first = command.lines().next().unwrap_or_default();
            let run = RUN.captures(first).ok_or_else(|| {
                format!("src/transcripts/scaling.console: {first:?} names no example and --files")
            })?;
            let lines = progress(command)?;
            let peak_fds = lines
                .iter()
                .map(|l| l.open_fds.max(l.peak.unwrap_or(0)))
                .max();
            let peak_heap = lines.last().and_then(|l| l.peak_heap);
            let (Some(peak_fds), Some(peak_heap)) = (peak_fds, peak_heap) else {
                return Err(format!(
                    "src/transcripts/scaling.console: {first:?} reports no peak heap"
                ));
            };
            Ok(Run {
                example: run[1].to_string(),
                files: run[2]
                    .parse()
                    .map_err(|_| format!("{first:?}: too many files"))?,
                lines,
                peak_fds,
                peak_heap,
            })
        })
        .collect()
}

pub fn figure(transcript: &str) -> Result<String, String> {
    let runs = runs(transcript)?;
    let run = |example: &str, n: usize| {
        runs.iter()
            .find(|r| r.example == example && r.files == n)
            .ok_or_else(|| {
                format!("src/transcripts/scaling.console does not run {example} with {n} files")
            })
    };
    let sizes: Vec<usize> = runs
        .iter()
        .filter(|r| r.example == "loop-leak")
        .map(|r| r.files)
        .collect();
    let mut table = String::from(
        "| Files (N) | Peak open FDs, leak / fixed | Peak heap, leak / fixed | Run time, leak / fixed |\n\
         |---:|---:|---:|---:|\n",
    );
    for &n in &sizes {
        let (leak, fixed) = (run("loop-leak", n)?, run("loop-fixed", n)?);
        let time = |r: &Run| r.lines.last().map_or("", |l| l.time.as_str()).to_string();
        table += &format!(
            "| {} | {} / {} | {} B / {} B | {} / {} |\n",
            thousands(n),
            leak.peak_fds,
            fixed.peak_fds,
            leak.peak_heap,
            fixed.peak_heap,
            time(leak),
            time(fixed),
        );
    }
    let labels: Vec<String> = sizes
        .iter()
        .map(|n| format!("\"{}\"", thousands(*n)))
        .collect();
    let chart = |title: &str, axis: &str, measure: fn(&Run) -> usize| {
        let series = |example: &str| -> Result<String, String> {
            let values = sizes
                .iter()
                .map(|&n| Ok(measure(run(example, n)?).to_string()))
                .collect::<Result<Vec<String>, String>>()?;
            Ok(format!("[{}]", values.join(", ")))
        };
        let mut top = 0;
        for &n in &sizes {
            top = top.max(measure(run("loop-leak", n)?));
        }
        Ok::<_, String>(format!(
            "```mermaid\n\
             xychart-beta\n    title \"{title}\"\n    \
             x-axis \"Files (N), ten times more at each step\" [{}]\n    \
             y-axis \"{axis}\" 0 --> {}\n    line {}\n    line {}\n```\n",
            labels.join(", "),
            top + top / 10,
            series("loop-leak")?,
            series("loop-fixed")?,
        ))
    };
    Ok(format!(
        "{table}\n{}\n{}\n<small>Orange: `loop-leak`. Blue: `loop-fixed`. The x-axis \
         steps are evenly spaced but each is ten times the last, so a count that \
         grows in proportion to N bends upward.</small>\n{}",
        chart("Peak open descriptors", "Open FDs", |r| r.peak_fds)?,
        chart("Peak heap", "Bytes", |r| r.peak_heap)?,
        source_note(&["scaling.console"]),
    ))
}
