//! A JSON object written a field at a time, byte for byte as `serde_json`'s pretty printer
//! writes the whole: so a document of hundreds of megabytes can be written as it is made, with
//! its long lists serialized on every core.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Serializes `v` as `serde_json::to_writer_pretty` does, nested `depth` levels deep: every
/// line after the first gets two more spaces per level.
pub(crate) fn pretty_at<T: Serialize + ?Sized>(w: &mut impl Write, v: &T, depth: usize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Nested { level: depth, has_value: false });
    v.serialize(&mut ser).map_err(io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces a level), started `level` levels in. Written out
/// rather than wrapped: putting the margin after each newline of the wrapped formatter's output
/// meant scanning every piece it wrote, a tenth of the time of a national catalog's document.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 66] = b"\n                                                                 ";
        let width = 1 + 2 * self.level;
        if width <= SPACES.len() {
            return w.write_all(&SPACES[..width]);
        }
        w.write_all(b"\n")?;
        (0..self.level).try_for_each(|_| w.write_all(b"  "))
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.begin_array_value(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A top-level JSON object being written.
pub struct Object<W: Write> {
    w: W,
    first: bool,
}

/// Items serialized together on one core before they are written in order.
const BATCH: usize = 256;
/// Batches made at once: enough to keep every core busy, few enough that memory stays small.
const WINDOW: usize = 16;

impl<W: Write> Object<W> {
    /// Opens the object.
    pub fn new(mut w: W) -> io::Result<Self> {
        w.write_all(b"{")?;
        Ok(Object { w, first: true })
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        self.w.write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut self.w, key)?;
        self.w.write_all(b": ")
    }

    /// Writes one field.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> io::Result<()> {
        self.key(key)?;
        pretty_at(&mut self.w, v, 1)
    }

    /// Writes a field holding a list of `n` items, `item(i)` being the `i`-th: the items are
    /// made and serialized in parallel, a window of batches at a time, and written in order.
    pub fn list<T: Serialize>(&mut self, key: &str, n: usize, item: impl Fn(usize) -> T + Sync) -> io::Result<()> {
        self.list_in(key, n, BATCH, item)
    }

    /// Writes a field holding a list of a few large items (such as a chain of thousands of
    /// links) as [`Object::list`] does, each item serialized on its own.
    pub fn list_of_large<T: Serialize + Sync>(&mut self, key: &str, items: &[T]) -> io::Result<()> {
        self.list_in(key, items.len(), 1, |i| &items[i])
    }

    fn list_in<T: Serialize>(&mut self, key: &str, n: usize, batch: usize, item: impl Fn(usize) -> T + Sync) -> io::Result<()> {
        self.key(key)?;
        if n == 0 {
            return self.w.write_all(b"[]");
        }
        self.w.write_all(b"[")?;
        let batches: Vec<usize> = (0..n).step_by(batch).collect();
        // The buffers are kept from window to window: fresh ones would each cost the operating
        // system a megabyte of zeroed pages.
        let mut texts: Vec<Vec<u8>> = vec![Vec::new(); WINDOW.min(batches.len())];
        for window in batches.chunks(WINDOW) {
            texts.par_iter_mut().zip(window).try_for_each(|(text, &start)| -> io::Result<()> {
                text.clear();
                for i in start..(start + batch).min(n) {
                    text.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                    pretty_at(text, &item(i), 2)?;
                }
                Ok(())
            })?;
            for text in &texts[..window.len()] {
                self.w.write_all(text)?;
            }
        }
        self.w.write_all(b"\n  ]")
    }

    /// Closes the object and ends the line.
    pub fn end(mut self) -> io::Result<W> {
        self.w.write_all(if self.first { b"}\n" } else { b"\n}\n" })?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        id: String,
        empty: Vec<u32>,
        nested: Vec<Vec<u32>>,
        map: std::collections::BTreeMap<String, Option<f64>>,
    }

    #[derive(Serialize)]
    struct Doc {
        title: String,
        none: Vec<Item>,
        items: Vec<Item>,
        large: Vec<Item>,
        tail: Option<String>,
    }

    fn item(i: usize) -> Item {
        Item {
            id: format!("p\n{i} \"q\""),
            empty: Vec::new(),
            nested: (0..i % 3).map(|k| (0..k as u32).collect()).collect(),
            map: [("a".to_string(), Some(i as f64 / 4.0)), ("b".to_string(), None)].into_iter().collect(),
        }
    }

    /// Field by field, with the list serialized in parallel over several windows, the bytes are
    /// those of serde_json's pretty printer of the whole, for empty and long lists alike.
    #[test]
    fn an_object_written_in_pieces_is_the_pretty_printers_bytes() {
        for n in [0, 1, 2, BATCH, BATCH * WINDOW + 3] {
            let doc = Doc {
                title: "x".into(),
                none: Vec::new(),
                items: (0..n).map(item).collect(),
                large: (0..n).map(item).collect(),
                tail: None,
            };
            let mut expected = serde_json::to_string_pretty(&doc).unwrap();
            expected.push('\n');
            let mut o = Object::new(Vec::new()).unwrap();
            o.field("title", &doc.title).unwrap();
            o.list("none", 0, |i| &doc.none[i]).unwrap();
            o.list("items", n, |i| &doc.items[i]).unwrap();
            o.list_of_large("large", &doc.items).unwrap();
            o.field("tail", &doc.tail).unwrap();
            assert_eq!(String::from_utf8(o.end().unwrap()).unwrap(), expected, "{n} items");
        }
        let empty = Object::new(Vec::new()).unwrap().end().unwrap();
        assert_eq!(empty, b"{}\n");
    }
}
