#!/bin/sh
# Records one benchmark run for the book, with the machine it ran on, into
# src/recorded/bench.txt: each command after `$ `, then what it printed.
# `make bench-record` runs this, then regenerates the book's table from it.
# Run it on a quiet machine: other work on the cores shows up in the times,
# and the load average recorded just before the run says how quiet it was.
set -eu
cd "$(dirname "$0")/.."
out=src/recorded/bench.txt
# Build first, so that compiling does not overlap the timed run.
cargo bench -p defer-issues-benches --no-run
{
    for command in \
        "nproc" \
        "grep -m1 'model name' /proc/cpuinfo" \
        "uname -srm" \
        "findmnt -n -o FSTYPE --target \"\${TMPDIR:-/tmp}\"" \
        "rustc --version" \
        "cut -d' ' -f1-3 /proc/loadavg" \
        "cargo bench -p defer-issues-benches"; do
        echo "\$ $command"
        sh -c "$command" 2>/dev/null
    done
} > "$out.new"
mv "$out.new" "$out"
echo "recorded $out"
