//! Nothing here: your copies of the exercises are the binaries in `src/bin/`,
//! made by `make exercise N`. See `src/exercises/index.md` in the book.
