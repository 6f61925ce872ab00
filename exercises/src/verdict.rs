//! A checker's findings: what it measured, then PASS or FAIL with the reason.

use std::fmt::Write as _;

#[derive(Default)]
pub struct Verdict {
    passed: bool,
    text: String,
}

impl Verdict {
    /// Adds a line about what was measured.
    pub fn note(&mut self, line: &str) {
        writeln!(self.text, "{}", wrap(line)).ok();
    }

    pub fn pass(mut self, why: &str) -> Self {
        self.passed = true;
        self.end_notes();
        writeln!(self.text, "{}", wrap(&format!("PASS: {why}"))).ok();
        self
    }

    /// Fails, saying what went wrong and where in the program to look.
    pub fn fail(mut self, what: &str, where_to_look: &str) -> Self {
        self.passed = false;
        self.end_notes();
        writeln!(self.text, "{}", wrap(&format!("FAIL: {what}"))).ok();
        writeln!(
            self.text,
            "{}",
            wrap(&format!("Where to look: {where_to_look}"))
        )
        .ok();
        self
    }

    /// A blank line between the notes, if any, and the verdict.
    fn end_notes(&mut self) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
    }

    pub fn passed(&self) -> bool {
        self.passed
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Wraps text at 78 columns, so that a checker's reasons can be written as
/// one string each. Lines that start with spaces are quoted output, kept as
/// they are.
fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        if paragraph.starts_with(' ') {
            lines.push(paragraph.to_string());
            continue;
        }
        lines.push(String::new());
        for word in paragraph.split(' ') {
            let line = lines.last_mut().expect("a line was just pushed");
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 78 {
                lines.push(word.to_string());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
    }
    lines.join("\n")
}

/// Ends `text` with a full stop, unless it ends with quoted output (an
/// indented block, as [`indent`] makes).
pub fn sentence(text: &str) -> String {
    if text.contains("\n    ") {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// Indents every line by four spaces, for quoting a program's output.
pub fn indent(text: &str) -> String {
    text.lines()
        .map(|line| match line {
            "" => String::new(),
            line => format!("    {line}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
