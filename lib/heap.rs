//! Counting every heap allocation, so an example can print how many bytes it
//! holds at each progress line. A program opts in by installing the counter:
//!
//! ```ignore
//! #[global_allocator]
//! static HEAP: CountingAllocator = CountingAllocator;
//! ```
//!
//! The counts are of bytes requested (Go's heap profiles record size classes
//! instead: 33 bytes count as 48); the allocator's overhead (glibc rounds a
//! 4-byte request up to a 32-byte chunk) is what massif shows as "extra heap".
//!
//! Only the main thread's calls are counted: the examples do all their work
//! there, and the Ctrl-C watcher thread frees and allocates a few bytes when
//! it first runs, at a moment the scheduler picks, which would make the
//! figures differ from run to run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

// ANCHOR: allocator
/// The system allocator, plus counters of the main thread's calls.
pub struct CountingAllocator;

/// The thread that allocated first: the main thread, as the runtime sets up
/// `main` before any other thread exists.
static MAIN_THREAD: AtomicUsize = AtomicUsize::new(0);

fn on_main_thread() -> bool {
    // SAFETY: pthread_self has no preconditions and does not allocate.
    let me = unsafe { libc::pthread_self() } as usize;
    match MAIN_THREAD.compare_exchange(0, me, Relaxed, Relaxed) {
        Ok(_) => true,
        Err(main) => main == me,
    }
}

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

fn allocated(size: usize) {
    if !on_main_thread() {
        return;
    }
    let live = LIVE_BYTES.fetch_add(size, Relaxed) + size;
    PEAK_BYTES.fetch_max(live, Relaxed);
    LIVE_BLOCKS.fetch_add(1, Relaxed);
    ALLOCATIONS.fetch_add(1, Relaxed);
}

fn freed(size: usize) {
    if !on_main_thread() {
        return;
    }
    LIVE_BYTES.fetch_sub(size, Relaxed);
    LIVE_BLOCKS.fetch_sub(1, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only
// observe sizes and never touch the memory.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            allocated(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            allocated(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from this allocator, which got it from `System`.
        unsafe { System.dealloc(block, layout) };
        freed(layout.size());
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            // Counted as a free of the old block and a new allocation, which
            // is what growing a Vec costs.
            freed(layout.size());
            allocated(new_size);
        }
        moved
    }
}
// ANCHOR_END: allocator

/// The heap as the counting allocator has seen it so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    /// Bytes allocated and not yet freed.
    pub live_bytes: usize,
    /// Blocks allocated and not yet freed.
    pub live_blocks: usize,
    /// Allocations ever made, a reallocation counting as one.
    pub allocations: usize,
    /// The most bytes live at any one moment.
    pub peak_bytes: usize,
}

/// Reads the counters. All zero unless the program installed
/// [`CountingAllocator`] as its `#[global_allocator]`.
pub fn stats() -> HeapStats {
    HeapStats {
        live_bytes: LIVE_BYTES.load(Relaxed),
        live_blocks: LIVE_BLOCKS.load(Relaxed),
        allocations: ALLOCATIONS.load(Relaxed),
        peak_bytes: PEAK_BYTES.load(Relaxed),
    }
}

/// A count with thousands separators, `3561998` as `3,561,998`, the way
/// valgrind prints its counts.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
