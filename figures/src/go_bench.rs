//! The result lines of `go test -bench . -benchmem`:
//! `BenchmarkLoopDefer-2   10000   21345 ns/op   2448 B/op   101 allocs/op`.

use regex::Regex;
use std::sync::LazyLock;

/// One Go benchmark.
#[derive(Debug, PartialEq)]
pub struct GoBench {
    /// Its name without `Benchmark` and without the `-2` suffix `go test`
    /// adds for GOMAXPROCS: `LoopDefer`.
    pub name: String,
    pub ns_per_op: f64,
    pub bytes_per_op: usize,
    pub allocs_per_op: usize,
}

/// Every benchmark result in `output`; the other lines (`goos:`, `PASS`,
/// `ok`) are skipped. A result line without `B/op` and `allocs/op` (a run
/// without `-benchmem`) is an error.
pub fn parse(output: &str) -> Result<Vec<GoBench>, String> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^Benchmark(\w+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op$",
        )
        .unwrap()
    });
    let mut benches = Vec::new();
    for line in output.lines().filter(|l| l.starts_with("Benchmark")) {
        let c = LINE
            .captures(line.trim_end())
            .ok_or_else(|| format!("not a `go test -bench -benchmem` result: {line:?}"))?;
        let number = |i: usize| format!("in {line:?}: {} is too large", &c[i]);
        benches.push(GoBench {
            name: c[1].to_string(),
            ns_per_op: c[2].parse().map_err(|_| number(2))?,
            bytes_per_op: c[3].parse().map_err(|_| number(3))?,
            allocs_per_op: c[4].parse().map_err(|_| number(4))?,
        });
    }
    Ok(benches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_results_and_skips_the_rest() {
        let output = "goos: linux\n\
            goarch: amd64\n\
            pkg: example/bench\n\
            BenchmarkLoopDefer-2   \t   10000\t    21345 ns/op\t    2448 B/op\t     101 allocs/op\n\
            BenchmarkFloorSyscall  \t   10000\t    20.5 ns/op\t       0 B/op\t       0 allocs/op\n\
            PASS\n\
            ok  \texample/bench\t1.234s\n";
        let benches = parse(output).unwrap();
        assert_eq!(
            benches,
            [
                GoBench {
                    name: "LoopDefer".into(),
                    ns_per_op: 21345.0,
                    bytes_per_op: 2448,
                    allocs_per_op: 101,
                },
                GoBench {
                    name: "FloorSyscall".into(),
                    ns_per_op: 20.5,
                    bytes_per_op: 0,
                    allocs_per_op: 0,
                },
            ]
        );
    }

    #[test]
    fn a_run_without_benchmem_is_an_error() {
        let err = parse("BenchmarkLoopDefer-2   10000   21345 ns/op\n").unwrap_err();
        assert!(err.contains("BenchmarkLoopDefer-2"), "{err}");
    }
}
