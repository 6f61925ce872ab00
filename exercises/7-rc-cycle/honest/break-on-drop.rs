//! An honest solution to exercise 7: the chapters keep their strong link to
//! the document, and a guard breaks the cycle when `split` ends, however it
//! ends: its `Drop` empties the document's list of chapters, so the last
//! strong references go away and everything drops.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::cell::{Cell, RefCell};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

struct Document {
    title: String,
    toc: RefCell<BufWriter<File>>,
    last_line: Cell<usize>,
    chapters: RefCell<Vec<Rc<Chapter>>>,
}

struct Chapter {
    title: String,
    lines: Cell<usize>,
    file: RefCell<BufWriter<File>>,
    document: Rc<Document>,
}

/// Owns a document and breaks its cycle on drop.
struct Split(Rc<Document>);

impl Drop for Split {
    fn drop(&mut self) {
        // Each chapter holds the document; without the list, nothing holds
        // the chapters, and once they go nothing holds the document.
        self.0.chapters.borrow_mut().clear();
    }
}

fn split(dir: &Path, name: &str) -> io::Result<usize> {
    let text = fs::read_to_string(dir.join(format!("{name}.txt")))?;
    let mut lines = text.lines();
    let toc = BufWriter::new(File::create(dir.join(format!("{name}.toc")))?);
    let split = Split(Rc::new(Document {
        title: lines.next().unwrap_or_default().to_string(),
        toc: RefCell::new(toc),
        last_line: Cell::new(0),
        chapters: RefCell::new(Vec::new()),
    }));
    let document = &split.0;
    for line in lines {
        if let Some(title) = line.strip_prefix("## ") {
            let number = document.chapters.borrow().len() + 1;
            let mut file = BufWriter::new(File::create(dir.join(format!("{name}-{number}.txt")))?);
            writeln!(file, "# {title}")?;
            document.chapters.borrow_mut().push(Rc::new(Chapter {
                title: title.to_string(),
                lines: Cell::new(0),
                file: RefCell::new(file),
                document: Rc::clone(document),
            }));
        } else if let Some(chapter) = document.chapters.borrow().last() {
            let number = chapter.document.last_line.get() + 1;
            chapter.document.last_line.set(number);
            chapter.lines.set(chapter.lines.get() + 1);
            writeln!(chapter.file.borrow_mut(), "{number}: {line}")?;
        }
    }
    let mut toc = document.toc.borrow_mut();
    writeln!(toc, "{}", document.title)?;
    let chapters = document.chapters.borrow();
    for (i, chapter) in chapters.iter().enumerate() {
        writeln!(
            toc,
            "{}. {}: {} lines",
            i + 1,
            chapter.title,
            chapter.lines.get()
        )?;
    }
    Ok(chapters.len())
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-7", "Splits documents into chapters.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        match name.and_then(|name| Ok((split(&dir, &name)?, name))) {
            Ok((count, name)) => println!("Split {name} into {count} chapters."),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
