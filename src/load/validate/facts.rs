//! Facts: the atoms a document proves and a database provides.

use super::{Pending, Registry};
use crate::model;
use crate::workspace::{Fact, FactId, IdVec};

/// The registered facts (they refer to nothing).
pub(super) fn validate(facts: &Registry<FactId, Pending<model::Fact>>) -> IdVec<FactId, Fact> {
    facts
        .items
        .iter_enumerated()
        .map(|(i, p)| Fact { id: p.raw.id.value.clone(), name: p.raw.name.clone(), name_en: p.raw.name_en.clone(), at: facts.first(i) })
        .collect()
}
