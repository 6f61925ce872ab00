//! The Go side of the book, run: the Go programs in go/ show what the book
//! says Go does, and these checks hold them to it the way the Rust examples
//! are held. Their transcripts are replayed by tests/transcripts.rs.
//!
//! Go comes from the system (`make setup` installs Debian's `golang-go`);
//! without it these tests fail and say what to install. The programs use
//! only the standard library, so nothing is downloaded.

mod support;

use regex::Regex;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use support::{closed, closed_again, numbers, text};
use tempfile::TempDir;

/// The Go module, go/go.mod.
fn module() -> PathBuf {
    support::root().join("go")
}

/// `go` run in `dir`, as a clean child process. GOTOOLCHAIN=local keeps a Go
/// of 1.21 or later from downloading the toolchain a go.mod asks for.
fn go_in(dir: &Path, args: &[&str]) -> Output {
    go_version();
    support::clean_command("go")
        .args(args)
        .current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap()
}

/// The Go toolchain on the PATH (`go1.19.8`), or a failure with the install hint.
fn go_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let out = Command::new("go").args(["env", "GOVERSION"]).output();
        match out {
            Ok(out) if out.status.success() => text(&out.stdout).trim().to_string(),
            _ => panic!(
                "the Go checks need the `go` command: run `make setup` (on Debian or \
                 Ubuntu it installs the golang-go package), or install Go from \
                 https://go.dev/dl/"
            ),
        }
    })
}

/// The toolchain's minor version: 19 for go1.19.8.
fn go_minor() -> u32 {
    let version = go_version();
    let minor = version
        .strip_prefix("go1.")
        .and_then(|v| v.split('.').next());
    minor
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("unexpected Go version {version}"))
}

/// Builds the program in go/PACKAGE into a temporary directory, with
/// `-trimpath` so that profiles name files relative to the module.
fn build(package: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = go_in(
        &module(),
        &[
            "build",
            "-trimpath",
            "-o",
            dir.path().to_str().unwrap(),
            &format!("./{package}"),
        ],
    );
    assert!(out.status.success(), "go build {package}: {out:?}");
    let program = dir.path().join(package);
    (dir, program)
}

/// Runs a built Go program under `sh -c`, after the shell commands in
/// `setup` (an rlimit, for example), and returns its output.
fn run_under(setup: &str, program: &Path, args: &[&str]) -> Output {
    support::clean_command("sh")
        .arg("-c")
        .arg(format!("{setup} exec \"$0\" \"$@\""))
        .arg(program)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    text(&out.stdout)
}

/// The Rust examples' contract for bad input, which the Go programs share:
/// exit status 2, one `error:` line, a blank line, the usage, on stderr.
fn assert_go_usage_error(program: &Path, args: &[&str]) {
    let out = run_under("", program, args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{program:?} {args:?}: {stderr}");
    let mut lines = stderr.lines();
    assert!(lines.next().unwrap().starts_with("error: "), "{stderr}");
    assert_eq!(lines.next(), Some(""), "{stderr}");
    let name = program.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(&format!("Usage: {name}")), "{stderr}");
    assert!(out.stdout.is_empty(), "{program:?} {args:?} started anyway");
}

#[test]
fn the_go_sources_are_formatted_and_vet_clean() {
    go_version();
    let out = Command::new("gofmt")
        .args(["-l", "."])
        .current_dir(module())
        .output()
        .expect("gofmt comes with Go");
    assert_eq!(text(&out.stdout), "", "gofmt -l lists unformatted files");
    // closure/ and loopclosure/ hold the bug on purpose, for vet to report.
    let clean = [
        "./bench",
        "./heapprofile",
        "./internal/...",
        "./loopdefer",
        "./nofile",
    ];
    let out = go_in(&module(), &[&["vet"][..], &clean].concat());
    assert!(out.status.success(), "go vet: {}", text(&out.stderr));
}

#[test]
fn a_loop_defer_keeps_every_file_open_until_the_return() {
    let (_dir, loopdefer) = build("loopdefer");
    let out = stdout(&run_under(
        "",
        &loopdefer,
        &["--files", "50", "--delay-ms", "0"],
    ));
    let fds = numbers(&out, "Open FDs");
    let held: Vec<usize> = fds.iter().map(|n| n - fds[0]).collect();
    // START, after each fifth of the 50 files, FINAL.
    assert_eq!(held, [0, 10, 20, 30, 40, 50, 0], "{out}");
    assert_eq!(numbers(&out, "Pending defers"), [10, 20, 30, 40, 50]);
    assert!(out.contains("(same as at the start)\n"), "{out}");
    for bad in [&["--files", "0"][..], &["--delay-ms", "x"], &["--fast"]] {
        assert_go_usage_error(&loopdefer, bad);
    }
}

