//! A text summary of a DHAT profile: which lines of this program hold the
//! most heap at the peak. DHAT (`valgrind --tool=dhat`) writes its profile as
//! JSON for a viewer in the browser; this prints the part the book needs in a
//! terminal, so the book can show it and the tests can check it.
//!
//! Run it:  valgrind --tool=dhat --dhat-out-file=target/dhat.out PROGRAM
//!          cargo run --example dhat-sites

use defer_issues::cli::{bounded, parse_args, value};
use defer_issues::heap::thousands;
use serde_json::Value;
use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "Usage: dhat-sites [OPTIONS]

Prints the allocation sites of a DHAT profile (valgrind --tool=dhat) that hold
the most heap at the peak, named by this program's own frames.

Options:
  --input PATH     the DHAT profile to read (default target/dhat.out)
  --top N          how many sites to print (default 5)
  --frames N       how many of the program's frames to print per site (default 3)
  -h, --help       print this help
";

/// Heap held by one group of blocks: bytes and how many blocks.
#[derive(Clone, Copy, Default)]
struct Heap {
    bytes: u64,
    blocks: u64,
}

impl Heap {
    fn add(&mut self, other: Heap) {
        self.bytes = self.bytes.saturating_add(other.bytes);
        self.blocks = self.blocks.saturating_add(other.blocks);
    }
}

/// What DHAT recorded for one allocation stack, or a group of them.
#[derive(Clone, Copy, Default)]
struct Site {
    /// Everything allocated over the run.
    total: Heap,
    /// Live when the heap was at its largest (DHAT's t-gmax).
    at_peak: Heap,
    /// Still live when the program ended.
    at_end: Heap,
}

impl Site {
    fn add(&mut self, other: &Site) {
        self.total.add(other.total);
        self.at_peak.add(other.at_peak);
        self.at_end.add(other.at_end);
    }
}

/// The most sites or frames a summary lists: more than a reader can use.
const MAX_LISTED: usize = 1000;

fn main() -> ExitCode {
    let mut input = PathBuf::from("target/dhat.out");
    let mut top = 5;
    let mut frames = 3;
    let parsed = parse_args(USAGE, |flag, parser| {
        match flag {
            "--input" => {
                input = value(parser, flag, "a path")?;
                if input.as_os_str().is_empty() {
                    return Err(format!("invalid value '' for {flag}: expected a path"));
                }
            }
            "--top" => top = bounded(parser, flag, "a whole number", MAX_LISTED)?,
            "--frames" => frames = bounded(parser, flag, "a whole number", MAX_LISTED)?,
            _ => return Ok(false),
        }
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    match summarize(&input, top, frames) {
        Ok(summary) => {
            print!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {}: {message}", input.display());
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: summarize
fn summarize(input: &PathBuf, top: usize, frames: usize) -> Result<String, String> {
    let text = fs::read_to_string(input).map_err(|e| {
        format!(
            "{e} (write it first with: valgrind --tool=dhat --dhat-out-file={} PROGRAM)",
            input.display()
        )
    })?;
    let profile: Value = serde_json::from_str(&text).map_err(|e| format!("not DHAT JSON: {e}"))?;
    let frame_table = profile["ftbl"]
        .as_array()
        .ok_or("not a DHAT heap profile: no frame table")?;
    let points = profile["pps"]
        .as_array()
        .ok_or("not a DHAT heap profile: no program points")?;

    // DHAT keeps one entry per distinct stack. Group them by the program's
    // own frames, so that every path through the standard library to the same
    // line of this program counts as one site.
    let mut sites: HashMap<Vec<String>, Site> = HashMap::new();
    let mut all = Site::default();
    for point in points {
        let site = Site {
            total: heap(point, "tb", "tbk"),
            at_peak: heap(point, "gb", "gbk"),
            at_end: heap(point, "eb", "ebk"),
        };
        all.add(&site);
        let own: Vec<String> = point["fs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|index| frame_table.get(index.as_u64()? as usize)?.as_str())
            .filter_map(own_frame)
            .take(frames)
            .collect();
        sites.entry(own).or_default().add(&site);
    }
    let mut ranked: Vec<(Vec<String>, Site)> = sites.into_iter().collect();
    ranked.sort_by(|(a_frames, a), (b_frames, b)| {
        (b.at_peak.bytes, b.total.bytes, a_frames).cmp(&(a.at_peak.bytes, a.total.bytes, b_frames))
    });

    let mut out = String::new();
    let command = profile["cmd"].as_str().unwrap_or("?");
    out += &format!("Profile of: {command}\n");
    out += &format!("Allocated in all:  {}\n", show(all.total));
    out += &format!("Live at the peak:  {}\n", show(all.at_peak));
    out += &format!("Live at the end:   {}\n", show(all.at_end));
    out += &format!("\nTop {top} sites by bytes live at the peak:\n");
    for (rank, (own, site)) in ranked.iter().take(top).enumerate() {
        out += &format!(
            "\n{}. {} at the peak; {} in all\n",
            rank + 1,
            show(site.at_peak),
            show(site.total)
        );
        if own.is_empty() {
            out += "   (no frames of this program: the runtime's own)\n";
        }
        for frame in own {
            out += &format!("   {frame}\n");
        }
    }
    Ok(out)
}

/// A frame of this program, as `function (file:line)` without its address;
/// `None` for the allocator, the C library and Rust's standard library, which
/// every allocation passes through.
fn own_frame(frame: &str) -> Option<String> {
    // DHAT writes `0x13E7F8: loop_leak::process_files (loop-leak.rs:24)`.
    // Functions inlined from the standard library have short names such as
    // `with_capacity<u8> (mod.rs:524)`, with no crate path: skip those too.
    let (_address, function) = frame.split_once(": ")?;
    let path = function.strip_prefix('<').unwrap_or(function);
    let krate_len = path.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let (krate, rest) = path.split_at(krate_len);
    let library = ["std", "core", "alloc"].contains(&krate);
    // A `#[global_allocator]` is on every stack, behind rustc's `__rustc`
    // shim: it is how the bytes were allocated, not where.
    let allocator =
        krate == "__rustc" || function.contains(" as core::alloc::global::GlobalAlloc>::");
    (rest.starts_with("::") && !library && !allocator).then(|| function.to_string())
}
// ANCHOR_END: summarize

fn heap(point: &Value, bytes: &str, blocks: &str) -> Heap {
    Heap {
        bytes: point[bytes].as_u64().unwrap_or(0),
        blocks: point[blocks].as_u64().unwrap_or(0),
    }
}

fn show(heap: Heap) -> String {
    let plural = if heap.blocks == 1 { "" } else { "s" };
    format!(
        "{} bytes in {} block{plural}",
        thousands(heap.bytes),
        thousands(heap.blocks)
    )
}
