//! Before/after comparison of two catalogs (`paperwork diff`, see the README's Reviewers'
//! tools): procedures matched by id, components matched by document, totals by agency and
//! sector.
//!
//! A side is a workspace folder (loaded and analysed) or a JSON file written by
//! `analyze --format json`. Both become an [`AnalysisReport`]; the comparison works on those.
//!
//! Layout, along a comparison's life: `sides` reads both sides (JSON through
//! [`crate::strict_json`], which refuses a key given twice) and checks their schema versions; this module holds the
//! comparison's types and [`diff`]; `compare` matches procedures and components and sums the
//! figures; `text` and `csv` render the result.

mod compare;
mod csv;
mod sides;
mod text;

pub use self::csv::csv;
pub use sides::{DiffError, MAX_JSON_BYTES, SideWarnings, Sides, read_sides};
pub use text::text;

use crate::engine::SCHEMA_VERSION;
use crate::engine::classify::Status;
use crate::report::{AnalysisReport, ProcedureReport};
use serde::Serialize;
use std::collections::BTreeMap;

/// An integer before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Old value.
    pub old: u64,
    /// New value.
    pub new: u64,
    /// New minus old.
    pub delta: i64,
}

impl Change {
    /// A change from `old` to `new`.
    pub fn new(old: u64, new: u64) -> Self {
        let delta = if new >= old {
            i64::try_from(new - old).unwrap_or(i64::MAX)
        } else {
            i64::try_from(old - new).map(|d| -d).unwrap_or(i64::MIN)
        };
        Change { old, new, delta }
    }
    /// Whether the value moved.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// How the documents and submissions of a set of procedures changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Procedures.
    pub procedures: Change,
    /// Components asked for today.
    pub documents_before: Change,
    /// Components still asked for once lookups are used.
    pub documents_after_now: Change,
    /// Components still asked for after the roadmap.
    pub documents_after_roadmap: Change,
    /// Submissions per year today.
    pub submissions_before: Change,
    /// Submissions per year once lookups are used.
    pub submissions_after_now: Change,
    /// Submissions per year after the roadmap.
    pub submissions_after_roadmap: Change,
}

impl Figures {
    fn changed(&self) -> bool {
        [
            self.procedures,
            self.documents_before,
            self.documents_after_now,
            self.documents_after_roadmap,
            self.submissions_before,
            self.submissions_after_now,
            self.submissions_after_roadmap,
        ]
        .iter()
        .any(Change::changed)
    }
}

/// The figures of one agency or sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDiff {
    /// Agency id or sector (`(none)` for procedures without one).
    pub key: String,
    /// Figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A procedure only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Agency.
    pub agency: String,
    /// Sector.
    pub sector: Option<String>,
    /// Dossiers per year.
    pub annual_volume: u64,
    /// Components.
    pub documents_before: u64,
    /// After lookups now.
    pub documents_after_now: u64,
    /// After the roadmap.
    pub documents_after_roadmap: u64,
    /// Document submissions per year.
    pub submissions_before: u64,
    /// Documents (first alternative of `one_of`) in catalog order.
    pub documents: Vec<String>,
}

/// A component one side has and the other has not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ComponentChange {
    /// The document (first alternative of `one_of`).
    pub document: String,
    /// Whose document.
    pub of: Option<String>,
    /// All alternatives of `one_of`.
    pub alternatives: Vec<String>,
    /// Its status on the side that has it.
    pub status: Status,
}

/// A field of a procedure both sides have that moved: its agency (after a merger, or
/// reassigned), level, sector or name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// `name`, `name_en`, `agency`, `level` or `sector`.
    pub field: &'static str,
    /// Old value.
    pub old: Option<String>,
    /// New value.
    pub new: Option<String>,
}

/// A component both sides have whose status moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// The document.
    pub document: String,
    /// Whose document.
    pub of: Option<String>,
    /// Old status.
    pub old: Status,
    /// New status.
    pub new: Status,
}

/// A procedure both sides have that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureChange {
    /// Id.
    pub id: String,
    /// Name (new side).
    pub name: String,
    /// English name (new side).
    pub name_en: Option<String>,
    /// Agency (new side).
    pub agency: String,
    /// Sector (new side).
    pub sector: Option<String>,
    /// Dossiers per year.
    pub annual_volume: Change,
    /// Components.
    pub documents_before: Change,
    /// After lookups now.
    pub documents_after_now: Change,
    /// After the roadmap.
    pub documents_after_roadmap: Change,
    /// Document submissions per year (they move with a case's share as well as with the
    /// documents).
    pub submissions_before: Change,
    /// Components only the new side asks for.
    pub documents_added: Vec<ComponentChange>,
    /// Components only the old side asked for.
    pub documents_removed: Vec<ComponentChange>,
    /// Components on both sides with another status.
    pub status_changes: Vec<StatusChange>,
    /// Fields that moved (only listed when one did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields_changed: Vec<FieldChange>,
    /// The applicant is asked for more: more components, or more still handed in after lookups.
    pub asks_more: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Output schema version.
    pub schema_version: u32,
    /// `as_of` of the old side.
    pub old_as_of: String,
    /// `as_of` of the new side.
    pub new_as_of: String,
    /// Totals over all procedures.
    pub totals: Figures,
    /// Procedures only the new side has, by id.
    pub added: Vec<ProcedureEntry>,
    /// Procedures only the old side had, by id.
    pub removed: Vec<ProcedureEntry>,
    /// Procedures on both sides that differ, by id.
    pub changed: Vec<ProcedureChange>,
    /// Ids of changed procedures that ask for more, by id.
    pub increased: Vec<String>,
    /// Figures by agency (as of each side's date), by agency id; only agencies that changed.
    pub by_agency: Vec<GroupDiff>,
    /// Figures by sector, by sector; only sectors that changed.
    pub by_sector: Vec<GroupDiff>,
}

impl Diff {
    /// Whether the two sides are the same as far as the comparison sees.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.totals.changed()
            && self.by_agency.is_empty()
            && self.by_sector.is_empty()
    }
}

/// Compares two analyses.
pub fn diff(old: &AnalysisReport, new: &AnalysisReport) -> Diff {
    let olds: BTreeMap<&str, &ProcedureReport> = old.procedures.iter().map(|p| (&*p.id, p)).collect();
    let news: BTreeMap<&str, &ProcedureReport> = new.procedures.iter().map(|p| (&*p.id, p)).collect();
    let added: Vec<ProcedureEntry> = news.iter().filter(|(id, _)| !olds.contains_key(*id)).map(|(_, p)| ProcedureEntry::from(*p)).collect();
    let removed: Vec<ProcedureEntry> =
        olds.iter().filter(|(id, _)| !news.contains_key(*id)).map(|(_, p)| ProcedureEntry::from(*p)).collect();
    let changed: Vec<ProcedureChange> = news.iter().filter_map(|(id, n)| olds.get(id).and_then(|o| compare::procedure(o, n))).collect();
    Diff {
        schema_version: SCHEMA_VERSION,
        old_as_of: old.as_of.clone(),
        new_as_of: new.as_of.clone(),
        totals: compare::totals(old, new),
        increased: changed.iter().filter(|c| c.asks_more).map(|c| c.id.clone()).collect(),
        added,
        removed,
        changed,
        by_agency: compare::groups(old, new, |p| p.agency.to_string()),
        by_sector: compare::groups(old, new, |p| p.sector.as_deref().unwrap_or("(none)").to_string()),
    }
}