/// What a run of go/closure reports: the connections closed, in order, and
/// the close calls per connection.
fn closures(out: &str) -> (Vec<usize>, Vec<usize>, String) {
    let counts = Regex::new(r"(?m)^Close calls per connection, 0 to 4: (\[.*\])$").unwrap();
    let counts = counts.captures(out).expect("a count line")[1].to_string();
    (closed(out), closed_again(out), counts)
}

/// The closure bug: connection 4 closed five times, 0 to 3 never.
fn assert_bug(out: &str) {
    let closes = closures(out);
    assert_eq!(
        closes,
        (vec![4], vec![4; 4], "[0, 0, 0, 0, 5]".into()),
        "{out}"
    );
    assert!(out.contains("Never closed: [0, 1, 2, 3].\n"), "{out}");
}

/// Every connection closed once, newest first.
fn assert_each_once(out: &str) {
    let closes = closures(out);
    let once = (vec![4, 3, 2, 1, 0], vec![], "[1, 1, 1, 1, 1]".into());
    assert_eq!(closes, once, "{out}");
}

#[test]
fn before_go_1_22_the_closure_closes_the_last_connection_five_times() {
    let (_dir, closure) = build("closure");
    assert_bug(&stdout(&run_under("", &closure, &[])));
    for fix in ["call", "argument", "shadow"] {
        assert_each_once(&stdout(&run_under("", &closure, &["--fix", fix])));
    }
    assert_go_usage_error(&closure, &["--fix", "later"]);
}

/// A copy of go/closure as a module of its own, whose go.mod says `go_line`.
fn closure_module(go_line: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for path in ["closure/main.go", "internal/demo/demo.go"] {
        let to = dir.path().join(path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(module().join(path), to).unwrap();
    }
    let go_mod = format!("module deferissues\n\ngo {go_line}\n");
    fs::write(dir.path().join("go.mod"), go_mod).unwrap();
    dir
}

/// The `go` line of go.mod, not the toolchain, decides the loop-variable
/// rule. That needs a toolchain of Go 1.22 or later; with an older one this
/// check says so and does not pass for one that could not run.
#[test]
fn the_go_line_decides_per_iteration_loop_variables() {
    let minor = go_minor();
    if minor < 22 {
        // Straight to stderr: the test harness shows it even when the test passes.
        let mut stderr = std::io::stderr();
        writeln!(
            stderr,
            "NOT RUN: the `go 1.22` check needs a Go 1.22 or later toolchain on the \
             PATH; this one is {}. The go 1.21 and older semantics are checked by \
             before_go_1_22_the_closure_closes_the_last_connection_five_times.",
            go_version()
        )
        .unwrap();
        return;
    }
    let run = |go_line: &str| {
        let module = closure_module(go_line);
        let out = go_in(module.path(), &["run", "./closure"]);
        let vet = go_in(module.path(), &["vet", "./closure"]);
        (stdout(&out), vet)
    };
    let (old, old_vet) = run("1.21");
    assert_bug(&old);
    assert!(
        !old_vet.status.success(),
        "vet reports the bug under go 1.21"
    );
    let (new, new_vet) = run("1.22");
    assert_each_once(&new);
    assert!(new_vet.status.success(), "vet is silent under go 1.22");
}

#[test]
fn vet_reports_the_loop_closure_only_as_the_last_statement() {
    let out = go_in(&module(), &["vet", "./loopclosure"]);
    assert!(
        !out.status.success(),
        "go vet reports the last-statement shape"
    );
    let source = fs::read_to_string(module().join("loopclosure/shapes.go")).unwrap();
    let defers: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == "defer func() {")
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(defers.len(), 2, "two shapes in loopclosure/shapes.go");
    // vet points at `conn` inside the first closure, the line after its defer.
    let report = format!(
        "loopclosure/shapes.go:{}:4: loop variable conn captured by func literal",
        defers[0] + 1
    );
    let stderr = text(&out.stderr);
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("loopclosure/"))
        .collect();
    assert_eq!(diagnostics, [report.as_str()], "{stderr}");
}

/// The lines of a pprof report that mention `needle`.
fn lines_with<'a>(report: &'a str, needle: &str) -> Vec<&'a str> {
    report.lines().filter(|l| l.contains(needle)).collect()
}

/// The first byte count of a pprof line, such as `96000B` in `-list` output.
fn first_bytes(line: &str) -> usize {
    let bytes = Regex::new(r"(\d+)B\b").unwrap();
    bytes.captures(line).expect("a byte count")[1]
        .parse()
        .unwrap()
}

/// `go tool pprof` on bytes allocated, in bytes, finding the sources of a
/// `-trimpath` build from go/.
const PPROF: [&str; 5] = [
    "tool",
    "pprof",
    "-sample_index=alloc_space",
    "-unit=B",
    "-trim_path=deferissues",
];

