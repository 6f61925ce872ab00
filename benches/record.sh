#!/bin/sh
# Records one benchmark run for the book, with the machine it ran on, into
# src/recorded/bench.txt: each command after `$ `, then what it printed. The
# Rust patterns (divan) and their Go counterparts (go/bench, `go test -bench`)
# run one after the other on the same prepared-file workload.
# `make bench-record` runs this, then regenerates the book's table from it.
# Run it on a quiet machine: other work on the cores shows up in the times,
# and the load average recorded just before the run says how quiet it was.
set -eu
cd "$(dirname "$0")/.."
out=src/recorded/bench.txt
# Build first, so that compiling does not overlap the timed runs; the Go
# build runs the package's (empty) test set once, which times nothing.
command -v go >/dev/null || {
    echo "benches/record.sh: the Go side needs go: run make setup (Debian's golang-go)" >&2
    exit 1
}
cargo bench -p defer-issues-benches --no-run
(cd go && go test -run '^$' ./bench)
{
    for command in \
        "nproc" \
        "grep -m1 'model name' /proc/cpuinfo" \
        "uname -srm" \
        "findmnt -n -o FSTYPE --target \"\${TMPDIR:-/tmp}\"" \
        "rustc --version" \
        "go version" \
        "cut -d' ' -f1-3 /proc/loadavg" \
        "cargo bench -p defer-issues-benches" \
        "cd go && go test -run '^\$' -bench . -benchmem ./bench"; do
        echo "\$ $command"
        sh -c "$command" 2>/dev/null
    done
} > "$out.new"
mv "$out.new" "$out"
echo "recorded $out"
