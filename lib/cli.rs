//! The command-line contract every example shares: `--help` prints usage and
//! exits 0; bad input prints one `error:` line and the usage to stderr and
//! exits 2, never a panic; every number has a bound; and a stdout that cannot
//! be written ends the program cleanly (see [`end_on_stdout_failure`]).

use crate::fds::check_soft_nofile;
use crate::workdir::{Ending, end_now};
use lexopt::{Arg, Parser, ValueExt};
use std::fmt::Display;
use std::num::{IntErrorKind, ParseIntError};
use std::panic;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

/// Exit status for bad command-line input, as in most Unix tools.
const USAGE_ERROR: u8 = 2;

/// The most files `--files` accepts: far more than any descriptor limit
/// allows open at once, and small enough that no count overflows.
pub const MAX_FILES: usize = 1_000_000;

/// The longest `--delay-ms`: ten seconds a file is slow enough to watch.
pub const MAX_DELAY_MS: u64 = 10_000;

/// Makes a stdout that cannot be written end the program the way Unix tools
/// end: silently when its reader has gone (`| head -1`), with one `error:`
/// line and exit status 1 otherwise (a full disk), removing the work
/// directory either way. `println!` panics on such a failure, and a
/// destructor printing during the unwinding would panic again and abort the
/// process; so this panic hook ends the process before anything unwinds.
/// Other panics go on to the hook that was installed before.
pub fn end_on_stdout_failure() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let failure = info.payload_as_str().and_then(|message| {
            // The message of `println!` and `print!` (std's `print_to`).
            message.strip_prefix("failed printing to stdout: ")
        });
        match failure {
            Some(err) if err.ends_with(&format!("(os error {})", libc::EPIPE)) => {
                end_now(Ending::ReaderGone)
            }
            Some(err) => end_now(Ending::CannotWrite(err.to_string())),
            None => previous(info),
        }
    }));
}

/// Parses the process arguments. `on_flag` handles the example's own flags,
/// given as written (`--files`), and returns `Ok(false)` for one it does not
/// know. On `--help` or an error the message is printed here, and the `Err`
/// value is the exit code for `main` to return.
pub fn parse_args(
    usage: &str,
    mut on_flag: impl FnMut(&str, &mut Parser) -> Result<bool, String>,
) -> Result<(), ExitCode> {
    let mut parser = Parser::from_env();
    let mut parse = || -> Result<bool, String> {
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            let flag = match arg {
                Arg::Short('h') | Arg::Long("help") => return Ok(false),
                Arg::Long(name) => format!("--{name}"),
                Arg::Short(c) => format!("-{c}"),
                Arg::Value(value) => {
                    return Err(format!("unexpected argument '{}'", value.to_string_lossy()));
                }
            };
            if !on_flag(&flag, &mut parser)? {
                return Err(format!("unknown option '{flag}'"));
            }
        }
        Ok(true)
    };
    finish_parse(parse().map(|done| done.then_some(())), usage)
}

/// Ends an example's own argument parsing the way [`parse_args`] does:
/// `Ok(None)` means `--help` (the usage on stdout, exit 0), `Err` a mistake
/// (see [`usage_error`]). The `Err` value is the exit code for `main`.
/// Also installs [`end_on_stdout_failure`], before anything is printed.
pub fn finish_parse<T>(parsed: Result<Option<T>, String>, usage: &str) -> Result<T, ExitCode> {
    end_on_stdout_failure();
    match parsed {
        Ok(Some(value)) => Ok(value),
        Ok(None) => {
            print!("{usage}");
            Err(ExitCode::SUCCESS)
        }
        Err(message) => Err(usage_error(&message, usage)),
    }
}

/// Reports bad input: one `error:` line, a blank line and the usage, on
/// stderr; returns the exit status 2.
pub fn usage_error(message: &str, usage: &str) -> ExitCode {
    eprint!("error: {message}\n\n{usage}");
    ExitCode::from(USAGE_ERROR)
}

/// Reads the value of `flag` and parses it, naming the flag in any error.
pub fn value<T: FromStr>(parser: &mut Parser, flag: &str, expected: &str) -> Result<T, String> {
    let raw = parser.value().map_err(|e| e.to_string())?;
    let text = raw.string().map_err(|e| e.to_string())?;
    text.parse()
        .map_err(|_| format!("invalid value '{text}' for {flag}: expected {expected}"))
}

/// Options shared by the examples that open files: how many, how fast, under
/// which descriptor limit, and where to stop so a reader can look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileOptions {
    pub files: usize,
    pub delay: Duration,
    pub nofile: Option<u64>,
    pub pause_at: Option<usize>,
}

/// 500 files, 12 ms apart: about six seconds, as in the Go guide's run.
impl Default for FileOptions {
    fn default() -> Self {
        Self {
            files: 500,
            delay: Duration::from_millis(12),
            nofile: None,
            pause_at: None,
        }
    }
}

/// The lines of `--help` that describe [`FileOptions`].
pub const FILE_OPTIONS_HELP: &str = "  --files N        how many files to write (default 500)
  --delay-ms MS    pause after each file, 0 for none (default 12, about 7 s in all)
  --nofile N       set the soft RLIMIT_NOFILE to N first, like `ulimit -n N`
  --pause-at N     after writing file N, wait for Enter while it is still open
  -h, --help       print this help
";

impl FileOptions {
    /// Parses the shared flags plus the example's own (see [`parse_args`]).
    pub fn parse(
        usage: &str,
        mut on_flag: impl FnMut(&str, &mut Parser) -> Result<bool, String>,
    ) -> Result<Self, ExitCode> {
        let mut options = Self::default();
        parse_args(usage, |flag, parser| {
            match flag {
                "--files" => options.files = positive(parser, flag, MAX_FILES)?,
                "--delay-ms" => {
                    let expected = "a whole number of milliseconds";
                    let ms = bounded(parser, flag, expected, MAX_DELAY_MS)?;
                    options.delay = Duration::from_millis(ms);
                }
                "--nofile" => {
                    let soft = positive(parser, flag, u64::MAX)?;
                    check_soft_nofile(soft)?;
                    options.nofile = Some(soft);
                }
                "--pause-at" => options.pause_at = Some(positive(parser, flag, MAX_FILES)?),
                _ => return on_flag(flag, parser),
            }
            Ok(true)
        })?;
        Ok(options)
    }
}

/// Reads the value of `flag` as a whole number of at most `max`; a larger
/// one, or one too large for the type, is "too large".
pub fn bounded<T>(parser: &mut Parser, flag: &str, expected: &str, max: T) -> Result<T, String>
where
    T: FromStr<Err = ParseIntError> + PartialOrd + Display,
{
    let raw = parser.value().map_err(|e| e.to_string())?;
    let text = raw.string().map_err(|e| e.to_string())?;
    let too_large =
        || format!("invalid value '{text}' for {flag}: too large, expected at most {max}");
    match text.parse::<T>() {
        Ok(n) if n > max => Err(too_large()),
        Ok(n) => Ok(n),
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Err(too_large()),
        Err(_) => Err(format!(
            "invalid value '{text}' for {flag}: expected {expected}"
        )),
    }
}

/// Reads the value of `flag` as a whole number from 1 to `max`.
pub fn positive<T>(parser: &mut Parser, flag: &str, max: T) -> Result<T, String>
where
    T: FromStr<Err = ParseIntError> + PartialOrd + Display + Default,
{
    let expected = "a whole number of at least 1";
    let n = bounded(parser, flag, expected, max)?;
    if n == T::default() {
        return Err(format!("invalid value '0' for {flag}: expected {expected}"));
    }
    Ok(n)
}
