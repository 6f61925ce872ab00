// Package bench times the guide's cleanup patterns in Go on 100 prepared
// files per operation, the same work as the Rust benchmark in
// benches/benches/patterns.rs: open each file read-only, use it, close it.
// `go test -bench . -benchmem` also counts allocations per operation.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"
)

// Files per operation, as in the Rust benchmark and the guide.
const files = 100

var (
	paths   []string // the prepared files
	created []string // paths in a directory of their own, to create
	// sink keeps each open file observable, so nothing is optimized away.
	sink   any
	fdSink uintptr
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "defer-bench-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot prepare the files: %v\n", err)
		os.Exit(1)
	}
	code := prepare(dir)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func prepare(dir string) int {
	if err := os.Mkdir(filepath.Join(dir, "created"), 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot prepare the files: %v\n", err)
		return 1
	}
	for i := 0; i < files; i++ {
		name := fmt.Sprintf("file-%04d.log", i)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(fmt.Sprintf("log entry %d\n", i)), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "error: cannot prepare the files: %v\n", err)
			return 1
		}
		paths = append(paths, path)
		created = append(created, filepath.Join(dir, "created", name))
	}
	return 0
}

// ANCHOR: patterns
// Leak: every Close waits for the return.
func loopDefer() error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sink = f
	}
	return nil
}

// Leak: every file kept in a slice, closed at the end.
func heldInSlice() error {
	var open []*os.File
	defer func() {
		for _, f := range open {
			f.Close()
		}
	}()
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sink = f
		open = append(open, f)
	}
	return nil
}

// Fixed: the per-file work in a function of its own.
func extractedFunction() error {
	for _, path := range paths {
		if err := openAndUse(path); err != nil {
			return err
		}
	}
	return nil
}

func openAndUse(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sink = f
	return nil
}

// Fixed: a function literal called in each iteration.
func anonymousFunction() error {
	for _, path := range paths {
		err := func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			sink = f
			return nil
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Fixed: Close as soon as the work is done.
func explicitClose() error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sink = f
		f.Close()
	}
	return nil
}

// ANCHOR_END: patterns

// The floor: the two system calls and nothing else, on paths converted to
// C strings before the clock starts.
func floorSyscall(cPaths []*byte) error {
	atFDCWD := -100 // AT_FDCWD on Linux, which package syscall does not export
	for _, path := range cPaths {
		fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(atFDCWD),
			uintptr(unsafe.Pointer(path)), syscall.O_RDONLY|syscall.O_CLOEXEC, 0, 0, 0)
		if errno != 0 {
			return errno
		}
		fdSink = fd
		if err := syscall.Close(int(fd)); err != nil {
			return err
		}
	}
	return nil
}

// Not a pattern: create a file, write a line, close it, to show what the
// disk costs next to an open.
func createWriteClose() error {
	for i, path := range created {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f, "log entry %d\n", i)
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func bench(b *testing.B, pattern func() error) {
	for i := 0; i < b.N; i++ {
		if err := pattern(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoopDefer(b *testing.B)         { bench(b, loopDefer) }
func BenchmarkHeldInSlice(b *testing.B)       { bench(b, heldInSlice) }
func BenchmarkExtractedFunction(b *testing.B) { bench(b, extractedFunction) }
func BenchmarkAnonymousFunction(b *testing.B) { bench(b, anonymousFunction) }
func BenchmarkExplicitClose(b *testing.B)     { bench(b, explicitClose) }
func BenchmarkCreateWriteClose(b *testing.B)  { bench(b, createWriteClose) }

func BenchmarkFloorSyscall(b *testing.B) {
	cPaths := make([]*byte, len(paths))
	for i, path := range paths {
		p, err := syscall.BytePtrFromString(path)
		if err != nil {
			b.Fatal(err)
		}
		cPaths[i] = p
	}
	b.ResetTimer()
	bench(b, func() error { return floorSyscall(cPaths) })
}
