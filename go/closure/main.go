// The guide's second bug, in Go: a deferred closure in a loop that closes
// "the current" connection. Under a go.mod that says `go 1.21` or older the
// loop has one `conn` variable for all iterations, so every closure closes
// the last connection; from `go 1.22` each iteration has its own. The Rust
// port is examples/closure-leak.rs.
package main

import (
	"fmt"
	"strings"

	"deferissues/internal/demo"
)

const usage = `Usage: closure [--fix call|argument|shadow]

Opens five connections and defers a close for each in a loop, then reports
how many times each connection was closed.

Options:
  --fix call       defer conn.Close(): no closure, the receiver is evaluated at the defer
  --fix argument   pass conn to the deferred closure as an argument
  --fix shadow     declare conn := conn in the loop body for the closure to capture
  -h, --help       print this help
`

type connection struct {
	id     int
	closes int
}

func (c *connection) Close() {
	c.closes++
	if c.closes == 1 {
		fmt.Printf("  Closing connection %d at %p\n", c.id, c)
	} else {
		fmt.Printf("  WARNING: connection %d at %p already closed!\n", c.id, c)
	}
}

// ANCHOR: bug
func closeAllBug(conns []*connection) {
	for _, conn := range conns {
		defer func() {
			conn.Close() // reads conn when the deferred call runs, after the loop
		}()
	}
}

// ANCHOR_END: bug

// ANCHOR: fixes
func closeAllCall(conns []*connection) {
	for _, conn := range conns {
		defer conn.Close() // conn is evaluated here, at the defer statement
	}
}

func closeAllArgument(conns []*connection) {
	for _, conn := range conns {
		defer func(c *connection) {
			c.Close()
		}(conn) // the argument is evaluated here
	}
}

func closeAllShadow(conns []*connection) {
	for _, conn := range conns {
		conn := conn // a new variable in each iteration
		defer func() {
			conn.Close()
		}()
	}
}

// ANCHOR_END: fixes

func main() {
	closeAll, form := closeAllBug, "a closure that captures the loop variable"
	demo.Flags(usage, map[string]func(string){
		"--fix": func(v string) {
			switch v {
			case "call":
				closeAll, form = closeAllCall, "defer conn.Close()"
			case "argument":
				closeAll, form = closeAllArgument, "conn passed as an argument"
			case "shadow":
				closeAll, form = closeAllShadow, "conn := conn in the loop body"
			default:
				demo.UsageError(usage, "invalid value '%s' for --fix: expected call, argument or shadow", v)
			}
		},
	}, nil)
	conns := make([]*connection, 5)
	for i := range conns {
		conns[i] = &connection{id: i}
		fmt.Printf("Opened connection %d at %p\n", i, conns[i])
	}
	fmt.Printf("\nDeferring a close for each connection, with %s; the function returns:\n", form)
	closeAll(conns)
	counts := make([]string, len(conns))
	var never []string
	for i, c := range conns {
		counts[i] = fmt.Sprint(c.closes)
		if c.closes == 0 {
			never = append(never, fmt.Sprint(i))
		}
	}
	fmt.Printf("\nClose calls per connection, 0 to 4: [%s]\n", strings.Join(counts, ", "))
	if len(never) > 0 {
		fmt.Printf("Never closed: [%s].\n", strings.Join(never, ", "))
	}
}
