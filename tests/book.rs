//! Checks of the book's sources that mdBook does not make: mdBook builds
//! happily with a missing anchor (an empty listing) or an untagged fence.
//! Code blocks are found with pulldown-cmark, the Markdown parser mdBook
//! uses, so that every block mdBook renders is one these tests see.

mod support;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Languages a fence may be tagged with. Program output goes in `console`
/// fences only, so that every block of output is one that a test replays;
/// `text` is only for compiler errors that trybuild checks (see below).
const FENCE_TAGS: &[&str] = &[
    "rust", "console", "toml", "bash", "go", "mermaid", "yaml", "makefile", "text",
];

fn pages() -> Vec<PathBuf> {
    support::files_with_extension(&support::root().join("src"), "md")
}

/// A fenced code block: its page, first line number, info string and body.
struct Fence {
    page: PathBuf,
    line: usize,
    info: String,
    body: String,
}

/// The extensions mdBook 0.5 turns on (`mdbook-markdown`'s `new_cmark_parser`
/// with its defaults).
const MDBOOK_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_DEFINITION_LIST);

/// The page's code blocks as mdBook sees them: pulldown-cmark, the parser
/// mdBook renders with, finds fenced blocks however they are written
/// (backticks or tildes, indented in a list or a `<details>`) and indented
/// blocks, which have no tag. Include directives are still unexpanded here.
fn fences(page: &Path) -> Vec<Fence> {
    let text = fs::read_to_string(page).unwrap();
    let mut fences = Vec::new();
    let mut open: Option<Fence> = None;
    for (event, range) in Parser::new_ext(&text, MDBOOK_OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                open = Some(Fence {
                    page: page.to_owned(),
                    line: line_of(&text, range.start),
                    info: match kind {
                        CodeBlockKind::Fenced(info) => info.trim().to_string(),
                        CodeBlockKind::Indented => String::new(),
                    },
                    body: String::new(),
                });
            }
            Event::Text(body) => {
                if let Some(fence) = open.as_mut() {
                    fence.body.push_str(&body);
                }
            }
            Event::End(TagEnd::CodeBlock) => fences.extend(open.take()),
            _ => {}
        }
    }
    fences
}

/// The line number of a byte offset in a page.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn relative(page: &Path) -> &Path {
    page.strip_prefix(support::root()).unwrap()
}

fn place(fence: &Fence) -> String {
    format!("{}:{}", relative(&fence.page).display(), fence.line)
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{#(?:include|rustdoc_include) ([^}:\s]+)(?::([\w-]+)(?::(\d*))?)?\}\}").unwrap()
});

#[test]
fn every_fence_is_tagged_with_a_known_language() {
    let mut bad = Vec::new();
    for fence in pages().iter().flat_map(|p| fences(p)) {
        let tag = fence.info.split(',').next().unwrap_or("");
        if fence.info.is_empty() {
            bad.push(format!(
                "{}: a code block with no language tag",
                place(&fence)
            ));
        } else if !FENCE_TAGS.contains(&tag) {
            bad.push(format!("{}: fence tagged '{}'", place(&fence), fence.info));
        }
    }
    assert!(
        bad.is_empty(),
        "use one of {FENCE_TAGS:?}:\n{}",
        bad.join("\n")
    );
}

