//! Case study 1, fixed: the archive job records each log's size while the
//! file is open and keeps only the numbers. Each file closes as soon as it is
//! written, so the job needs one descriptor however many tenants there are.
//!
//! Run it:  cargo run --example case-emfile-fixed -- --files 2000 --nofile 1024

use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::heap::CountingAllocator;
use defer_issues::run::Run;
use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;

const NAME: &str = "case-emfile-fixed";

// Counts every allocation, for the heap figures on each progress line.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: record
/// What the manifest needs to know about one tenant's log: numbers, no handle.
struct TenantLog {
    tenant: usize,
    bytes: u64,
}
// ANCHOR_END: record

// ANCHOR: archive
/// Writes every tenant's log, then the manifest.
fn archive(run: &mut Run) -> io::Result<()> {
    let mut logs = Vec::new();
    for (tenant, path) in run.paths().enumerate() {
        logs.push(write_log(run, tenant, &path)?);
        if let Some(at) = run.file_done()? {
            println!("{at} | Peak FDs: {}", run.peak_fds());
        }
    }
    print_manifest(&logs);
    Ok(())
}

fn write_log(run: &mut Run, tenant: usize, path: &Path) -> io::Result<TenantLog> {
    let mut file = File::create(path)?;
    run.write_entry(&mut file)?;
    // Read what the manifest needs while the file is open...
    let bytes = file.metadata()?.len();
    Ok(TenantLog { tenant, bytes })
} // ...and `file` closes here, once per tenant.

fn print_manifest(logs: &[TenantLog]) {
    let bytes: u64 = logs.iter().map(|log| log.bytes).sum();
    if let (Some(first), Some(last)) = (logs.first(), logs.last()) {
        println!(
            "\nManifest: {} tenant logs (tenants {} to {}), {bytes} bytes",
            logs.len(),
            first.tenant,
            last.tenant
        );
    }
}
// ANCHOR_END: archive

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes one log file per tenant, closing each one before the next opens.\n\n\
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
    if result.is_ok() {
        println!("Most log files open at once: {}", run.peak_files_open());
    }
    run.finish(result)
}
