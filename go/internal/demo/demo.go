// Package demo holds what the book's Go programs share: counting this
// process's descriptors, and the command-line contract of the Rust examples
// (one `error:` line, the usage, exit status 2).
package demo

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// OpenFDs counts this process's open descriptors, less the one the listing
// of /proc/self/fd opens for itself.
func OpenFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot list /proc/self/fd: %v\n", err)
		os.Exit(1)
	}
	return len(entries) - 1
}

// UsageError reports bad input the way the Rust examples do, and exits 2.
func UsageError(usage, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "error: "+format+"\n\n%s", append(args, usage)...)
	os.Exit(2)
}

// Count parses the value of flag, a whole number from min to max.
func Count(usage, flag, value string, min, max int) int {
	n, err := strconv.Atoi(value)
	if err != nil || n < min || n > max {
		UsageError(usage, "invalid value '%s' for %s: expected a whole number from %d to %d", value, flag, min, max)
	}
	return n
}

// Flags hands each `--name VALUE` pair of the arguments to the setter known
// for its name, and each other argument to operand if it is not nil;
// `--help` prints the usage, anything else is bad input.
func Flags(usage string, known map[string]func(string), operand func(string)) {
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "-h" || arg == "--help":
			fmt.Print(usage)
			os.Exit(0)
		case known[arg] != nil:
			if i+1 == len(args) {
				UsageError(usage, "missing value for %s", arg)
			}
			i++
			known[arg](args[i])
		case operand != nil && !strings.HasPrefix(arg, "-"):
			operand(arg)
		default:
			UsageError(usage, "unknown argument '%s'", arg)
		}
	}
}
