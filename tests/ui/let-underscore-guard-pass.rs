// A surprise the other way: `let _ = guard;` inside a `move` closure does not
// use `guard` (the `_` pattern binds nothing), so the closure captures nothing.
// The guard stays with the enclosing block and drops at its end, before the
// closure ever runs. `drop(guard);` or `let _guard = guard;` would move it in.

use std::cell::RefCell;

struct Guard<'a> {
    log: &'a RefCell<Vec<&'static str>>,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.log.borrow_mut().push("guard dropped");
    }
}

fn main() {
    let log = &RefCell::new(Vec::new());
    let cleanup;
    {
        let guard = Guard { log };
        cleanup = move || {
            let _ = guard; // meant to move the guard in: it does not
            log.borrow_mut().push("cleanup ran");
        };
        log.borrow_mut().push("end of block");
    }
    cleanup();
    assert_eq!(*log.borrow(), ["end of block", "guard dropped", "cleanup ran"]);
}
