//! The benchmark tables, from the recorded run in `src/recorded/bench.txt`:
//! each `$ command` line, then what it printed (`benches/record.sh`).

use crate::divan::{self, Bench};
use crate::go_bench;
use defer_issues::heap::thousands;

/// Each benchmark iteration opens and closes this many files.
const FILES: f64 = 100.0;

/// The output of one `$ command` in the recorded run.
fn step<'a>(record: &'a str, command: &str) -> Result<&'a str, String> {
    let start = record
        .find(&format!("$ {command}"))
        .ok_or_else(|| format!("src/recorded/bench.txt does not run `{command}`"))?;
    let output = record[start..]
        .split_once('\n')
        .map_or("", |(_, rest)| rest);
    Ok(output.split("\n$ ").next().unwrap_or_default().trim())
}

fn rust_benches(record: &str) -> Result<Vec<Bench>, String> {
    divan::parse(step(record, "cargo bench")?)
        .map_err(|err| format!("src/recorded/bench.txt: {err}"))
}

fn find<'a>(benches: &'a [Bench], path: &str) -> Result<&'a Bench, String> {
    benches
        .iter()
        .find(|b| b.path == path)
        .ok_or_else(|| format!("src/recorded/bench.txt has no benchmark {path}"))
}

/// A duration with three significant digits: `2.14 µs`, `128 µs`, `4.53 ms`.
fn duration(ns: f64) -> String {
    let (value, unit) = match ns {
        ns if ns < 1e3 => (ns, "ns"),
        ns if ns < 1e6 => (ns / 1e3, "µs"),
        ns if ns < 1e9 => (ns / 1e6, "ms"),
        ns => (ns / 1e9, "s"),
    };
    let decimals = match value {
        v if v < 10.0 => 2,
        v if v < 100.0 => 1,
        _ => 0,
    };
    format!("{value:.decimals$} {unit}")
}

/// The line under a table naming the machine the run was recorded on.
fn note(record: &str) -> Result<String, String> {
    let cpu = step(record, "grep -m1 'model name'")?;
    let cpu = cpu.split_once(':').map_or(cpu, |(_, name)| name.trim());
    Ok(format!(
        "\n<small>Generated from `src/recorded/bench.txt`, recorded with `make bench-record` \
         on {} cores ({cpu}), {}, files on {}, {}; load average before the run: {}.</small>\n",
        step(record, "nproc")?,
        step(record, "uname -srm")?,
        step(record, "findmnt")?,
        step(record, "rustc --version")?,
        step(record, "cut -d' ' -f1-3 /proc/loadavg")?,
    ))
}

/// Each pattern's median time per file next to the floor's, and its
/// allocations per iteration of 100 files.
pub fn patterns(record: &str) -> Result<String, String> {
    let benches = rust_benches(record)?;
    let floor = find(&benches, "floor_libc_open_close")?.median_ns;
    let rows = [
        ("held_in_vec", "leak"),
        ("held_in_defer_stack", "leak"),
        ("extracted_function", "fix"),
        ("block_scope", "fix"),
        ("explicit_drop", "fix"),
        ("defer_per_iteration", "fix"),
        ("floor_libc_open_close", "floor"),
        ("create_write_close_files", "disk"),
    ];
    let mut table = String::from(
        "| Benchmark | Kind | Median per file | Against the floor | Allocations per iteration | Peak heap |\n\
         |---|---|---:|---:|---:|---:|\n",
    );
    for (path, kind) in rows {
        let bench = find(&benches, path)?;
        let ratio = bench.median_ns / floor;
        let compared = match path {
            "floor_libc_open_close" => "—".to_string(),
            _ if ratio > 2.0 => format!("{ratio:.0}×"),
            _ => format!("{:+.1}%", (ratio - 1.0) * 100.0),
        };
        table += &format!(
            "| `{path}` | {kind} | {} | {compared} | {} | {} |\n",
            duration(bench.median_ns / FILES),
            bench.allocations,
            bench.peak_heap,
        );
    }
    Ok(table + &note(record)?)
}

