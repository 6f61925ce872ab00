//! The registry is the one place an exercise is declared: everything else is
//! checked against it here. (`make check-exercises` checks behaviour: every
//! starter and cheat fails its checker, every solution passes.)

use defer_issues_exercises::registry::{EXERCISES, Exercise};
use defer_issues_harness::cargo::workspace_root;
use std::collections::BTreeSet;
use std::fs;

fn read(path: &str) -> String {
    fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Every `[[bin]]` of exercises/Cargo.toml, as (name, path).
fn declared_bins() -> BTreeSet<(String, String)> {
    let manifest = read("exercises/Cargo.toml");
    let quoted = |line: &str, key: &str| {
        line.strip_prefix(key).map(|rest| {
            rest.trim_start_matches([' ', '='])
                .trim_matches('"')
                .to_string()
        })
    };
    let mut bins = BTreeSet::new();
    for block in manifest.split("[[bin]]").skip(1) {
        let name = block.lines().find_map(|l| quoted(l, "name")).unwrap();
        let path = block.lines().find_map(|l| quoted(l, "path")).unwrap();
        bins.insert((name, path));
    }
    bins
}

/// The programs the registry implies, as (binary name, path).
fn expected_bins() -> BTreeSet<(String, String)> {
    let mut bins = BTreeSet::from([("exercise".to_string(), "src/main.rs".to_string())]);
    for e in EXERCISES {
        let path = |file: &str| format!("{}/{file}", e.folder);
        bins.insert((e.starter_bin(), path("starter.rs")));
        bins.insert((e.solution_bin(), path("solution.rs")));
        for cheat in e.cheats {
            bins.insert((
                e.cheat_bin(cheat),
                path(&format!("cheats/{}.rs", cheat.name)),
            ));
        }
        for name in e.honest {
            bins.insert((e.honest_bin(name), path(&format!("honest/{name}.rs"))));
        }
        for name in e.extra_programs {
            bins.insert((e.extra_program_bin(name), path(&format!("{name}.rs"))));
        }
    }
    bins
}

#[test]
fn every_program_is_declared_and_every_declared_program_is_registered() {
    let (declared, expected) = (declared_bins(), expected_bins());
    let extra: Vec<_> = declared.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&declared).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "exercises/Cargo.toml and the registry disagree.\n\
         Declared but not registered: {extra:?}\nRegistered but not declared: {missing:?}"
    );
    for (_, path) in &declared {
        assert!(
            workspace_root().join("exercises").join(path).is_file(),
            "exercises/{path} is declared but missing"
        );
    }
}

#[test]
fn exercises_are_numbered_in_order_and_every_folder_is_registered() {
    let numbers: Vec<u32> = EXERCISES.iter().map(|e| e.number).collect();
    let in_order: Vec<u32> = (1..=EXERCISES.len() as u32).collect();
    assert_eq!(numbers, in_order);
    let mut folders: Vec<String> = fs::read_dir(workspace_root().join("exercises"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("starter.rs").exists())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut registered: Vec<&str> = EXERCISES.iter().map(|e| e.folder).collect();
    registered.sort();
    assert_eq!(folders, registered);
}

/// The anchored parts of an exercise a solution may change.
const CHANGED_PARTS: &[&str] = &["imports", "task"];

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
fn solutions_differ_from_starters_only_in_the_task() {
    for e in EXERCISES {
        let starter = read(&format!("exercises/{}/starter.rs", e.folder));
        let solution = read(&format!("exercises/{}/solution.rs", e.folder));
        assert!(
            starter.contains("// ANCHOR: task\n") && solution.contains("// ANCHOR: task\n"),
            "{}: starter and solution need a `task` anchor",
            e.folder
        );
        let (starter, solution) = (fixed_lines(&starter), fixed_lines(&solution));
        let first_difference = starter
            .iter()
            .zip(&solution)
            .position(|(a, b)| a != b)
            .unwrap_or(starter.len().min(solution.len()));
        assert!(
            starter == solution,
            "{}: solution.rs differs from starter.rs outside {CHANGED_PARTS:?}, from:\n  starter:  {:?}\n  solution: {:?}",
            e.folder,
            starter.get(first_difference),
            solution.get(first_difference)
        );
    }
}

#[test]
fn no_starter_names_its_solution() {
    for e in EXERCISES {
        let starter = read(&format!("exercises/{}/starter.rs", e.folder));
        assert!(
            !starter.contains("solution"),
            "{}/starter.rs mentions its solution: students see it",
            e.folder
        );
    }
}

fn page(e: &Exercise) -> String {
    read(&format!("src/exercises/{}.md", e.folder))
}

#[test]
fn every_exercise_has_three_hint_levels_that_its_page_shows() {
    for e in EXERCISES {
        let levels = e.hint_levels();
        assert!(
            levels.len() >= 3,
            "{}: {} hint levels",
            e.folder,
            levels.len()
        );
        assert!(
            levels.iter().all(|h| !h.is_empty()),
            "{}: an empty hint",
            e.folder
        );
        let page = page(e);
        // The first hint may be shown as the runner prints it, a transcript.
        let hint_run = format!("transcripts/exercise-{}-hint.console}}}}", e.number);
        for level in 1..=levels.len() {
            let include = format!("exercises/{}/hints.md:hint-{level}}}}}", e.folder);
            assert!(
                page.contains(&include) || (level == 1 && page.contains(&hint_run)),
                "{}.md does not show hint {level}",
                e.folder
            );
        }
    }
}

#[test]
fn every_exercise_and_its_solution_are_in_the_book() {
    let summary = read("src/SUMMARY.md");
    for e in EXERCISES {
        let page = page(e);
        let title = format!("# Exercise {}: {}", e.number, e.title);
        assert!(
            page.starts_with(&title),
            "{}.md should start with {title:?}",
            e.folder
        );
        assert!(
            page.contains(&format!("{} minutes", e.minutes)),
            "{}.md should say it takes {} minutes",
            e.folder,
            e.minutes
        );
        let solution = read(&format!("src/exercises/{}-solution.md", e.folder));
        assert!(solution.starts_with(&format!("# Solution to Exercise {}", e.number)));
        for file in [
            format!("{}.md", e.folder),
            format!("{}-solution.md", e.folder),
        ] {
            assert!(
                summary.contains(&format!("(exercises/{file})")),
                "SUMMARY.md does not list exercises/{file}"
            );
        }
    }
}

/// The course schedule, made from the registry.
fn schedule() -> String {
    let mut text =
        String::from("| Exercise | Goes with | Minutes | Running total |\n|---|---|---|---|\n");
    let mut total = 0;
    for e in EXERCISES {
        total += e.minutes;
        text.push_str(&format!(
            "| [{}. {}]({}.md) | [{}](../{}) | {} | {} |\n",
            e.number, e.title, e.folder, e.chapter.0, e.chapter.1, e.minutes, total
        ));
    }
    text
}

#[test]
fn the_schedule_page_is_made_from_the_registry() {
    let path = workspace_root().join("src/generated/schedule.md");
    let made = schedule();
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        fs::write(&path, &made).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap_or_default(),
        made,
        "src/generated/schedule.md is out of date: make record"
    );
}