#[test]
fn a_heap_profile_charges_loop_defers_to_the_defer_line() {
    const DEFERS: usize = 1000;
    let (dir, heapprofile) = build("heapprofile");
    let profile = dir.path().join("heap.pprof");
    let profile = profile.to_str().unwrap();
    let files = DEFERS.to_string();
    stdout(&run_under("", &heapprofile, &["--files", &files, profile]));
    let pprof = |view: &[&str]| {
        let args = [&PPROF[..], view].concat();
        stdout(&go_in(&module(), &[&args[..], &[profile]].concat()))
    };
    // The defer line of openAll, in the source as pprof shows it.
    let listing = pprof(&["-list=main.openAll"]);
    let defer_line = lines_with(&listing, "defer f.Close()");
    assert_eq!(defer_line.len(), 1, "{listing}");
    let on_defer_line = first_bytes(defer_line[0]);
    assert_eq!(
        on_defer_line % DEFERS,
        0,
        "the same bytes per defer:\n{listing}"
    );
    let per_defer = on_defer_line / DEFERS;
    if go_minor() == 19 {
        // An 80-byte defer record and the 16-byte closure that calls Close.
        assert_eq!(per_defer, 96, "{listing}");
    } else {
        assert!(per_defer > 0, "{listing}");
    }
    // Every frame of the whole profile: the runtime's defer functions are
    // hidden, so the bytes are openAll's own, and deferprocStack, which
    // never allocates, appears nowhere.
    let top = pprof(&["-top", "-nodecount=1000"]);
    let open_all = lines_with(&top, " main.openAll");
    assert_eq!(open_all.len(), 1, "{top}");
    assert_eq!(
        first_bytes(open_all[0]),
        on_defer_line,
        "openAll's flat bytes:\n{top}"
    );
    let traces = pprof(&["-traces"]);
    for report in [&top, &listing, &traces] {
        assert!(!report.contains("deferproc"), "{report}");
    }
    assert_go_usage_error(&heapprofile, &[]);
    assert_go_usage_error(&heapprofile, &["--files", "0", profile]);
}

#[test]
fn go_raises_the_soft_descriptor_limit_that_rust_keeps() {
    // A shell limit of 64 open files, far below any usual hard limit.
    let shell_limit = "ulimit -Sn 64;";
    let (_dir, nofile) = build("nofile");
    let out = stdout(&run_under(shell_limit, &nofile, &[]));
    let limits = Regex::new(r"soft RLIMIT_NOFILE (\d+), hard (\d+)").unwrap();
    let limits = limits.captures(&out).expect("the limits");
    assert_eq!(
        limits[1], limits[2],
        "Go's soft limit is the hard one: {out}"
    );
    assert!(limits[1].parse::<u64>().unwrap() > 64, "{out}");
    // Under the same shell limit, 100 files open at once: Go gets through,
    // Rust runs out at its soft limit.
    let (_dir, loopdefer) = build("loopdefer");
    let args = ["--files", "100", "--delay-ms", "0"];
    stdout(&run_under(shell_limit, &loopdefer, &args));
    let loop_leak = support::example("loop-leak");
    let rust = run_under(shell_limit, &loop_leak, &args);
    assert!(!rust.status.success(), "{rust:?}");
    let stderr = text(&rust.stderr);
    assert!(stderr.contains("(soft RLIMIT_NOFILE 64, "), "{stderr}");
    assert_go_usage_error(&nofile, &["--all"]);
}

/// The allocations per operation (100 files) of each Go benchmark in
/// go/bench, from a short `go test -bench` run: counts, unlike times, do
/// not depend on the machine. 500 operations per benchmark are enough for
/// the defer records the runtime frees and takes again from its pools to
/// round away.
#[test]
fn in_go_only_the_loop_defer_allocates_more_than_explicit_close() {
    let out = go_in(
        &module(),
        &[
            "test",
            "-run=^$",
            "-bench=LoopDefer|HeldInSlice|ExtractedFunction|AnonymousFunction|ExplicitClose|FloorSyscall",
            "-benchtime=500x",
            "-benchmem",
            "./bench",
        ],
    );
    let report = stdout(&out);
    let line = Regex::new(r"(?m)^Benchmark(\w+)-\d+\s.* (\d+) allocs/op$").unwrap();
    let allocs = |name: &str| -> usize {
        let found = line.captures_iter(&report).find(|c| &c[1] == name);
        found.unwrap_or_else(|| panic!("no {name}:\n{report}"))[2]
            .parse()
            .unwrap()
    };
    // os.Open allocates three objects per file, the *os.File among them.
    let close = allocs("ExplicitClose");
    assert_eq!(close, 300, "{report}");
    assert_eq!(allocs("ExtractedFunction"), close, "{report}");
    assert_eq!(allocs("AnonymousFunction"), close, "{report}");
    // One more allocation per file: the closure each loop defer keeps.
    assert_eq!(allocs("LoopDefer"), close + 100, "{report}");
    assert_eq!(allocs("FloorSyscall"), 0, "{report}");
}
