// Prints the RLIMIT_NOFILE this program runs under. Since Go 1.19, package
// os raises the soft limit to the hard limit when it initializes, before
// main, so this shows the raised limit, not the one the shell set.
package main

import (
	"fmt"
	"os"
	"syscall"

	"deferissues/internal/demo"
)

const usage = `Usage: nofile

Prints the soft and hard RLIMIT_NOFILE of this process.
`

func main() {
	demo.Flags(usage, nil, nil)
	var limit syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &limit); err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot read RLIMIT_NOFILE: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("nofile: soft RLIMIT_NOFILE %d, hard %d\n", limit.Cur, limit.Max)
}
