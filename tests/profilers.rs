//! The memory chapter's claims, checked by running the programs: what one
//! pending cleanup costs, and where the heap profilers say the bytes come
//! from. The profiler sessions themselves are replayed by tests/transcripts.rs;
//! this file also says what to install when a profiler is missing.

mod support;

use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// The profilers the book's transcripts run, and the package that has each.
const PROFILERS: &[(&str, &str)] = &[
    ("valgrind", "valgrind"),
    ("ms_print", "valgrind"),
    ("heaptrack", "heaptrack"),
    ("heaptrack_print", "heaptrack"),
];

fn installed(tool: &str) -> bool {
    support::clean_command("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn the_profilers_the_transcripts_run_are_installed() {
    let missing: Vec<String> = PROFILERS
        .iter()
        .filter(|(tool, _)| !installed(tool))
        .map(|(tool, package)| format!("{tool} (package {package})"))
        .collect();
    let packages: HashSet<&str> = PROFILERS
        .iter()
        .filter(|(tool, _)| !installed(tool))
        .map(|(_, package)| *package)
        .collect();
    let mut packages: Vec<&str> = packages.into_iter().collect();
    packages.sort();
    assert!(
        missing.is_empty(),
        "the memory-profiling transcripts need {}: run `make setup` (on Debian or \
         Ubuntu it installs them), or install the packages: {}",
        missing.join(", "),
        packages.join(" ")
    );
}

// ANCHOR: cost
#[test]
fn each_pending_cleanup_holds_a_4_byte_box_and_a_16_byte_slot() {
    let out = support::run("cleanup-cost", &["--cleanups", "100"]);
    assert!(out.status.success());
    let stdout = support::text(&out.stdout);
    let rows: Vec<Vec<usize>> = stdout
        .lines()
        .map(|line| line.split_whitespace().take(3).map(str::parse).collect())
        .filter_map(Result::ok)
        .filter(|row: &Vec<usize>| row.len() == 3)
        .collect();
    assert!(rows.len() > 5, "too few rows:\n{stdout}");
    for row in &rows {
        let [pending, bytes, blocks] = row[..] else {
            unreachable!()
        };
        assert_eq!(
            bytes,
            4 * pending + support::defer_stack_vec_bytes(pending),
            "bytes at {pending}"
        );
        assert_eq!(
            blocks,
            pending + 1,
            "blocks at {pending}: a box each and the Vec"
        );
    }
    assert!(
        stdout.contains("After the cleanups ran: 0 bytes in 0 blocks"),
        "{stdout}"
    );
}
// ANCHOR_END: cost

/// The line of `examples/NAME.rs` that contains `code`, as DHAT names it.
fn line_of(name: &str, code: &str) -> String {
    let source = fs::read_to_string(support::root().join(format!("examples/{name}.rs"))).unwrap();
    let index = source.lines().position(|l| l.contains(code)).unwrap();
    format!("({name}.rs:{})", index + 1)
}

/// Runs `example` under DHAT and returns dhat-sites' summary of it.
fn dhat_sites(example: &str, files: usize, out_file: &Path) -> String {
    let dhat = support::clean_command("valgrind")
        .arg("-q")
        .arg("--tool=dhat")
        .arg(format!("--dhat-out-file={}", out_file.display()))
        .arg(support::example(example))
        .args(["--files", &files.to_string(), "--delay-ms", "0"])
        .output()
        .expect("valgrind runs (see the_profilers_the_transcripts_run_are_installed)");
    assert!(dhat.status.success(), "{}", support::text(&dhat.stderr));
    let sites = support::clean_command(support::example("dhat-sites"))
        .arg("--input")
        .arg(out_file)
        .args(["--top", "20"])
        .output()
        .unwrap();
    assert!(sites.status.success(), "{}", support::text(&sites.stderr));
    support::text(&sites.stdout)
}

/// The heading of the site whose frames include `frame`, such as
/// `2. 2,448 bytes in 101 blocks at the peak; ...`.
fn site_with<'a>(summary: &'a str, frame: &str) -> Option<&'a str> {
    summary
        .split("\n\n")
        .find(|site| site.contains(frame))
        .and_then(|site| site.lines().next())
}

#[test]
fn dhat_charges_the_pending_cleanups_to_the_defer_line() {
    let dir = tempfile::tempdir().unwrap();
    let files = 20;
    let summary = dhat_sites("loop-leak", files, &dir.path().join("leak.out"));
    let defer_line = line_of("loop-leak", "defers.defer(");
    let site = site_with(&summary, &defer_line)
        .unwrap_or_else(|| panic!("no site at {defer_line}:\n{summary}"));
    // The heap peaks while the last file's path is being built, just before
    // its cleanup is pushed: every other file's box, and the stack's `Vec`.
    let bytes = 4 * (files - 1) + support::defer_stack_vec_bytes(files);
    let expected = format!("{bytes} bytes in {files} blocks at the peak");
    assert!(site.contains(&expected), "{site}\nexpected {expected}");
    // Opening a file allocates nothing on the heap: no site names that line.
    let open_line = line_of("loop-leak", "File::create(");
    assert!(!summary.contains(&open_line), "{summary}");

    // The fixed loop keeps nothing per file: no site holds a block per file.
    let summary = dhat_sites("loop-fixed", files, &dir.path().join("fixed.out"));
    let per_file = format!("in {files} blocks at the peak");
    assert!(!summary.contains(&per_file), "{summary}");
}

#[test]
fn bad_input_gets_one_error_line_the_usage_and_status_2() {
    let cases: &[(&str, &[&str])] = &[
        ("cleanup-cost", &["--cleanups", "0"]),
        ("cleanup-cost", &["--cleanups", "many"]),
        ("cleanup-cost", &["stray"]),
        ("counting-overhead", &["--rounds", "0"]),
        ("counting-overhead", &["--pairs", "-1"]),
        ("counting-overhead", &["--bogus"]),
        ("dhat-sites", &["--top", "x"]),
        ("dhat-sites", &["--input"]),
        ("dhat-sites", &["target/dhat.out"]),
    ];
    for (example, args) in cases {
        support::assert_usage_error(example, args);
    }
}

#[test]
fn dhat_sites_explains_a_missing_profile() {
    let out = support::run("dhat-sites", &["--input", "no/such/dhat.out"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = support::text(&out.stderr);
    assert!(
        stderr.starts_with("error: no/such/dhat.out: ") && stderr.contains("valgrind --tool=dhat"),
        "{stderr}"
    );
}
