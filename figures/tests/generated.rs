//! The committed figures in `src/generated/` are what the recordings make
//! today: regenerated in memory and compared, never written.

use defer_issues_figures::{generated_files, in_workspace};
use std::fs;

#[test]
fn generated_figures_match_their_recordings() {
    let files = generated_files().unwrap_or_else(|err| panic!("{err}"));
    let stale: Vec<&str> = files
        .iter()
        .filter(|f| fs::read_to_string(in_workspace(&f.path)).ok().as_deref() != Some(&f.content))
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "stale figures, run make figures: {}",
        stale.join(", ")
    );
}
