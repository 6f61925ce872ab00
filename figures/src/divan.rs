//! divan's benchmark table, as `cargo bench` prints it: a tree of groups and
//! benchmarks on the left, columns separated by `│` (fastest, slowest,
//! median, mean, samples, iters), and under a benchmark the counts of
//! divan's `AllocProfiler` (`max alloc:`, `alloc:`, `dealloc:`, `grow:`,
//! `shrink:`, each followed by a line of counts and a line of bytes).

/// One benchmark of the table.
#[derive(Debug, PartialEq)]
pub struct Bench {
    /// Its place in the tree: `held_in_vec`, `scaling/block_scope/1000`.
    pub path: String,
    pub median_ns: f64,
    /// Allocations per iteration in the median sample, a reallocation
    /// counting as one (`alloc` plus `grow` plus `shrink`), as
    /// `heap::stats` counts them.
    pub allocations: usize,
    /// The most bytes live at once, as divan prints it, in whole bytes where
    /// that is exact and short: `2.448 KB` is `2448 B`.
    pub peak_heap: String,
}

/// Reads divan's table. Columns are found from the `│` of the header line;
/// the `│`, `├─` and `╰─` of the tree itself sit left of them.
pub fn parse(table: &str) -> Result<Vec<Bench>, String> {
    let mut lines = table.lines();
    let header: Vec<char> = lines.next().unwrap_or_default().chars().collect();
    let bars: Vec<usize> = (0..header.len()).filter(|&i| header[i] == '│').collect();
    let cell = |line: &[char], column: usize| -> String {
        let start = if column == 0 { 0 } else { bars[column - 1] + 1 };
        let end = bars.get(column).map_or(line.len(), |&b| b.min(line.len()));
        let text: String = line[start.min(end)..end].iter().collect();
        text.trim_start_matches(['│', '├', '╰', '─', ' '])
            .trim()
            .to_string()
    };
    let median = (0..=bars.len())
        .find(|&column| cell(&header, column) == "median")
        .ok_or("divan's table has no header with a `│ median` column")?;
    let mut benches: Vec<Bench> = Vec::new();
    let mut tree: Vec<String> = Vec::new();
    // The allocation tally being read ("alloc", "grow"...) and how many of
    // its lines (count, then bytes) have been read.
    let mut tally: Option<(String, usize)> = None;
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        if let Some(branch) = line.find("─ ") {
            let depth = line[..branch].chars().count() / 3;
            let name = line[branch + "─ ".len()..]
                .split_whitespace()
                .next()
                .ok_or_else(|| format!("divan's tree has a branch with no name: {line:?}"))?;
            tree.truncate(depth);
            tree.push(name.to_string());
            tally = None;
            let time = cell(&chars, median);
            if !time.is_empty() {
                let path = tree.join("/");
                let median_ns =
                    nanoseconds(&time).map_err(|err| format!("benchmark {path}: {err}"))?;
                benches.push(Bench {
                    path,
                    median_ns,
                    allocations: 0,
                    peak_heap: "0 B".to_string(),
                });
            }
            continue;
        }
        if let Some(label) = cell(&chars, 0).strip_suffix(':') {
            tally = Some((label.to_string(), 0));
            continue;
        }
        let Some((label, read)) = &mut tally else {
            continue;
        };
        let bench = benches
            .last_mut()
            .ok_or_else(|| format!("divan's table counts `{label}:` before any benchmark"))?;
        let value = cell(&chars, median);
        match (label.as_str(), *read) {
            ("alloc" | "grow" | "shrink", 0) => {
                bench.allocations += value.parse::<usize>().map_err(|_| {
                    format!(
                        "benchmark {}: `{label}:` count {value:?} is not a number",
                        bench.path
                    )
                })?
            }
            ("max alloc", 1) => {
                bench.peak_heap =
                    whole_bytes(&value).map_err(|err| format!("benchmark {}: {err}", bench.path))?
            }
            _ => {}
        }
        *read += 1;
    }
    Ok(benches)
}

/// divan's `2.448 KB` as `2448 B` when divan's four digits are all of them
/// (fewer than 10,000 bytes, no fraction left), exactly, without floats.
fn whole_bytes(size: &str) -> Result<String, String> {
    let unreadable = || format!("cannot read the size {size:?}");
    let (value, unit) = size.split_once(' ').ok_or_else(unreadable)?;
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if whole.is_empty() || !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit()) {
        return Err(unreadable());
    }
    let shift = match unit {
        "KB" => 3,
        "MB" => 6,
        _ => return Ok(size.to_string()),
    };
    if fraction.len() > shift {
        return Ok(size.to_string());
    }
    let digits = format!("{whole}{fraction:0<shift$}");
    match digits.parse::<u64>() {
        Ok(bytes) if bytes < 10_000 => Ok(format!("{bytes} B")),
        _ => Ok(size.to_string()),
    }
}