/// The scaling group: the leak and a fix with 10 to 10,000 files per
/// iteration, as time per file.
pub fn scaling(record: &str) -> Result<String, String> {
    let benches = rust_benches(record)?;
    let per_file = |pattern: &str, n: usize| -> Result<f64, String> {
        Ok(find(&benches, &format!("scaling/{pattern}/{n}"))?.median_ns / n as f64)
    };
    let mut table = String::from(
        "| Files per iteration | `held_in_vec` per file | `block_scope` per file | Leak against the fix |\n\
         |---:|---:|---:|---:|\n",
    );
    for n in [10, 100, 1000, 10_000] {
        let (leak, fixed) = (per_file("held_in_vec", n)?, per_file("block_scope", n)?);
        table += &format!(
            "| {} | {} | {} | {:+.1}% |\n",
            thousands(n),
            duration(leak),
            duration(fixed),
            (leak / fixed - 1.0) * 100.0
        );
    }
    Ok(table + &note(record)?)
}

/// The Rust patterns next to their Go counterparts from the same recording:
/// time per file, and what one iteration of 100 files allocates.
pub fn against_go(record: &str) -> Result<String, String> {
    let rust = rust_benches(record)?;
    if !record.contains("\n$ cd go && go test") {
        return Err(
            "src/recorded/bench.txt has no Go run: record both with `make bench-record`".into(),
        );
    }
    let go = go_bench::parse(step(record, "cd go && go test")?)
        .map_err(|err| format!("src/recorded/bench.txt: {err}"))?;
    let rows = [
        (
            "Cleanup deferred to the return (leak)",
            "held_in_defer_stack",
            "LoopDefer",
        ),
        (
            "Files kept in a collection (leak)",
            "held_in_vec",
            "HeldInSlice",
        ),
        (
            "Extracted function",
            "extracted_function",
            "ExtractedFunction",
        ),
        (
            "Cleanup per iteration",
            "defer_per_iteration",
            "AnonymousFunction",
        ),
        ("Block scope (Rust only)", "block_scope", ""),
        ("Explicit close", "explicit_drop", "ExplicitClose"),
        (
            "Floor: the two system calls",
            "floor_libc_open_close",
            "FloorSyscall",
        ),
        (
            "Create, write, close (the disk)",
            "create_write_close_files",
            "CreateWriteClose",
        ),
    ];
    let mut table = String::from(
        "| Pattern | Rust | Per file | Allocations | Go | Per file | Allocations | Bytes |\n\
         |---|---|---:|---:|---|---:|---:|---:|\n",
    );
    let go_cells = |name: &str| -> Result<String, String> {
        if name.is_empty() {
            return Ok("— | — | — | —".to_string());
        }
        let bench = go
            .iter()
            .find(|b| b.name == name)
            .ok_or_else(|| format!("src/recorded/bench.txt has no Go benchmark {name}"))?;
        Ok(format!(
            "`Benchmark{name}` | {} | {} | {} B",
            duration(bench.ns_per_op / FILES),
            bench.allocs_per_op,
            bench.bytes_per_op
        ))
    };
    for (pattern, rust_name, go_name) in rows {
        let r = find(&rust, rust_name)?;
        table += &format!(
            "| {pattern} | `{rust_name}` | {} | {} | {} |\n",
            duration(r.median_ns / FILES),
            r.allocations,
            go_cells(go_name)?,
        );
    }
    Ok(table
        + "\n<small>Per file: Rust's median and Go's mean (`ns/op`) time for 100 files, \
           divided by 100. Allocations and bytes: per iteration of 100 files.</small>\n"
        + &note(record)?.replacen(
            "; load average",
            &format!(", {}; load average", step(record, "go version")?),
            1,
        ))
}
