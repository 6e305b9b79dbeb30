//! Classification of every component (docs/format.md, How a component's status is decided)
//! against the databases as they are today; the roadmap's lookups are marked by
//! [`crate::engine::analyze`] once it is planned.

use crate::engine::facts::Facts;
use crate::engine::lookup::{Reach, State, choose_lookups, covered};
use crate::workspace::*;
use rayon::prelude::*;
use serde::Serialize;

/// What a component became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A lookup replaces it today.
    LookupNow,
    /// Another component of the same procedure already proves it.
    Duplicate,
    /// A lookup replaces it once the roadmap is done.
    LookupAfter,
    /// Some of its facts can be looked up, not all.
    Partial,
    /// Still asked for.
    Kept,
}

impl Status {
    /// All statuses in report order.
    pub const ALL: [Status; 5] = [Status::LookupNow, Status::Duplicate, Status::LookupAfter, Status::Partial, Status::Kept];
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::LookupNow => "lookup_now",
            Status::Duplicate => "duplicate",
            Status::LookupAfter => "lookup_after",
            Status::Partial => "partial",
            Status::Kept => "kept",
        }
    }
    /// Eliminated without any task.
    pub fn eliminated_now(self) -> bool {
        matches!(self, Status::LookupNow | Status::Duplicate)
    }
}

/// Why a component is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A wording not yet mapped to an evidence type (`kind: unknown`).
    Unmapped,
    /// The applicant's own form.
    Form,
    /// It needs no fact.
    NoData,
    /// The law demands the paper.
    Locked,
    /// No usable database holds its facts.
    NoSource,
}

impl Reason {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unmapped => "unmapped",
            Reason::Form => "form",
            Reason::NoData => "no_data",
            Reason::Locked => "locked",
            Reason::NoSource => "no_source",
        }
    }
}

/// A classified component, on integer ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Status.
    pub status: Status,
    /// Reason, for `kept`.
    pub reason: Option<Reason>,
    /// Facts needed.
    pub needed: Facts,
    /// Databases looked up (now, or at the unlocking step).
    pub lookups: ShortList<DbId>,
    /// Facts not covered now (partial, kept).
    pub missing: Facts,
    /// Index of the component it duplicates.
    pub duplicate_of: Option<usize>,
    /// Tasks that unlock it.
    pub unlocked_by: ShortList<TaskId>,
    /// Roadmap phase that unlocks it.
    pub phase: Option<u32>,
    /// Hours per submission saved if eliminated.
    pub hours: f64,
    /// Money per submission saved if eliminated.
    pub money: f64,
}

/// Classifies one procedure's components against `state`, leaving roadmap-dependent ones as
/// `Kept`/`Partial` for [`analyze`] to finish.
/// `doc_facts[d]` is what document `d` proves.
fn classify_now(ws: &Workspace, reach: &Reach, state: &State, doc_facts: &IdVec<DocId, Facts>, p: ProcId) -> Vec<Class> {
    let proc = &ws.procedures[p];
    let usable = reach.usable_dbs(ws, state, p);
    let cov = covered(ws, state, &usable);
    let nfacts = ws.facts.len();
    let cov_facts = Facts::of(&cov, nfacts);
    // What `Workspace::needed_facts` gives, as inline sets: a component's own `proves`, else
    // what all its mapped alternatives prove.
    let needed: Vec<Facts> = proc
        .components
        .iter()
        .map(|c| match &c.proves {
            Some(p) => Facts::of(p, nfacts),
            None => {
                let mut docs = ws.known_documents(c).map(|d| &doc_facts[d]);
                let mut set = docs.next().cloned().unwrap_or_else(|| Facts::empty(nfacts));
                docs.for_each(|f| set.intersect_with(f));
                set
            }
        })
        .collect();
    let forms: Vec<bool> = proc.components.iter().map(|c| ws.is_form(c)).collect();
    let unmapped: Vec<bool> = proc.components.iter().map(|c| ws.is_unmapped(c)).collect();
    let mut out: Vec<Class> = Vec::with_capacity(proc.components.len());
    for (i, c) in proc.components.iter().enumerate() {
        let (hours, cost) = ws.burden(c, ws.policy.hourly_value);
        let n = &needed[i];
        let mut class = Class {
            status: Status::Kept,
            reason: None,
            needed: n.clone(),
            lookups: ShortList::new(),
            missing: Facts::empty(nfacts),
            duplicate_of: None,
            unlocked_by: ShortList::new(),
            phase: None,
            hours,
            money: hours * ws.policy.hourly_value + cost,
        };
        if unmapped[i] {
            class.reason = Some(Reason::Unmapped);
        } else if forms[i] {
            class.reason = Some(Reason::Form);
        } else if n.is_empty() {
            class.reason = Some(Reason::NoData);
        } else if !state.is_locked(c) && n.is_subset(&cov_facts) {
            class.status = Status::LookupNow;
            class.lookups = choose_lookups(ws, state, &usable, n.to_set(nfacts));
        } else {
            class.missing.copy_from(&class.needed);
            class.missing.difference_with(&cov_facts);
            let missing = class.missing.count();
            // Partial means some facts are covered and some are not; all covered but locked is kept.
            class.status = if missing > 0 && missing < n.count() { Status::Partial } else { Status::Kept };
            class.reason = (class.status == Status::Kept).then(|| if state.is_locked(c) { Reason::Locked } else { Reason::NoSource });
        }
        out.push(class);
    }
    // Duplicates: another mapped, non-form component of the same person, asked for in every
    // case or in the same case, proves at least as much.
    let (comps, skip) = (&proc.components, |j: usize| forms[j] || unmapped[j]);
    let same_subject = |a: usize, b: usize| comps[a].of == comps[b].of && (comps[b].case.is_none() || comps[b].case == comps[a].case);
    let contains = |i: usize, j: usize| {
        j != i && !skip(j) && same_subject(i, j) && needed[i].is_subset(&needed[j]) && (needed[i] != needed[j] || j < i)
    };
    let is_dup: Vec<bool> = (0..out.len())
        .map(|i| {
            !matches!(out[i].reason, Some(Reason::Unmapped | Reason::Form | Reason::NoData))
                && out[i].status != Status::LookupNow
                && (0..out.len()).any(|j| contains(i, j))
        })
        .collect();
    for i in 0..out.len() {
        if is_dup[i] {
            let of = (0..out.len()).find(|&j| contains(i, j) && !is_dup[j]);
            let c = &mut out[i];
            c.status = Status::Duplicate;
            c.reason = None;
            c.duplicate_of = of;
            c.missing.clear();
        }
    }
    out
}

/// Every procedure's components classified against `state`, on every core; components that
/// only the roadmap can unlock stay `Kept` or `Partial` until [`crate::engine::analyze`]
/// marks them.
pub fn classify(ws: &Workspace, reach: &Reach, state: &State) -> IdVec<ProcId, Vec<Class>> {
    let doc_facts: IdVec<DocId, Facts> = ws.documents.iter().map(|d| Facts::of(&d.proves, ws.facts.len())).collect();
    (0..ws.procedures.len()).into_par_iter().map(ProcId::new).map(|p| classify_now(ws, reach, state, &doc_facts, p)).collect()
}
