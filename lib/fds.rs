//! Counting this process's open file descriptors, and its descriptor limit.

use std::fs;
use std::io;

#[cfg(target_os = "linux")]
const FD_DIR: &str = "/proc/self/fd";
#[cfg(not(target_os = "linux"))]
const FD_DIR: &str = "/dev/fd";

// ANCHOR: open_fds
/// How many descriptors this process has open right now.
pub fn open_fds() -> io::Result<usize> {
    if let Some(count) = kernel_count()? {
        return Ok(count);
    }
    let entries = fs::read_dir(FD_DIR)?.count();
    // Listing the directory opens it, and that handle shows up in the list.
    Ok(entries - 1)
}

/// Since Linux 6.2 the size of `/proc/self/fd` is the number of open
/// descriptors: one `stat`, no listing, no descriptor of its own. Older
/// kernels report 0, and other systems have no such count: `None`.
fn kernel_count() -> io::Result<Option<usize>> {
    if !cfg!(target_os = "linux") {
        return Ok(None);
    }
    let size = fs::metadata(FD_DIR)?.len();
    Ok((size > 0).then_some(size as usize))
}
// ANCHOR_END: open_fds

/// The soft and hard RLIMIT_NOFILE of this process.
pub fn nofile_limit() -> io::Result<(u64, u64)> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes to the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((limit.rlim_cur, limit.rlim_max))
}

/// Checks that `soft` is a soft RLIMIT_NOFILE this process may set, and
/// under which a run can open a file: it needs the descriptors open now, one
/// for the file, and one more to count them where counting lists them.
pub(crate) fn check_soft_nofile(soft: u64) -> Result<(), String> {
    let (_, hard) = nofile_limit().map_err(|e| format!("cannot read RLIMIT_NOFILE: {e}"))?;
    if soft > hard {
        return Err(format!(
            "invalid value '{soft}' for --nofile: the hard limit is {hard}"
        ));
    }
    let count = |e: io::Error| format!("cannot count open descriptors: {e}");
    let open = open_fds().map_err(count)?;
    let listing = usize::from(kernel_count().map_err(count)?.is_none());
    let fewest = open + 1 + listing;
    if soft < fewest as u64 {
        return Err(format!(
            "invalid value '{soft}' for --nofile: expected at least {fewest}, \
             as {open} descriptors are open already and a run opens at least one file"
        ));
    }
    Ok(())
}

/// Sets the soft RLIMIT_NOFILE, keeping the hard one. Only system calls:
/// safe to call between fork and exec.
pub(crate) fn set_soft_nofile(soft: u64) -> io::Result<()> {
    let (_, hard) = nofile_limit()?;
    let limit = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Raises the soft RLIMIT_NOFILE as far as it goes, so that cleanup, which
/// needs descriptors of its own, can run even after a run has used them all.
pub fn raise_soft_nofile() -> io::Result<()> {
    let (_, hard) = nofile_limit()?;
    // macOS reports an unlimited hard limit but refuses an unlimited soft
    // one; OPEN_MAX (10240, <sys/syslimits.h>) is what its man page allows.
    #[cfg(target_os = "macos")]
    let hard = hard.min(10240);
    set_soft_nofile(hard)
}

/// A soft RLIMIT_NOFILE set for a while, as `ulimit -n` does; the old value
/// comes back on drop. RLIMIT_NOFILE caps descriptor numbers: under a limit
/// of 64, no descriptor above 63 can open.
pub struct NofileLimit {
    previous: Option<u64>,
}

impl NofileLimit {
    /// Sets the soft limit to `soft`, or leaves it alone for `None`.
    pub fn set(soft: Option<u64>) -> io::Result<Self> {
        let Some(soft) = soft else {
            return Ok(Self { previous: None });
        };
        let previous = nofile_limit()?.0;
        set_soft_nofile(soft)?;
        Ok(Self {
            previous: Some(previous),
        })
    }
}

impl Drop for NofileLimit {
    fn drop(&mut self) {
        if let Some(previous) = self.previous {
            // Nothing useful to do if this fails: the process is ending.
            set_soft_nofile(previous).ok();
        }
    }
}

/// Whether `err` is EMFILE, "Too many open files". Stable Rust has no
/// `ErrorKind` to match for it, so compare the OS error code.
pub(crate) fn is_emfile(err: &io::Error) -> bool {
    err.raw_os_error() == Some(libc::EMFILE)
}

/// In a child between fork and exec: marks every descriptor above stderr to
/// close at exec, so that the program starts with only three. (Closing them
/// outright would also close the pipe through which `spawn` reports a failed
/// exec.) Only makes system calls, so it is safe to call from `pre_exec`.
pub fn close_inherited_on_exec() -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let (first, last, flags) = (3u32, u32::MAX, libc::CLOSE_RANGE_CLOEXEC);
        // SAFETY: close_range with CLOSE_RANGE_CLOEXEC only sets descriptor flags.
        if unsafe { libc::syscall(libc::SYS_close_range, first, last, flags) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        // SAFETY: sysconf reads a setting and fcntl only sets descriptor flags.
        let highest = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) };
        for fd in 3..highest.clamp(3, i32::MAX as libc::c_long) as libc::c_int {
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
    }
    Ok(())
}
