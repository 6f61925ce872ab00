// Writes a heap profile of loop defers, for `go tool pprof`: openAll defers
// one Close per file in a loop, so none of those defers can be open-coded and
// each takes a defer record from the heap (runtime.newdefer, called by
// runtime.deferproc). Every allocation is sampled, so the profile's bytes
// are exact, not estimates.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"

	"deferissues/internal/demo"
)

const usage = `Usage: heapprofile [--files N] PROFILE

Opens N prepared files with a defer in the loop, then writes a heap profile of
every allocation to the file PROFILE, for go tool pprof.

Options:
  --files N        how many files to open (default 1000)
  -h, --help       print this help
`

func openAll(paths []string) error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
	}
	return nil
}

func main() {
	// Before anything allocates: sample every allocation.
	runtime.MemProfileRate = 1
	files := 1000
	var profile string
	demo.Flags(usage, map[string]func(string){
		"--files": func(v string) { files = demo.Count(usage, "--files", v, 1, 10_000) },
	}, func(v string) { profile = v })
	if profile == "" {
		demo.UsageError(usage, "missing PROFILE, the file to write the profile to")
	}
	if err := run(files, profile); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("heapprofile: %d loop defers, profile written\n", files)
}

func run(files int, profile string) error {
	dir, err := os.MkdirTemp("", "heapprofile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	paths := make([]string, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("file-%04d.log", i))
		if err := os.WriteFile(paths[i], []byte("log entry\n"), 0o644); err != nil {
			return err
		}
	}
	if err := openAll(paths); err != nil {
		return err
	}
	out, err := os.Create(profile)
	if err != nil {
		return err
	}
	// The profile is as of the last collection.
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
