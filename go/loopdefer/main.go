// The guide's first bug, in Go: `defer f.Close()` inside a loop. Every file
// stays open until processFiles returns, as the counts of this process's
// descriptors show; the Rust port is examples/loop-leak.rs.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"deferissues/internal/demo"
)

const usage = `Usage: loopdefer [--files N] [--delay-ms MS]

Writes files with a defer in the loop, so that every file stays open until the
function returns.

Options:
  --files N        how many files to write (default 500)
  --delay-ms MS    pause after each file, 0 for none (default 12)
  -h, --help       print this help
`

var start = time.Now()

func elapsed() string {
	return fmt.Sprintf("%.2fs", time.Since(start).Seconds())
}

// ANCHOR: process
func processFiles(dir string, files int, delay time.Duration) error {
	pending := 0
	for i := 0; i < files; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("file-%04d.log", i)))
		if err != nil {
			return fmt.Errorf("after opening %d files: %w", i, err)
		}
		defer f.Close() // runs when processFiles returns, not at the end of this iteration
		pending++
		if _, err := fmt.Fprintf(f, "log entry %d\n", i); err != nil {
			return err
		}
		time.Sleep(delay)
		if (i+1)%(files/5) == 0 {
			fmt.Printf("[AFTER %s] Open FDs: %d | Files processed: %d | Pending defers: %d\n",
				elapsed(), demo.OpenFDs(), i+1, pending)
		}
	}
	fmt.Printf("\nLoop complete. All %d files processed; %d deferred closes run now, last in first out...\n",
		files, pending)
	return nil
}

// ANCHOR_END: process

func main() {
	files, delayMs := 500, 12
	demo.Flags(usage, map[string]func(string){
		"--files":    func(v string) { files = demo.Count(usage, "--files", v, 5, 1_000_000) },
		"--delay-ms": func(v string) { delayMs = demo.Count(usage, "--delay-ms", v, 0, 60_000) },
	}, nil)
	dir, err := os.MkdirTemp("", "loopdefer-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot create a temporary directory: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("loopdefer: PID %d, writing %d files to a temporary directory\n", os.Getpid(), files)
	// The first count opens /proc/self/fd, which starts the runtime's network
	// poller and its descriptors, so they are in the start count too.
	startFDs := demo.OpenFDs()
	fmt.Printf("[START] Open FDs: %d\n\nProcessing %d files with a defer in the loop...\n\n", startFDs, files)
	err = processFiles(dir, files, time.Duration(delayMs)*time.Millisecond)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("\n--- Function returned, every deferred close has run ---\n")
	final := demo.OpenFDs()
	compared := "same as at the start"
	if final != startFDs {
		compared = fmt.Sprintf("%+d since the start", final-startFDs)
	}
	fmt.Printf("[FINAL %s] Open FDs: %d (%s)\n", elapsed(), final, compared)
}
