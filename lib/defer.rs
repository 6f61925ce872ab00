//! A Go-style defer stack: cleanups registered anywhere in a function run
//! together, last in first out, when the stack is dropped at the function's end.
//!
//! Rust does not need this type: `Drop` and `scopeguard::defer!` already run
//! cleanup at the end of the enclosing block. It exists so the book can show
//! Go's function-scoped `defer` faithfully, bug included.

// ANCHOR: defer_stack
/// Cleanups that run in reverse order of registration when the stack drops.
#[derive(Default)]
pub struct DeferStack {
    pending: Vec<Box<dyn FnOnce()>>,
}

impl DeferStack {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `cleanup` to run when the stack is dropped, like Go's `defer`.
    pub fn defer(&mut self, cleanup: impl FnOnce() + 'static) {
        self.pending.push(Box::new(cleanup));
    }

    /// How many cleanups are waiting to run.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

impl Drop for DeferStack {
    fn drop(&mut self) {
        // Last registered, first run: the order Go gives deferred calls.
        while let Some(cleanup) = self.pending.pop() {
            cleanup();
        }
    }
}
// ANCHOR_END: defer_stack

#[cfg(test)]
mod tests {
    use super::DeferStack;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn runs_cleanups_last_in_first_out_on_drop() {
        let order = Rc::new(RefCell::new(Vec::new()));
        let mut stack = DeferStack::new();
        for i in 0..4 {
            let order = Rc::clone(&order);
            stack.defer(move || order.borrow_mut().push(i));
        }
        assert_eq!(stack.len(), 4);
        assert!(order.borrow().is_empty(), "nothing runs before the drop");
        drop(stack);
        assert_eq!(*order.borrow(), [3, 2, 1, 0]);
    }
}
