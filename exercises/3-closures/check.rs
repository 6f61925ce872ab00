//! The checker for exercise 3: which connections the program closes, how
//! often, and in what order. `Connection` (lib/connection.rs) reports each
//! open, close and unclosed drop as it happens; the checker reads that trace.

use crate::Verdict;
use crate::measure::Lab;
use std::io;
use std::path::Path;

/// The connection id in every line of the trace that starts with `prefix`.
fn ids(stdout: &str, prefix: &str) -> Vec<usize> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect()
}

fn list(ids: &[usize]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check(lab: &Lab, program: &Path) -> io::Result<Verdict> {
    let mut verdict = Verdict::default();
    let run = lab.run(program, &[], None)?;
    if let Some(problem) = run.problem() {
        return Ok(verdict.fail(
            &problem,
            "the message above; a panic names the file and line where it happened.",
        ));
    }
    let opened = ids(&run.stdout, "Opened connection ");
    // A first close prints "Closing", every later one "WARNING".
    let closes: Vec<usize> = run
        .stdout
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("  Closing connection ")
                .or_else(|| line.strip_prefix("  WARNING: connection "))?;
            rest.split(' ').next()?.parse().ok()
        })
        .collect();
    let per_connection: Vec<usize> = opened
        .iter()
        .map(|id| closes.iter().filter(|c| *c == id).count())
        .collect();
    let never: Vec<usize> = opened
        .iter()
        .zip(&per_connection)
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| *id)
        .collect();
    let newest_first: Vec<usize> = opened.iter().rev().copied().collect();
    verdict.note(&format!("Connections opened: {}", list(&opened)));
    verdict.note(&format!(
        "Close calls, in the order they ran: {}",
        list(&closes)
    ));
    verdict.note(&format!("Close calls per connection: {per_connection:?}"));
    verdict.note(&format!("Never closed: {}", list(&never)));
    if opened.is_empty() {
        return Ok(verdict.fail(
            "the program opened no connections.",
            "`main` opens them: keep it as it is and change only `use_all`.",
        ));
    }
    if closes == newest_first {
        return Ok(verdict.pass(
            "each connection was closed exactly once, newest first, as deferred calls run.",
        ));
    }
    if per_connection.iter().all(|&n| n == 1) {
        let what = if closes.iter().eq(opened.iter()) {
            "every connection was closed once, but oldest first. Deferred closes run newest \
             first, when the function returns."
        } else {
            "every connection was closed once, but not newest first."
        };
        return Ok(verdict.fail(
            &format!("{what} Expected: {}.", list(&newest_first)),
            "keep registering the closes on the `DeferStack` in `use_all`: closing in the \
             loop, or keeping guards in a `Vec` (which drops front to back), closes them \
             oldest first.",
        ));
    }
    Ok(verdict.fail(
        &format!(
            "the deferred closes did not each close their own connection. Expected each \
             connection closed once, in the order {}.",
            list(&newest_first)
        ),
        "in `use_all`, look at what each closure captures. One that holds the pool reads \
         `current` only when it runs, after the loop has moved on to the last connection. \
         Capture what identifies this iteration's connection when the closure is made.",
    ))
}
