// Package loopclosure holds the closure bug in two shapes, for `go vet`:
// its loopclosure check looks only at the last statement of a loop body, so
// it reports the first shape and says nothing about the second.
package loopclosure

type connection struct{ closed bool }

func (c *connection) Close() { c.closed = true }

// ANCHOR: shapes
// The deferred closure is the last statement of the loop body: vet reports it.
func deferLast(conns []*connection) {
	for _, conn := range conns {
		defer func() {
			conn.Close()
		}()
	}
}

// The same bug with one statement after the defer: vet is silent.
func deferNotLast(conns []*connection) (deferred int) {
	for _, conn := range conns {
		defer func() {
			conn.Close()
		}()
		deferred++
	}
	return deferred
}

// ANCHOR_END: shapes
