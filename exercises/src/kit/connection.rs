//! A connection for the exercises: a pretend network connection whose
//! resource is real, so a checker can see it from outside.
//!
//! Opening connection N creates the file `DIR/conn-N` and keeps it open for
//! as long as the connection is open; each request served is written to it;
//! closing writes a goodbye line, numbered in the order this program closes
//! its connections, and closes the file. Opens, close calls, and connections
//! dropped without a close are sent to the checker with [`kit::report`],
//! and second closes and unclosed drops are also warned about on stderr.
//! `close` takes `&self`, as Go's `Close` takes a pointer: nothing stops a
//! program from closing one connection twice, or never.

use crate::kit;
use std::cell::{Cell, RefCell};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// First closes so far in this program, which numbers the goodbye lines.
static CLOSED: AtomicUsize = AtomicUsize::new(0);

pub struct Connection {
    id: usize,
    /// The connection's file; `None` once it is closed.
    file: RefCell<Option<File>>,
    close_calls: Cell<usize>,
}

/// The file of connection `id` in the work directory.
pub fn file_name(id: usize) -> String {
    format!("conn-{id}")
}

/// The lines a connection writes: when it opens, for each request it serves,
/// and when it closes as the `order`th connection the program closes.
pub fn opened_line(id: usize) -> String {
    format!("connection {id} open")
}

pub fn served_line(request: &str) -> String {
    format!("served {request}")
}

pub fn goodbye_line(order: usize) -> String {
    format!("goodbye: close number {order}")
}

impl Connection {
    /// Opens connection `id`: creates `DIR/conn-ID`, which must not exist.
    pub fn open(dir: &Path, id: usize) -> io::Result<Self> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(file_name(id)))?;
        writeln!(file, "{}", opened_line(id))?;
        kit::report(&format!("open {id}"));
        Ok(Self {
            id,
            file: RefCell::new(Some(file)),
            close_calls: Cell::new(0),
        })
    }

    pub fn id(&self) -> usize {
        self.id
    }

    /// Serves `request`: writes it to the connection's file.
    pub fn serve(&self, request: &str) -> io::Result<()> {
        match self.file.borrow_mut().as_mut() {
            Some(file) => writeln!(file, "{}", served_line(request)),
            None => Err(io::Error::other(format!(
                "connection {} is closed",
                self.id
            ))),
        }
    }

    /// Says goodbye and closes the file. A second close does nothing but warn.
    pub fn close(&self) {
        self.close_calls.set(self.close_calls.get() + 1);
        kit::report(&format!("close {}", self.id));
        let Some(mut file) = self.file.borrow_mut().take() else {
            eprintln!("warning: connection {} closed again", self.id);
            return;
        };
        let order = CLOSED.fetch_add(1, Ordering::Relaxed) + 1;
        if let Err(err) = writeln!(file, "{}", goodbye_line(order)) {
            eprintln!("warning: connection {}: no goodbye: {err}", self.id);
        }
    } // `file` drops here: its descriptor is closed.
}

/// A connection dropped without a close loses its goodbye: the drop closes
/// the file, but nothing was said. Rust can notice that; Go cannot.
impl Drop for Connection {
    fn drop(&mut self) {
        if self.close_calls.get() == 0 {
            kit::report(&format!("leak {}", self.id));
            eprintln!(
                "warning: connection {} dropped without being closed",
                self.id
            );
        }
    }
}
