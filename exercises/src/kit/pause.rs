//! A checkpoint inside a job: the program stops in the middle of its work
//! until the checker says `go on` on its standard input.

use std::io;

/// The line that lets a program go on after [`pause`].
pub const GO_ON: &str = "go on";

/// Stands for the slow part of a job: waits for a `go on` line on standard
/// input. While the program waits here, the checker looks at what it holds
/// in the middle of its work (a lock file, a lock). Any other line, or the
/// end of the input, is an error: the jobs and the `go on` lines must come
/// in step.
pub fn pause() -> io::Result<()> {
    let mut line = String::new();
    if io::stdin().read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the input ended in the middle of a job, where a `{GO_ON}` line was due"),
        ));
    }
    match line.trim_end_matches('\n') {
        GO_ON => Ok(()),
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("expected a `{GO_ON}` line in the middle of a job, got {other:?}"),
        )),
    }
}