/// divan's `211.2 µs` in nanoseconds.
fn nanoseconds(time: &str) -> Result<f64, String> {
    let unreadable = || format!("cannot read the time {time:?}");
    let (value, unit) = time.split_once(' ').ok_or_else(unreadable)?;
    let value: f64 = value.parse().map_err(|_| unreadable())?;
    let scale = match unit {
        "ns" => 1.0,
        "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return Err(format!("unknown time unit in {time:?}")),
    };
    Ok(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "patterns          fastest       │ slowest       │ median        │ mean          │ samples │ iters";

    fn table(body: &str) -> String {
        format!("{HEADER}\n{body}")
    }

    #[test]
    fn reads_the_tree_and_the_median_column() {
        let benches = parse(&table(
            "\
├─ block_scope    211.2 µs      │ 4.322 ms      │ 215.8 µs      │ 238.1 µs      │ 3000    │ 3000
│                 473.3 Kitem/s │ 23.13 Kitem/s │ 463.3 Kitem/s │ 419.8 Kitem/s │         │
╰─ scaling                      │               │               │               │         │
   ├─ block_scope               │               │               │               │         │
   │  ╰─ 10       21.6 µs       │ 25.68 µs      │ 21.64 µs      │ 21.69 µs      │ 100     │ 100
   ╰─ held_in_vec               │               │               │               │         │
      ╰─ 10000    25.34 ms      │ 69.64 ms      │ 26.14 ms      │ 28.27 ms      │ 100     │ 100
",
        ))
        .unwrap();
        let read: Vec<(&str, f64)> = benches
            .iter()
            .map(|b| (b.path.as_str(), b.median_ns))
            .collect();
        assert_eq!(
            read,
            [
                ("block_scope", 215_800.0),
                ("scaling/block_scope/10", 21_640.0),
                ("scaling/held_in_vec/10000", 26_140_000.0),
            ]
        );
        assert!(benches.iter().all(|b| b.allocations == 0));
        assert!(benches.iter().all(|b| b.peak_heap == "0 B"));
    }

    #[test]
    fn counts_alloc_and_grow_and_reads_max_alloc_bytes() {
        let benches = parse(&table(
            "\
├─ held_in_vec    210.8 µs      │ 3.869 ms      │ 213.2 µs      │ 221.8 µs      │ 3000    │ 3000
│                 474.1 Kitem/s │ 25.84 Kitem/s │ 469 Kitem/s   │ 450.6 Kitem/s │         │
│                 max alloc:    │               │               │               │         │
│                   1           │ 1             │ 7             │ 1             │         │
│                   2.448 KB    │ 2.448 KB      │ 2.448 KB      │ 2.448 KB      │         │
│                 alloc:        │               │               │               │         │
│                   1           │ 1             │ 3             │ 1             │         │
│                   16 B        │ 16 B          │ 16 B          │ 16 B          │         │
│                 dealloc:      │               │               │               │         │
│                   1           │ 1             │ 100           │ 1             │         │
│                   512 B       │ 512 B         │ 512 B         │ 512 B         │         │
│                 grow:         │               │               │               │         │
│                   5           │ 5             │ 5             │ 5             │         │
│                   496 B       │ 496 B         │ 496 B         │ 496 B         │         │
╰─ floor          203.7 µs      │ 590.3 µs      │ 207.3 µs      │ 209 µs        │ 3000    │ 3000
",
        ))
        .unwrap();
        assert_eq!(benches.len(), 2);
        // alloc 3 + grow 5 in the median column; max alloc and dealloc
        // counts are not allocations.
        assert_eq!(benches[0].allocations, 8);
        assert_eq!(benches[0].peak_heap, "2448 B");
        assert_eq!(benches[1].allocations, 0, "counts stop at the next branch");
    }

    #[test]
    fn sizes_become_whole_bytes_only_when_exact_and_short() {
        assert_eq!(whole_bytes("512 B").unwrap(), "512 B");
        assert_eq!(whole_bytes("2.448 KB").unwrap(), "2448 B");
        assert_eq!(whole_bytes("1.001 KB").unwrap(), "1001 B");
        assert_eq!(whole_bytes("4.08 KB").unwrap(), "4080 B");
        assert_eq!(whole_bytes("65.53 KB").unwrap(), "65.53 KB");
        assert_eq!(whole_bytes("1.2345 KB").unwrap(), "1.2345 KB");
        assert_eq!(whole_bytes("0.004 MB").unwrap(), "4000 B");
        assert!(whole_bytes("many KB").is_err());
    }

    #[test]
    fn times_in_every_unit() {
        assert_eq!(nanoseconds("211 ns").unwrap(), 211.0);
        assert_eq!(nanoseconds("2.5 µs").unwrap(), 2_500.0);
        assert_eq!(nanoseconds("4.5 ms").unwrap(), 4_500_000.0);
        assert_eq!(nanoseconds("2 s").unwrap(), 2e9);
        assert!(nanoseconds("2 fortnights").unwrap_err().contains("unit"));
    }

    #[test]
    fn malformed_tables_are_errors_naming_what_is_wrong() {
        let no_header = parse("├─ block_scope  211.2 µs\n").unwrap_err();
        assert!(no_header.contains("median"), "{no_header}");

        let bad_time = parse(&table(
            "├─ block_scope    211.2 µs      │ 4.322 ms      │ fast          │ 238.1 µs      │ 3000    │ 3000\n",
        ))
        .unwrap_err();
        assert!(
            bad_time.contains("block_scope") && bad_time.contains("\"fast\""),
            "{bad_time}"
        );

        let bad_count = parse(&table(
            "\
├─ held_in_vec    210.8 µs      │ 3.869 ms      │ 213.2 µs      │ 221.8 µs      │ 3000    │ 3000
│                 alloc:        │               │               │               │         │
│                   1           │ 1             │ lots          │ 1             │         │
",
        ))
        .unwrap_err();
        assert!(bad_count.contains("held_in_vec"), "{bad_count}");

        let orphan = parse(&table(
            "\
│                 alloc:        │               │               │               │         │
│                   1           │ 1             │ 1             │ 1             │         │
",
        ))
        .unwrap_err();
        assert!(orphan.contains("before any benchmark"), "{orphan}");
    }
}
