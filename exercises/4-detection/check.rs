//! The checker for exercise 4: the exit status of a run of 200 files under a
//! soft and hard RLIMIT_NOFILE of 64, and the peak number of open descriptors
//! with 10 files and with 40. A program that closes each file in time passes
//! the first and has the same peak for both.

use crate::Verdict;
use crate::measure::{Lab, file_args};
use std::io;
use std::path::Path;

const FILES: u64 = 200;
const LIMIT: u64 = 64;
const FEW: u64 = 10;
const MORE: u64 = 40;

pub fn check(lab: &Lab, program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let limited = lab.run(program, &file_args(FILES), Some(LIMIT))?;
    let limited_problem = limited.problem();
    match &limited_problem {
        None => verdict.note(&format!(
            "With --files {FILES} under RLIMIT_NOFILE {LIMIT} (like `ulimit -n {LIMIT}`): \
             it runs to the end and removes its files."
        )),
        Some(problem) => verdict.note(&format!(
            "With --files {FILES} under RLIMIT_NOFILE {LIMIT} (like `ulimit -n {LIMIT}`): {problem}"
        )),
    }
    let few = lab.peak_descriptors(program, &file_args(FEW))?;
    let more = lab.peak_descriptors(program, &file_args(MORE))?;
    let peaks = few.zip(more);
    if let Some((few, more)) = peaks {
        verdict.note(&format!("Peak open descriptors with {FEW} files: {few}"));
        verdict.note(&format!("Peak open descriptors with {MORE} files: {more}"));
        verdict.note("(the lowest RLIMIT_NOFILE under which the program runs to the end)");
    }
    match (limited_problem, peaks) {
        (None, Some((few, more))) if more <= few => Ok(verdict.pass(&format!(
            "the program runs under a limit of {LIMIT} and its peak does not grow with \
             the number of files: no file stays open longer than it is needed."
        ))),
        (_, Some((few, more))) if more > few => Ok(verdict.fail(
            &format!(
                "{} more files took {} more descriptors at once: files stay open until \
                 the batch is finished, so a long enough batch runs out of descriptors.",
                MORE - FEW,
                more - few
            ),
            "every `File` in `process_files` is a local, so look at what outlives the \
             loop: what the loop hands to `batch`, and what the `Batch` struct keeps. \
             Whatever owns a `File` keeps its descriptor open for as long as it lives.",
        )),
        (Some(_), _) => Ok(verdict.fail(
            &format!("the program does not run to the end under a limit of {LIMIT}."),
            "the error above. The program checks every footer at the end: keep \
             `check_footers` and `main` as they are.",
        )),
        _ => Ok(verdict.fail(
            "the program does not run to the end under any descriptor limit tried.",
            "run it yourself with --files 10 and read its error.",
        )),
    }
}
