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
# Refuse to record on a busy machine. The limit is a quarter of a core's worth
# of load per core (0.5 on 2 cores); BENCH_MAX_LOAD sets another, and
# BENCH_FORCE=1 records anyway with a warning (the load is recorded with the run).
cores=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg)
max_load=${BENCH_MAX_LOAD:-$(awk -v n="$cores" 'BEGIN { print n / 4 }')}
if awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l > m) }'; then
    if [ "${BENCH_FORCE:-}" = 1 ]; then
        echo "WARNING: 1-minute load average $load is above $max_load on $cores cores;" \
            "recording anyway (BENCH_FORCE=1): the times will be slower and noisier." >&2
    else
        echo "error: 1-minute load average $load is above $max_load on $cores cores:" \
            "the times would measure the other work. Wait for a quiet machine," \
            "or set BENCH_FORCE=1 to record anyway." >&2
        exit 1
    fi
fi
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
