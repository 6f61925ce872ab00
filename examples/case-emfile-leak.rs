//! Case study 1, the bug: a nightly archive job that writes one log file per
//! tenant and keeps each file's handle in the record it collects for the
//! batch's manifest. Every file stays open until the batch ends: fine for the
//! 20 tenants of the test fixtures, "Too many open files" in production.
//!
//! Run it:  cargo run --example case-emfile-leak -- --files 2000 --nofile 1024

use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::heap::CountingAllocator;
use defer_issues::run::Run;
use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;

const NAME: &str = "case-emfile-leak";

// Counts every allocation, for the heap figures on each progress line.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: record
/// What the manifest needs to know about one tenant's log.
struct TenantLog {
    tenant: usize,
    // The bug: the handle rides along in the record, so the file stays open
    // for as long as the record lives, which is until the batch ends.
    file: File,
}
// ANCHOR_END: record

// ANCHOR: archive
/// Writes every tenant's log, then the manifest.
fn archive(run: &mut Run) -> io::Result<()> {
    let mut logs = Vec::new();
    for (tenant, path) in run.paths().enumerate() {
        logs.push(write_log(run, tenant, &path)?);
        if let Some(at) = run.file_done()? {
            println!("{at} | Logs in the manifest: {}", logs.len());
        }
    }
    print_manifest(&logs)
} // `logs` drops here, and only now do the files close.

fn write_log(run: &mut Run, tenant: usize, path: &Path) -> io::Result<TenantLog> {
    let mut file = File::create(path)?;
    run.write_entry(&mut file)?;
    Ok(TenantLog { tenant, file })
}

fn print_manifest(logs: &[TenantLog]) -> io::Result<()> {
    let mut bytes = 0;
    for log in logs {
        // The size comes from the open handle: the reason it was kept.
        bytes += log.file.metadata()?.len();
    }
    if let (Some(first), Some(last)) = (logs.first(), logs.last()) {
        println!(
            "\nManifest: {} tenant logs (tenants {} to {}), {bytes} bytes",
            logs.len(),
            first.tenant,
            last.tenant
        );
    }
    Ok(())
}
// ANCHOR_END: archive

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes one log file per tenant and keeps every handle until the batch ends.\n\n\
         Options:\n{FILE_OPTIONS_HELP}"
    );
    let options = match FileOptions::parse(&usage, |_, _| Ok(false)) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut run = match Run::start(NAME, options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    println!("\nArchiving the logs of {} tenants...\n", run.files());
    let result = archive(&mut run);
    run.finish(result)
}
