//! A pending-cleanups gauge with the `prometheus-client` crate. Each file
//! is wrapped in a guard that adds one to the gauge when it is created and
//! takes one away when it drops, so a scrape shows how many cleanups are
//! waiting at that moment, and a peak gauge keeps the worst value seen.
//!
//! Run:  cargo run -q --manifest-path samples/metrics/Cargo.toml -- --pattern leak

use defer_issues::cli::usage_error;
use defer_issues::workdir::WorkDir;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "Usage: metrics-sample [--pattern leak|fixed] [--files N]

Writes N files (default 100) and prints the pending-cleanups metrics, as a
scrape would return them, halfway through the loop and after it.
";

// ANCHOR: metrics
/// The cleanup metrics, registered once and shared by every guard.
#[derive(Clone, Default)]
struct CleanupMetrics {
    pending: Gauge,
    peak: Gauge,
    run: Counter,
}

impl CleanupMetrics {
    fn register(&self, registry: &mut Registry) {
        registry.register(
            "pending_cleanups",
            "Cleanups registered and not run yet",
            self.pending.clone(),
        );
        registry.register(
            "pending_cleanups_peak",
            "The most cleanups ever pending at once",
            self.peak.clone(),
        );
        registry.register("cleanups", "Cleanups that have run", self.run.clone());
    }
}

/// A value whose cleanup is counted: pending from `new` until it drops.
struct Tracked<T> {
    value: T,
    metrics: CleanupMetrics,
}

impl<T> Tracked<T> {
    fn new(value: T, metrics: &CleanupMetrics) -> Self {
        let pending = metrics.pending.inc() + 1;
        // One writer here; with several, a compare-and-swap loop would be needed.
        if pending > metrics.peak.get() {
            metrics.peak.set(pending);
        }
        Self {
            value,
            metrics: metrics.clone(),
        }
    }
}

impl<T> Drop for Tracked<T> {
    fn drop(&mut self) {
        self.metrics.pending.dec();
        self.metrics.run.inc();
    }
}
// ANCHOR_END: metrics

// ANCHOR: loops
/// The leak: every file is kept in a list until the function returns.
fn write_leaky(paths: &[PathBuf], metrics: &CleanupMetrics, scrape: impl Fn()) -> io::Result<()> {
    let mut open = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let mut file = Tracked::new(File::create(path)?, metrics);
        writeln!(file.value, "log entry {i}")?;
        open.push(file);
        if i + 1 == paths.len() / 2 {
            scrape();
        }
    }
    Ok(())
}

/// The fix: each file, and its guard, drops at the end of its iteration.
fn write_fixed(paths: &[PathBuf], metrics: &CleanupMetrics, scrape: impl Fn()) -> io::Result<()> {
    for (i, path) in paths.iter().enumerate() {
        let mut file = Tracked::new(File::create(path)?, metrics);
        writeln!(file.value, "log entry {i}")?;
        if i + 1 == paths.len() / 2 {
            scrape();
        }
    }
    Ok(())
}
// ANCHOR_END: loops

// ANCHOR: scrape
/// Prints the metrics in the text format a Prometheus server scrapes.
fn scrape(registry: &Registry, when: &str) {
    let mut text = String::new();
    match encode(&mut text, registry) {
        Ok(()) => print!("--- scraped {when} ---\n{text}"),
        Err(err) => eprintln!("error: cannot encode the metrics: {err}"),
    }
}
// ANCHOR_END: scrape

fn run(leak: bool, files: usize, dir: &Path) -> io::Result<()> {
    let metrics = CleanupMetrics::default();
    let mut registry = Registry::default();
    metrics.register(&mut registry);
    let paths: Vec<PathBuf> = (0..files)
        .map(|i| dir.join(format!("logfile_{i}.txt")))
        .collect();
    let halfway = format!("after {} of {files} files", files / 2);
    let scrape_halfway = || scrape(&registry, &halfway);
    if leak {
        write_leaky(&paths, &metrics, scrape_halfway)?;
    } else {
        write_fixed(&paths, &metrics, scrape_halfway)?;
    }
    scrape(&registry, "after the function returned");
    Ok(())
}

/// The most files `--files` accepts.
const MAX_FILES: usize = 1_000_000;

/// Reads `--pattern leak|fixed` and `--files N`; on `--help` or bad input,
/// prints the usage and gives the exit code to return.
fn parse_args() -> Result<(bool, usize), ExitCode> {
    let mut args = std::env::args().skip(1);
    let (mut leak, mut files) = (true, 100);
    let fail = |message: String| usage_error(&message, USAGE);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("-h" | "--help", _) => {
                print!("{USAGE}");
                return Err(ExitCode::SUCCESS);
            }
            ("--pattern", Some(p)) if p == "leak" || p == "fixed" => leak = p == "leak",
            ("--files", Some(n))
                if n.parse::<usize>()
                    .is_ok_and(|n| (2..=MAX_FILES).contains(&n)) =>
            {
                files = n.parse().unwrap_or(files);
            }
            ("--pattern", value) => {
                let value = value.unwrap_or_default();
                return Err(fail(format!(
                    "invalid value '{value}' for --pattern: expected leak or fixed"
                )));
            }
            ("--files", value) => {
                let value = value.unwrap_or_default();
                return Err(fail(format!(
                    "invalid value '{value}' for --files: expected a whole number from 2 to {MAX_FILES}"
                )));
            }
            (other, _) if !other.starts_with('-') => {
                return Err(fail(format!("unexpected argument '{other}'")));
            }
            _ => return Err(fail(format!("unknown option '{arg}'"))),
        }
    }
    Ok((leak, files))
}

fn main() -> ExitCode {
    let (leak, files) = match parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    // The directory and its files are removed when `dir` drops, after `run`,
    // and on Ctrl-C.
    let result = WorkDir::create("metrics-sample-").and_then(|dir| run(leak, files, dir.path()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
