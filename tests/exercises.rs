//! The exercises' sources, checked where the checker itself cannot: each
//! reference solution differs from its starter only in the part a student
//! changes, so the page that shows the starter and the page that shows the
//! solution describe one program. (`make check-exercises` checks behaviour:
//! every starter fails its checker and every solution passes.)

mod support;

use std::fs;

/// The anchored parts of an exercise a solution may change.
const CHANGED_PARTS: &[&str] = &["imports", "task"];

/// The exercise folders in `exercises/`, each with a starter and a solution.
fn folders() -> Vec<String> {
    let mut folders: Vec<String> = fs::read_dir(support::root().join("exercises"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().join("starter.rs").exists())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

/// The lines outside the parts a solution may change, with each part's
/// anchor lines kept in place so that a part cannot move.
fn fixed_lines(source: &str) -> Vec<&str> {
    let mut inside: Option<&str> = None;
    let mut kept = Vec::new();
    for line in source.lines() {
        let anchor = line.trim_start();
        if let Some(name) = anchor.strip_prefix("// ANCHOR: ")
            && CHANGED_PARTS.contains(&name)
        {
            inside = Some(name);
            kept.push(line);
        } else if let Some(name) = anchor.strip_prefix("// ANCHOR_END: ")
            && inside == Some(name)
        {
            inside = None;
            kept.push(line);
        } else if inside.is_none() {
            kept.push(line);
        }
    }
    kept
}

#[test]
fn there_are_four_exercises() {
    assert_eq!(folders(), ["1-loop", "2-heap", "3-closures", "4-detection"]);
}

#[test]
fn solutions_differ_from_starters_only_in_the_task() {
    for folder in folders() {
        let dir = support::root().join("exercises").join(&folder);
        let starter = fs::read_to_string(dir.join("starter.rs")).unwrap();
        let solution = fs::read_to_string(dir.join("solution.rs")).unwrap();
        assert!(
            starter.contains("// ANCHOR: task\n") && solution.contains("// ANCHOR: task\n"),
            "{folder}: starter and solution need a `task` anchor"
        );
        let (starter, solution) = (fixed_lines(&starter), fixed_lines(&solution));
        let diff = similar::TextDiff::from_slices(&starter, &solution);
        assert!(
            starter == solution,
            "{folder}: solution.rs differs from starter.rs outside {CHANGED_PARTS:?}:\n{}",
            diff.unified_diff().context_radius(2)
        );
    }
}

#[test]
fn the_checker_rejects_bad_input() {
    support::assert_usage_error("exercise", &["9"]);
    support::assert_usage_error("exercise", &["1", "--bogus"]);
    support::assert_usage_error("exercise", &["1", "--verify"]);
    support::assert_usage_error("exercise", &[]);
}
