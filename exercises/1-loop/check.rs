//! The checker for exercise 1: the peak number of open descriptors when the
//! program backs up one file, and when it backs up twenty. If each file is
//! closed before the next opens, the two peaks are the same.

use crate::Verdict;
use crate::measure::{Lab, file_args};
use std::io;
use std::path::Path;

const FILES: u64 = 20;

pub fn check(lab: &Lab, program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let run = lab.run(program, &file_args(FILES), None)?;
    if let Some(problem) = run.problem() {
        return Ok(verdict.fail(
            &format!("with --files {FILES}, {problem}"),
            "the error names the step that failed. The program checks that every backup \
             matches its log file and removes its files at the end: keep `write_logs`, \
             `check_backups` and `main` as they are, and change only `back_up`.",
        ));
    }
    verdict.note(&format!(
        "With --files {FILES}: it runs to the end, every backup matches, and it removes its files."
    ));
    let (Some(one), Some(many)) = (
        lab.peak_descriptors(program, &file_args(1))?,
        lab.peak_descriptors(program, &file_args(FILES))?,
    ) else {
        return Ok(verdict.fail(
            "the program does not run to the end under any descriptor limit tried.",
            "run it yourself with --files 1 and read its error.",
        ));
    };
    verdict.note(&format!("Peak open descriptors backing up 1 file: {one}"));
    verdict.note(&format!(
        "Peak open descriptors backing up {FILES} files: {many}"
    ));
    verdict.note("(the lowest RLIMIT_NOFILE under which the program runs to the end)");
    if many <= one {
        return Ok(verdict.pass(&format!(
            "backing up {FILES} files needs no more descriptors than backing up one: \
             each backup's files are closed before the next backup starts."
        )));
    }
    let extra = many - one;
    let others = FILES - 1;
    let what = format!(
        "backing up {others} more files took {extra} more descriptors at once, so files \
         stay open after their backup is done."
    );
    let where_to_look = if extra >= 2 * others {
        "in `back_up`, both the source and the backup of every file stay open until the \
         function returns: the `DeferStack` keeps each closure, and the `File` it owns, \
         until then. Make both files close at the end of each iteration."
    } else if extra >= others {
        "in `back_up`, one of the two files of every backup still stays open until the \
         function returns. Check that the source and the backup are both closed at the \
         end of each iteration."
    } else {
        "in `back_up`, some files stay open longer than their own iteration. Check what \
         owns each `File` once its copy is done."
    };
    Ok(verdict.fail(&what, where_to_look))
}
