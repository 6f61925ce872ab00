# The two commands a newcomer needs:
#   make book   build the book into book/ (installs the pinned tools if missing)
#   make test   everything CI checks
# and, for a course, `make exercise N` (see src/exercises/index.md).
.PHONY: setup book-tools test-tools book serve test record figures bench bench-record clean exercise check-exercises

MDBOOK_VERSION = 0.5.4
MDBOOK_MERMAID_VERSION = 0.17.1
# Where `cargo install` puts the tools, so that they are found right after.
CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CARGO_HOME)/bin:$(PATH)

# Debian packages the tests run: Chromium for the browser test (with an emoji
# font, for the callouts in its screenshots), the tools whose output the book
# shows (lsof, strace, valgrind, heaptrack), and Go for the Go programs in go/
# (Debian 12's golang-go is Go 1.19, from before per-iteration loop variables).
TEST_PACKAGES = chromium fonts-noto-color-emoji lsof strace valgrind heaptrack golang-go
APT_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

PACKAGES = defer-issues defer-issues-benches defer-issues-figures defer-issues-harness defer-issues-exercises

# Everything `make test` needs.
setup: book-tools test-tools

# Installs a tool at its pinned version unless that version is already there.
book-tools:
	@mdbook --version 2>/dev/null | grep -qx "mdbook v$(MDBOOK_VERSION)" || \
		cargo install --locked mdbook --version $(MDBOOK_VERSION)
	@mdbook-mermaid --version 2>/dev/null | grep -qx "mdbook-mermaid $(MDBOOK_MERMAID_VERSION)" || \
		cargo install --locked mdbook-mermaid --version $(MDBOOK_MERMAID_VERSION)

# Installs the missing test packages where apt is available; elsewhere the
# tests that need one fail and name it.
test-tools:
	@missing=$$(for p in $(TEST_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; \
	done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
		echo "make setup: installing" $$missing; \
		$(APT_SUDO) apt-get update -qq && $(APT_SUDO) env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing; \
	elif [ -n "$$missing" ]; then \
		echo "make setup: no apt here; install these for the tests:" $$missing >&2; fi

# mdBook exits 0 after logging ERROR for a missing include or a bad
# [output.html] key (which silently drops the theme), so fail on ERROR lines.
book: book-tools
	@mkdir -p target
	@mdbook build > target/mdbook.log 2>&1; status=$$?; cat target/mdbook.log; \
		if [ $$status -ne 0 ] || grep -q ERROR target/mdbook.log; then \
			echo "make book: mdbook failed or logged ERROR (see above)" >&2; exit 1; fi

serve: book-tools
	mdbook serve --hostname 127.0.0.1 --open

# Students' copies (exercises/yours) are theirs: formatting and lints cover
# the workspace's default members only.
test: setup book
	cargo fmt $(foreach p,$(PACKAGES),-p $(p)) -- --check
	cargo clippy --all-targets -- -D warnings
	@# The sample crates are workspaces of their own. The lint samples exist
	@# to make clippy warn, so only their formatting is checked.
	cargo fmt --manifest-path samples/lints/Cargo.toml -- --check
	cargo fmt --manifest-path samples/metrics/Cargo.toml -- --check
	cargo clippy --manifest-path samples/metrics/Cargo.toml --all-targets -- -D warnings
	cargo test

# `make exercise 2` checks your copy of exercise 2 (see src/exercises/index.md);
# `make exercise` alone lists your progress; `make exercise hint 2` and every
# other runner command work too. The words after `exercise` are goals to make,
# so they are handed to the runner and given empty rules.
ifeq (exercise,$(firstword $(MAKECMDGOALS)))
  EXERCISE_ARGS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
  $(foreach word,$(EXERCISE_ARGS),$(eval $(word):;@:))
endif
exercise:
	@cargo exercise $(EXERCISE_ARGS)

# Proves every checker can fail: each committed starter must FAIL its check
# and each reference solution must PASS. Students' copies are never looked at.
# `cargo test` runs it too, as the transcript src/transcripts/exercise-verify.console.
check-exercises:
	cargo exercise --verify

# Re-records every transcript, generated figure and compiler-error snapshot
# from real runs. Never in CI: it would bless whatever the code prints.
record:
	SNAPSHOTS=overwrite cargo test --test transcripts
	SNAPSHOTS=overwrite cargo test -p defer-issues-exercises --test registry
	$(MAKE) --no-print-directory figures
	TRYBUILD=overwrite cargo test --test compiletest

# Rewrites the book's tables and charts (src/generated/) from the recorded
# transcripts and benchmark run; `cargo test` fails while one is stale.
figures:
	cargo run -q -p defer-issues-figures

# Times the cleanup patterns of benches/ side by side (seconds once built).
bench:
	cargo bench -p defer-issues-benches

# Records a benchmark run and the machine it ran on (src/recorded/bench.txt),
# then regenerates the book's tables from it. It refuses while the 1-minute
# load average is above a quarter per core (BENCH_FORCE=1 records anyway).
bench-record:
	benches/record.sh
	$(MAKE) --no-print-directory figures

clean:
	cargo clean
	rm -rf book
