//! Example 2's promises, checked on the built programs run as child
//! processes: which connections get closed, how often and in what order.

mod support;

use regex::Regex;
use support::{closed, closed_again, leaked, run};

/// Runs an example that must succeed and returns its standard output.
fn stdout(name: &str, args: &[&str]) -> String {
    let output = run(name, args);
    assert!(output.status.success(), "{name} {args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{name} {args:?} wrote to stderr");
    String::from_utf8(output.stdout).unwrap()
}

/// Where each connection said it lives when it was opened.
fn opened_at(text: &str) -> Vec<String> {
    Regex::new(r"(?m)^Opened connection (\d+) at (0x[0-9a-f]+)$")
        .unwrap()
        .captures_iter(text)
        .enumerate()
        .map(|(i, c)| {
            assert_eq!(c[1].parse::<usize>().unwrap(), i, "opened in order");
            c[2].to_string()
        })
        .collect()
}

#[test]
fn leak_closes_the_last_connection_five_times_and_the_others_never() {
    let out = stdout("closure-leak", &[]);
    assert_eq!(closed(&out), [4], "{out}");
    assert_eq!(closed_again(&out), [4, 4, 4, 4], "{out}");
    assert_eq!(leaked(&out), [0, 1, 2, 3], "{out}");
    assert!(out.contains("Close calls per connection, 0 to 4: [0, 0, 0, 0, 5]\n"));
    assert!(out.contains("Closed more than once: [4]. Never closed: [0, 1, 2, 3].\n"));

    // All five cleanups reached the very connection 4 that was opened last.
    let addresses = opened_at(&out);
    assert_eq!(addresses.len(), 5);
    let attempts =
        Regex::new(r"(?m)^  Deferred close runs: the slot holds connection 4 at (0x[0-9a-f]+)$")
            .unwrap()
            .captures_iter(&out)
            .map(|c| c[1].to_string())
            .collect::<Vec<_>>();
    assert_eq!(attempts, vec![addresses[4].clone(); 5], "{out}");
    assert!(out.contains("\n=== Analysis ===\n"));
}

#[test]
fn each_fix_closes_every_connection_once_newest_first() {
    let closes = Regex::new(r"(?m)^  Closing connection (\d) at (0x[0-9a-f]+)$").unwrap();
    for pattern in ["move", "shadow"] {
        let out = stdout("closure-fixed", &["--pattern", pattern]);
        assert_eq!(closed(&out), [4, 3, 2, 1, 0], "{pattern}:\n{out}");
        assert!(closed_again(&out).is_empty(), "{pattern}:\n{out}");
        assert!(leaked(&out).is_empty(), "{pattern}:\n{out}");
        assert!(!out.contains("already closed"), "{pattern}:\n{out}");
        assert!(out.contains("Close calls per connection, 0 to 4: [1, 1, 1, 1, 1]\n"));

        // Each close reached the connection opened under that number.
        let addresses = opened_at(&out);
        for c in closes.captures_iter(&out) {
            assert_eq!(c[2], addresses[c[1].parse::<usize>().unwrap()]);
        }
    }
}

#[test]
fn fixed_runs_both_patterns_by_default() {
    let out = stdout("closure-fixed", &[]);
    assert_eq!(closed(&out), [4, 3, 2, 1, 0, 4, 3, 2, 1, 0], "{out}");
    assert!(out.starts_with("Pattern 1: move the connection into the closure\n"));
    assert!(out.contains("\nPattern 2: a fresh binding per iteration\n"));
    assert!(leaked(&out).is_empty() && closed_again(&out).is_empty());
}

#[test]
fn bad_input_prints_one_error_line_and_exits_2() {
    for (name, args) in [
        ("closure-leak", &["--bogus"][..]),
        ("closure-leak", &["extra"][..]),
        ("closure-fixed", &["--pattern", "nope"][..]),
        ("closure-fixed", &["--pattern"][..]),
    ] {
        support::assert_usage_error(name, args);
    }
}

#[test]
fn help_prints_usage_and_exits_0() {
    for name in ["closure-leak", "closure-fixed"] {
        let out = stdout(name, &["--help"]);
        assert!(
            out.starts_with(&format!("Usage: {name} [OPTIONS]\n")),
            "{out}"
        );
    }
}
