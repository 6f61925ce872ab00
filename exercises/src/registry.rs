//! Every exercise of the course, declared once. The runner's list, the
//! checks `make check-exercises` runs, the build targets (verified by
//! `tests/registry.rs`) and the book's schedule page all come from here.

use crate::verdict::Verdict;
use std::io;
use std::path::Path;

pub struct Exercise {
    pub number: u32,
    /// Its folder in `exercises/`, and the name of its pages in
    /// `src/exercises/` (`FOLDER.md` and `FOLDER-solution.md`).
    pub folder: &'static str,
    pub title: &'static str,
    /// The chapter it goes with: its title and its page under `src/`.
    pub chapter: (&'static str, &'static str),
    /// How long a student typically needs, reading included.
    pub minutes: u32,
    /// The hints, in levels: `hints.md` in its folder, each level between
    /// `<!-- ANCHOR: hint-N -->` lines, so the book includes the same text.
    pub hints: &'static str,
    /// Programs that try to pass without doing the work. Each must FAIL.
    pub cheats: &'static [Cheat],
    /// Other honest solutions, `FOLDER/honest/NAME.rs`, built as
    /// `exercise-N-honest-NAME`. Each must PASS, like the reference one.
    pub honest: &'static [&'static str],
    /// Programs the checker itself runs (not the student's), `FOLDER/NAME.rs`
    /// built as `exercise-N-NAME`.
    pub extra_programs: &'static [&'static str],
    /// Runs the built program and judges it.
    pub check: fn(&Path) -> io::Result<Verdict>,
}

/// A red-team program, `FOLDER/cheats/NAME.rs`, built as
/// `exercise-N-cheat-NAME`.
pub struct Cheat {
    pub name: &'static str,
    /// What it does instead of the work, in a few words.
    pub trick: &'static str,
    /// Words its FAIL verdict must contain: the checker must name what is
    /// missing, not merely fail.
    pub fails_with: &'static str,
}

pub const EXERCISES: &[Exercise] = &[
    crate::loop_check::EXERCISE,
    crate::heap_check::EXERCISE,
    crate::closures_check::EXERCISE,
    crate::detection_check::EXERCISE,
    crate::let_underscore_check::EXERCISE,
    crate::held_lock_check::EXERCISE,
    crate::rc_cycle_check::EXERCISE,
    crate::budget_test_check::EXERCISE,
];

impl Exercise {
    /// The hint texts, in order.
    pub fn hint_levels(&self) -> Vec<String> {
        self.hints
            .split("<!-- ANCHOR: hint-")
            .skip(1)
            .filter_map(|part| {
                let body = part.split_once("-->")?.1;
                let body = body.split("<!-- ANCHOR_END").next()?;
                Some(body.trim().to_string())
            })
            .collect()
    }

    pub fn find(number: &str) -> Option<&'static Exercise> {
        EXERCISES.iter().find(|e| e.number.to_string() == number)
    }

    /// The binary names of its starter, solution and cheats.
    pub fn starter_bin(&self) -> String {
        format!("exercise-{}-starter", self.number)
    }

    pub fn solution_bin(&self) -> String {
        format!("exercise-{}-solution", self.number)
    }

    pub fn cheat_bin(&self, cheat: &Cheat) -> String {
        format!("exercise-{}-cheat-{}", self.number, cheat.name)
    }

    pub fn honest_bin(&self, name: &str) -> String {
        format!("exercise-{}-honest-{name}", self.number)
    }

    pub fn extra_program_bin(&self, name: &str) -> String {
        format!("exercise-{}-{name}", self.number)
    }

    /// The binary name of a student's copy in `exercises/yours/src/bin/`.
    pub fn your_bin(&self) -> String {
        format!("exercise-{}", self.number)
    }
}
