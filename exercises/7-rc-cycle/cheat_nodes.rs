//! The starter's documents and chapters, for the cheats of exercise 7 to
//! vary: a chapter's link to its document is strong (the cycle) or weak, and
//! a node's file can be taken out of it. Not a program: each cheat includes
//! it with `#[path]`.

use std::cell::{Cell, RefCell};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::rc::{Rc, Weak};

pub struct Document {
    title: String,
    pub toc: RefCell<Option<BufWriter<File>>>,
    last_line: Cell<usize>,
    pub chapters: RefCell<Vec<Rc<Chapter>>>,
}

enum Link {
    Strong(Rc<Document>),
    Weak(Weak<Document>),
}

pub struct Chapter {
    title: String,
    lines: Cell<usize>,
    pub file: RefCell<Option<BufWriter<File>>>,
    document: Link,
}

fn write(file: &RefCell<Option<BufWriter<File>>>, text: &str) -> io::Result<()> {
    let mut file = file.borrow_mut();
    let file = file.as_mut().ok_or_else(|| io::Error::other("closed"))?;
    writeln!(file, "{text}")
}

/// Splits `DIR/NAME.txt` as the starter does, with a strong or a weak link
/// from each chapter to its document, and gives the document to `finish`
/// before it goes out of scope.
pub fn split(
    dir: &Path,
    name: &str,
    strong: bool,
    finish: impl FnOnce(&Rc<Document>) -> io::Result<()>,
) -> io::Result<()> {
    let text = fs::read_to_string(dir.join(format!("{name}.txt")))?;
    let mut lines = text.lines();
    let toc = BufWriter::new(File::create(dir.join(format!("{name}.toc")))?);
    let document = Rc::new(Document {
        title: lines.next().unwrap_or_default().to_string(),
        toc: RefCell::new(Some(toc)),
        last_line: Cell::new(0),
        chapters: RefCell::new(Vec::new()),
    });
    let mut chapter: Option<Rc<Chapter>> = None;
    for line in lines {
        if let Some(title) = line.strip_prefix("## ") {
            let number = document.chapters.borrow().len() + 1;
            let file = File::create(dir.join(format!("{name}-{number}.txt")))?;
            let new = Rc::new(Chapter {
                title: title.to_string(),
                lines: Cell::new(0),
                file: RefCell::new(Some(BufWriter::new(file))),
                document: if strong {
                    Link::Strong(Rc::clone(&document))
                } else {
                    Link::Weak(Rc::downgrade(&document))
                },
            });
            write(&new.file, &format!("# {title}"))?;
            document.chapters.borrow_mut().push(Rc::clone(&new));
            chapter = Some(new);
        } else if let Some(chapter) = &chapter {
            let document = match &chapter.document {
                Link::Strong(document) => Rc::clone(document),
                Link::Weak(document) => {
                    document.upgrade().ok_or_else(|| io::Error::other("gone"))?
                }
            };
            let number = document.last_line.get() + 1;
            document.last_line.set(number);
            chapter.lines.set(chapter.lines.get() + 1);
            write(&chapter.file, &format!("{number}: {line}"))?;
        }
    }
    write(&document.toc, &document.title)?;
    for (i, chapter) in document.chapters.borrow().iter().enumerate() {
        let entry = format!(
            "{}. {}: {} lines",
            i + 1,
            chapter.title,
            chapter.lines.get()
        );
        write(&document.toc, &entry)?;
    }
    finish(&document)
}

/// Takes every file out of the document and its chapters, and hands each to
/// `close` (dropping a `BufWriter` flushes and closes it).
pub fn take_files(document: &Document, mut close: impl FnMut(BufWriter<File>)) {
    let chapters = document.chapters.borrow();
    let files = chapters.iter().map(|chapter| &chapter.file);
    for file in std::iter::once(&document.toc).chain(files) {
        if let Some(file) = file.borrow_mut().take() {
            close(file);
        }
    }
}
