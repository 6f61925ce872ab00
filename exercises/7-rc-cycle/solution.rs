//! Exercise 7: split documents without leaking their chapters.
//!
//! The program splits the documents named on its standard input, one name
//! per line. `DIR/NAME.txt` holds a title line, then chapters, each starting
//! with a `## TITLE` line. Each chapter goes to `NAME-K.txt`, its lines
//! numbered through the whole document, and the table of contents to
//! `NAME.toc`. A `Document` owns its chapters, and each `Chapter` can reach
//! its document for the next line number.
//!
//! The task: make every document, its chapters and their files go away
//! when `split` returns, before the next name is read. Check with
//! `make exercise 7`.

// ANCHOR: imports
use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::cell::{Cell, RefCell};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::rc::{Rc, Weak};
// ANCHOR_END: imports

// Counts every allocation, so the checker can see the live heap between
// documents (the kit reports it).
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: task
/// A document being split: its table of contents, the number of the last
/// line written, and its chapters.
struct Document {
    title: String,
    toc: RefCell<BufWriter<File>>,
    last_line: Cell<usize>,
    chapters: RefCell<Vec<Rc<Chapter>>>,
}

/// One chapter: its own file, how many lines it has, and its document.
/// The document owns its chapters; a chapter only refers to its document,
/// with a `Weak` that does not keep it alive.
struct Chapter {
    title: String,
    lines: Cell<usize>,
    file: RefCell<BufWriter<File>>,
    document: Weak<Document>,
}

impl Document {
    fn create(dir: &Path, name: &str, title: &str) -> io::Result<Rc<Document>> {
        let toc = File::create(dir.join(format!("{name}.toc")))?;
        Ok(Rc::new(Document {
            title: title.to_string(),
            toc: RefCell::new(BufWriter::new(toc)),
            last_line: Cell::new(0),
            chapters: RefCell::new(Vec::new()),
        }))
    }

    /// Starts the next chapter, in a file of its own.
    fn add_chapter(
        self: &Rc<Self>,
        dir: &Path,
        name: &str,
        title: &str,
    ) -> io::Result<Rc<Chapter>> {
        let number = self.chapters.borrow().len() + 1;
        let mut file = BufWriter::new(File::create(dir.join(format!("{name}-{number}.txt")))?);
        writeln!(file, "# {title}")?;
        let chapter = Rc::new(Chapter {
            title: title.to_string(),
            lines: Cell::new(0),
            file: RefCell::new(file),
            document: Rc::downgrade(self),
        });
        self.chapters.borrow_mut().push(Rc::clone(&chapter));
        Ok(chapter)
    }

    fn write_toc(&self) -> io::Result<()> {
        let mut toc = self.toc.borrow_mut();
        writeln!(toc, "{}", self.title)?;
        for (i, chapter) in self.chapters.borrow().iter().enumerate() {
            writeln!(
                toc,
                "{}. {}: {} lines",
                i + 1,
                chapter.title,
                chapter.lines.get()
            )?;
        }
        Ok(())
    }
}

impl Chapter {
    /// Adds a line, numbered through the whole document.
    fn add_line(&self, text: &str) -> io::Result<()> {
        let document = self
            .document
            .upgrade()
            .ok_or_else(|| io::Error::other("the chapter outlived its document"))?;
        let number = document.last_line.get() + 1;
        document.last_line.set(number);
        self.lines.set(self.lines.get() + 1);
        writeln!(self.file.borrow_mut(), "{number}: {text}")
    }
}

/// Splits `DIR/NAME.txt`; returns how many chapters it has.
fn split(dir: &Path, name: &str) -> io::Result<usize> {
    let text = fs::read_to_string(dir.join(format!("{name}.txt")))?;
    let mut lines = text.lines();
    let document = Document::create(dir, name, lines.next().unwrap_or_default())?;
    let mut chapter = None;
    for line in lines {
        if let Some(title) = line.strip_prefix("## ") {
            chapter = Some(document.add_chapter(dir, name, title)?);
        } else if let Some(chapter) = &chapter {
            chapter.add_line(line)?;
        }
    }
    document.write_toc()?;
    let count = document.chapters.borrow().len();
    Ok(count)
} // `document` goes out of scope here: it was the only strong reference, so
// the document drops, its chapters with it, and every file is flushed and
// closed.
// ANCHOR_END: task

// ANCHOR: main
fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-7",
        "Splits each document DIR/NAME.txt named on stdin (one name per line) into\n\
         chapter files NAME-1.txt, NAME-2.txt, ... and a table of contents NAME.toc.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let result = name.and_then(|name| Ok((split(&dir, &name)?, name)));
        match result {
            Ok((count, name)) => println!("Split {name} into {count} chapters."),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: main