/// A `<pre>` written as HTML would show a block that no test replays.
#[test]
fn no_block_is_written_as_raw_html() {
    let mut bad = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for (event, range) in Parser::new_ext(&text, MDBOOK_OPTIONS).into_offset_iter() {
            if let Event::Html(html) | Event::InlineHtml(html) = event
                && html.to_ascii_lowercase().contains("<pre")
            {
                bad.push(format!(
                    "{}:{}: {}",
                    relative(&page).display(),
                    line_of(&text, range.start),
                    html.trim()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "write blocks as tagged fences, not HTML:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_console_block_is_a_recorded_transcript() {
    let mut bad = Vec::new();
    for fence in pages()
        .iter()
        .flat_map(|p| fences(p))
        .filter(|f| f.info == "console")
    {
        let include = INCLUDE
            .captures(fence.body.trim())
            .filter(|c| c[0].len() == fence.body.trim().len());
        match include {
            Some(c) if c[1].contains("transcripts/") && c[1].ends_with(".console") => {}
            _ => bad.push(format!(
                "{}: a console block must be exactly {{{{#include transcripts/NAME.console}}}}, got:\n{}",
                place(&fence),
                fence.body
            )),
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A `text` fence shows a compiler error, and only one that
/// `tests/compiletest.rs` checks: its body must be exactly an include of a
/// `tests/ui/*.stderr` snapshot.
#[test]
fn every_text_block_is_a_checked_compiler_error() {
    let mut bad = Vec::new();
    for fence in pages()
        .iter()
        .flat_map(|p| fences(p))
        .filter(|f| f.info.split(',').next() == Some("text"))
    {
        let body = fence.body.trim();
        let ui = support::root().join("tests/ui").canonicalize().unwrap();
        let is_snapshot = INCLUDE.captures(body).is_some_and(|c| {
            let target = fence.page.parent().unwrap().join(&c[1]);
            c[0].len() == body.len()
                && c.get(2).is_none()
                && c[1].ends_with(".stderr")
                && target.canonicalize().is_ok_and(|t| t.parent() == Some(&ui))
        });
        if !is_snapshot {
            bad.push(format!(
                "{}: a text block must be exactly {{{{#include ../tests/ui/NAME.stderr}}}}, naming a snapshot that exists; got:\n{}",
                place(&fence),
                fence.body
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() {
    let mut bad = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for c in INCLUDE.captures_iter(&text) {
            let target = page.parent().unwrap().join(&c[1]);
            let Ok(source) = fs::read_to_string(&target) else {
                bad.push(format!("{}: {} does not exist", page.display(), &c[1]));
                continue;
            };
            let page = page.display();
            let file = &c[1];
            match c.get(2).map(|m| m.as_str()) {
                // A line range that splits a transcript must start at a command.
                Some(line) if line.parse::<usize>().is_ok() => {
                    let start: usize = line.parse().unwrap();
                    let at_command = source
                        .lines()
                        .nth(start - 1)
                        .is_some_and(|l| l.starts_with("$ "));
                    if file.ends_with(".console") && !at_command {
                        bad.push(format!(
                            "{page}: {file} line {start} is not a `$ ` command line"
                        ));
                    }
                }
                Some(anchor) => {
                    // In Markdown (hints.md) an anchor is an HTML comment.
                    let marks = |mark: &str| {
                        source.contains(&format!("{mark}: {anchor}\n"))
                            || source.contains(&format!("<!-- {mark}: {anchor} -->"))
                    };
                    let (start, end) = (marks("ANCHOR"), marks("ANCHOR_END"));
                    if !(start && end) {
                        bad.push(format!("{page}: {file} has no anchor '{anchor}'"));
                    }
                }
                None => {}
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_transcript_is_shown_in_the_book() {
    let mut included = BTreeSet::new();
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for c in INCLUDE.captures_iter(&text) {
            if let Ok(path) = page.parent().unwrap().join(&c[1]).canonicalize() {
                included.insert(path);
            }
        }
    }
    let orphans: Vec<String> = fs::read_dir(support::root().join("src/transcripts"))
        .unwrap()
        .map(|e| e.unwrap().path().canonicalize().unwrap())
        .filter(|p| !included.contains(p))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        orphans.is_empty(),
        "transcripts no page includes:\n{}",
        orphans.join("\n")
    );
}

#[test]
fn every_rust_listing_is_included_from_code_that_cargo_builds() {
    let mut bad = Vec::new();
    for fence in pages().iter().flat_map(|p| fences(p)) {
        let body = fence.body.trim();
        let whole_include = INCLUDE.find(body).is_some_and(|m| m.len() == body.len());
        if fence.info.starts_with("rust") && !whole_include {
            bad.push(format!(
                "{}: a rust listing must be one {{{{#include ...}}}}",
                place(&fence)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Where a transcript may show an absolute path: system locations and the
/// temporary directories the examples make; `/rustc/` is where backtraces
/// place the standard library. Anything else (a home directory, the checkout
/// the book was recorded in) is a trace of the recording machine;
/// tests/transcripts.rs records the checkout as `[ROOT]`.
const SYSTEM_PATHS: &[&str] = &[
    "/tmp/", "/proc/", "/dev/", "/sys/", "/usr/", "/etc/", "/lib/", "/rustc/",
];

#[test]
fn no_transcript_shows_the_recording_machines_paths() {
    static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?m)(?:^|[\s<"'(=:,\[])(/[\w.+-][^\s<>"'(),\]]*)"#).unwrap()
    });
    let root = support::root().display().to_string();
    let mut bad = Vec::new();
    for file in support::files_with_extension(&support::root().join("src/transcripts"), "console") {
        let text = fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let machine_paths: Vec<&str> = ABSOLUTE
                .captures_iter(line)
                .map(|c| c.get(1).unwrap().as_str())
                .filter(|p| {
                    let system = SYSTEM_PATHS
                        .iter()
                        .any(|s| p.starts_with(s) || *p == s.trim_end_matches('/'));
                    p.starts_with(&root) || !system
                })
                .collect();
            if !machine_paths.is_empty() {
                bad.push(format!(
                    "{}:{}: {}",
                    relative(&file).display(),
                    number + 1,
                    machine_paths.join(", ")
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "transcripts show paths of the machine they were recorded on (mask them in \
         tests/transcripts.rs, as mask_checkout does the checkout):\n{}",
        bad.join("\n")
    );
}
