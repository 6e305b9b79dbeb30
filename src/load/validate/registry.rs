//! Ids of every kind, registered in path order: the first definition wins.

use super::{at, at_span};
use crate::diag::{Code, Diagnostic, Location};
use crate::model::{Located, Text};
use crate::workspace::{Id, IdVec, Interner};
use std::sync::Arc;

/// Raw item and its file, waiting for references to resolve.
pub(super) struct Pending<T> {
    /// Shared by every item of the file.
    pub(super) file: Arc<str>,
    pub(super) raw: T,
}

/// Id registry of one kind: first definition wins, later ones are duplicates.
pub(super) struct Registry<I, T> {
    kind: &'static str,
    pub(super) ids: Interner<I>,
    /// Where each id is defined: its file and the id's place in it. The location is made only
    /// for a diagnostic, since a national catalog registers hundreds of thousands of ids.
    first: IdVec<I, (Arc<str>, Located<()>)>,
    pub(super) items: IdVec<I, T>,
}

impl<I: Id, T> Registry<I, T> {
    pub(super) fn new(kind: &'static str) -> Self {
        Registry { kind, ids: Interner::default(), first: IdVec::new(), items: IdVec::new() }
    }

    /// Where id `i` is defined.
    pub(super) fn first(&self, i: I) -> Location {
        let (file, place) = &self.first[i];
        at_span(file, place)
    }

    /// Registers `item` under its id (`id_of` reads it); returns false (and diagnoses) when the
    /// id is empty or taken.
    pub(super) fn add(&mut self, file: &Arc<str>, item: T, id_of: fn(&T) -> &Text, diags: &mut Vec<Diagnostic>) -> bool {
        let id = id_of(&item);
        if let Some(d) = refused_id(self.kind, file, id) {
            diags.push(d);
            return false;
        }
        if let Some(i) = self.ids.get(&id.value) {
            diags.push(duplicate_id(self.kind, at(file, id), self.first(i), &id.value));
            return false;
        }
        self.ids.intern(&id.value);
        self.first.push((file.clone(), Located { value: (), line: id.line, column: id.column, offset: id.offset, len: id.len }));
        self.items.push(item);
        true
    }
}

/// Why an id cannot be registered at all, if it cannot: it is empty or has surrounding spaces.
pub(super) fn refused_id(kind: &str, file: &str, id: &Text) -> Option<Diagnostic> {
    // A control character (a line break from a spreadsheet cell, an escape) would reach every
    // table and terminal the id is written to.
    (id.value.is_empty() || id.value.trim() != id.value || id.value.chars().any(char::is_control)).then(|| {
        Diagnostic::new(
            Code::EmptyId,
            format!("{kind} id `{}` is empty, has surrounding spaces or holds a control character", id.value.escape_debug()),
            Some(at(file, id)),
        )
        .help("write the id on one line, without leading or trailing spaces")
    })
}

/// A second definition of an id, at `here`; the first is at `first`.
pub(super) fn duplicate_id(kind: &str, here: Location, first: Location, id: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateId, format!("{kind} `{id}` is defined twice"), Some(here))
        .related(first, "first defined here")
        .help(format!("rename one of them or delete the second; {kind} ids are unique across all files"))
}
