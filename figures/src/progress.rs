//! The progress lines the file examples print: `[START]`, `[AFTER 0.12s]`
//! and `[FINAL 0.50s]`, each with `Open FDs: N` and `| Name: N` fields.

use regex::Regex;
use std::sync::LazyLock;

/// The numbers one progress line reports.
#[derive(Debug, Default, PartialEq)]
pub struct Line {
    /// `START`, `AFTER` or `FINAL`.
    pub label: String,
    /// The time since the start as printed (`0.12s`); `0.00s` at the start.
    pub time: String,
    pub open_fds: usize,
    pub processed: usize,
    pub pending: Option<usize>,
    pub peak: Option<usize>,
    pub heap: Option<usize>,
    pub peak_heap: Option<usize>,
}

/// The progress lines of a transcript's first command (the text before the
/// second `$ ` line).
pub fn progress(transcript: &str) -> Result<Vec<Line>, String> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\[(START|AFTER|FINAL)(?: ([\d.]+s))?\] Open FDs: (\d+)(.*)$").unwrap()
    });
    static FIELD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\| ([\w ]+): (\d+)").unwrap());
    let number = |digits: &str| {
        digits
            .parse::<usize>()
            .map_err(|err| format!("progress line figure {digits}: {err}"))
    };
    let first_command = transcript.split("\n$ ").next().unwrap_or_default();
    let mut lines = Vec::new();
    for c in first_command.lines().filter_map(|l| LINE.captures(l)) {
        let mut line = Line {
            label: c[1].to_string(),
            time: c.get(2).map_or("0.00s", |m| m.as_str()).to_string(),
            open_fds: number(&c[3])?,
            ..Line::default()
        };
        for f in FIELD.captures_iter(&c[4]) {
            let n = number(&f[2])?;
            match &f[1] {
                "Files processed" => line.processed = n,
                "Pending defers" => line.pending = Some(n),
                "Peak FDs" => line.peak = Some(n),
                "Heap" => line.heap = Some(n),
                "Peak heap" => line.peak_heap = Some(n),
                _ => {}
            }
        }
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_command_only() {
        let transcript = "$ cargo run --example loop-leak\n\
            [START] Open FDs: 3 | Heap: 10\n\
            some other output\n\
            [AFTER 0.12s] Open FDs: 53 | Files processed: 50 | Pending defers: 50 | Heap: 900\n\
            [FINAL 0.20s] Open FDs: 3 | Files processed: 100 | Peak FDs: 103 | Heap: 10 | Peak heap: 1800\n\
            $ cargo run --example loop-fixed\n\
            [START] Open FDs: 4\n";
        let lines = progress(transcript).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            Line {
                label: "START".into(),
                time: "0.00s".into(),
                open_fds: 3,
                heap: Some(10),
                ..Line::default()
            }
        );
        assert_eq!(
            (lines[1].time.as_str(), lines[1].processed, lines[1].pending),
            ("0.12s", 50, Some(50))
        );
        assert_eq!(
            (lines[2].label.as_str(), lines[2].peak, lines[2].peak_heap),
            ("FINAL", Some(103), Some(1800))
        );
    }

    #[test]
    fn a_figure_too_large_is_an_error() {
        let err = progress("[START] Open FDs: 99999999999999999999999\n").unwrap_err();
        assert!(err.contains("99999999999999999999999"), "{err}");
    }
}
