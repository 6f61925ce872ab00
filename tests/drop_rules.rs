//! Checks of the Cleanup Internals and Refactoring Patterns examples that a
//! transcript cannot make: the descriptor bound of bounded batches for several
//! batch sizes and under a tight descriptor limit, how the panic cases end
//! (status 101 or SIGABRT), the order edition 2021 gave the code the edition
//! example shows, and the command-line contract. Descriptor counts are per
//! process, so every program runs as a child process.

mod support;

use support::{numbers, run, text};

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

/// Runs bounded-batch: its standard output, or how it failed.
fn bounded_batch(files: usize, batch: usize, nofile: Option<usize>) -> Result<String, String> {
    let (files, batch) = (files.to_string(), batch.to_string());
    let mut args = vec!["--delay-ms", "0", "--files", &files, "--batch", &batch];
    let nofile = nofile.map(|n| n.to_string());
    if let Some(nofile) = &nofile {
        args.extend(["--nofile", nofile]);
    }
    let out = run("bounded-batch", &args);
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(format!("{:?}: {}", out.status, text(&out.stderr)))
    }
}

/// The most descriptors a run reported above its starting count: every
/// `Open FDs` line, and the peak it measured while each file was open.
fn most_open_above_start(stdout: &str) -> usize {
    let fds = numbers(stdout, "Open FDs");
    let start = fds[0];
    let peak = numbers(stdout, "Most files open at once");
    fds.iter().map(|n| n - start).chain(peak).max().unwrap()
}

#[test]
fn bounded_batch_never_holds_more_than_k_files_open() {
    for k in [1, 7, 50, 200] {
        let stdout = bounded_batch(120, k, None).unwrap();
        let fds = numbers(&stdout, "Open FDs");
        let start = fds[0];
        let peak = start + most_open_above_start(&stdout);
        // Exactly a batch: never more than K, and a whole batch really is
        // open at once.
        assert_eq!(peak, start + k.min(120), "K = {k}");
        assert_eq!(fds.last(), Some(&start), "K = {k}: final count");
    }
}

#[test]
fn bounded_batch_fits_a_limit_of_start_plus_k() {
    let k = 20;
    let start = numbers(&bounded_batch(100, k, None).unwrap(), "Open FDs")[0];
    // RLIMIT_NOFILE caps descriptor numbers: the descriptors open at the
    // start and K files need numbers up to start + K - 1 (counting them opens
    // none), so a limit of start + K is just enough.
    let limit = start + k;
    bounded_batch(100, k, Some(limit)).unwrap();
    // One more file per batch and the same limit is too small.
    let err = bounded_batch(100, k + 1, Some(limit)).unwrap_err();
    assert!(err.contains("Too many open files"), "{err}");
}

#[test]
fn the_bound_check_catches_the_leaky_loop() {
    // The same measure applied to loop-leak, which holds every file until
    // the function returns, exceeds any K below the number of files.
    let out = run("loop-leak", &["--delay-ms", "0", "--files", "120"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(most_open_above_start(&stdout), 120, "{stdout}");
}

#[test]
fn panics_end_with_status_101_and_a_panic_in_drop_while_unwinding_aborts() {
    let out = run("drop-unwind", &["--case", "unwind"]);
    assert_eq!(out.status.code(), Some(101));
    assert!(text(&out.stdout).ends_with("  drop second\n  drop first\n"));

    let out = run("drop-unwind", &["--case", "drop-panics"]);
    assert_eq!(out.status.code(), Some(101));
    assert!(text(&out.stdout).ends_with("  drop Bomb: about to panic\n  drop first\n"));

    let out = run("drop-unwind", &["--case", "double-panic"]);
    assert_eq!(out.status.code(), None, "killed by a signal, not exited");
    assert_eq!(out.status.signal(), Some(libc::SIGABRT));
    assert!(
        !out.status.core_dumped(),
        "the example turns core files off"
    );
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("drop first"), "{stdout}");
    assert!(
        text(&out.stderr).ends_with("thread caused non-unwinding panic. aborting.\n"),
        "{}",
        text(&out.stderr)
    );
}

/// The lines between `// ANCHOR: name` and `// ANCHOR_END: name`, without
/// the anchor lines nested inside: what mdBook shows for that anchor.
fn anchored(source: &str, name: &str) -> String {
    let start = source.find(&format!("// ANCHOR: {name}\n")).unwrap();
    let end = source.find(&format!("// ANCHOR_END: {name}\n")).unwrap();
    source[start..end]
        .lines()
        .filter(|line| !line.contains("ANCHOR"))
        .map(|line| format!("{line}\n"))
        .collect()
}

const EDITION_2024: &str = "\
if let ... else:
  drop if-let scrutinee
  else branch
match:
  None arm
  drop match scrutinee
Tail expression of a block:
  drop tail temporary
  drop local
";

/// The same code under edition 2021: the if-let scrutinee outlives the else
/// branch, and the tail temporary outlives the local.
const EDITION_2021: &str = "\
if let ... else:
  else branch
  drop if-let scrutinee
match:
  None arm
  drop match scrutinee
Tail expression of a block:
  drop local
  drop tail temporary
";

#[test]
fn the_edition_example_prints_the_2024_order_and_2021_gave_the_old_one() {
    let out = run("drop-edition-2024", &[]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), EDITION_2024);

    let source = fs::read_to_string(support::root().join("examples/drop-edition-2024.rs")).unwrap();
    let program = format!(
        "{}\nfn main() {{\n    show_edition_rules();\n}}\n",
        anchored(&source, "edition_rules")
    );
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.rs");
    fs::write(&main, program).unwrap();
    for (edition, expected) in [("2021", EDITION_2021), ("2024", EDITION_2024)] {
        let binary = dir.path().join(format!("edition-{edition}"));
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let status = Command::new(rustc)
            .args(["--edition", edition, "-A", "warnings", "-o"])
            .arg(&binary)
            .arg(&main)
            .status()
            .unwrap();
        assert!(status.success(), "rustc --edition {edition} failed");
        let out = Command::new(&binary).output().unwrap();
        assert_eq!(text(&out.stdout), expected, "edition {edition}");
    }
}

const EXAMPLES: &[&str] = &[
    "bounded-batch",
    "drop-defer-macro",
    "drop-edition-2024",
    "drop-glue",
    "drop-guard-value",
    "drop-leaks",
    "drop-order",
    "drop-raii",
    "drop-temporaries",
    "drop-unwind",
];

#[test]
fn help_exits_0_and_bad_input_exits_2_with_one_error_line() {
    for example in EXAMPLES {
        let out = run(example, &["--help"]);
        assert_eq!(out.status.code(), Some(0), "{example} --help");
        assert!(text(&out.stdout).starts_with(&format!("Usage: {example} ")));
        assert!(out.stderr.is_empty(), "{example} --help wrote to stderr");

        for args in [&["--bogus"][..], &["stray"]] {
            support::assert_usage_error(example, args);
        }
    }
    for args in [&[][..], &["--case", "nope"], &["--case"]] {
        support::assert_usage_error("drop-unwind", args);
    }
    support::assert_usage_error("bounded-batch", &["--batch", "0"]);
}
