//! How much of the catalog the rules understand: components mapped to an evidence type, forms,
//! and wordings not yet mapped (`kind: unknown`), overall and by ministry; the unmapped
//! wordings most asked for, which are the analyst's to-do list; and the procedures whose
//! dossier depends on the applicant's case.

use crate::engine::Analysis;
use crate::engine::classify::Reason;
use crate::workspace::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Components by how well the rules know their document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Mapping {
    /// The ministry (agency id; for the whole catalog, empty).
    pub ministry: String,
    /// Procedures.
    pub procedures: u64,
    /// Components.
    pub components: u64,
    /// Components of a known evidence type.
    pub mapped: u64,
    /// The applicant's own forms.
    pub forms: u64,
    /// Wordings not yet mapped to a document type.
    pub unmapped: u64,
}

/// An unmapped wording and how often it is asked for.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Unmapped {
    /// The document id.
    pub document: String,
    /// The wording.
    pub name: String,
    /// Components asking for it.
    pub components: u64,
    /// Procedures asking for it.
    pub procedures: u64,
    /// Submissions per year.
    pub submissions: u64,
}

/// A procedure whose dossier is listed per case.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CasedProcedure {
    /// Procedure id.
    pub procedure: String,
    /// Cases.
    pub cases: u64,
    /// Components asked in every case.
    pub common: u64,
    /// Components asked only in one case.
    pub in_cases: u64,
}

/// The catalog's coverage by the rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Coverage {
    /// The whole catalog.
    pub overall: Mapping,
    /// By publishing ministry (the agency when none is stated), by id.
    pub by_ministry: Vec<Mapping>,
    /// The unmapped wordings, most components first (then most submissions, then id); at most
    /// [`MAX_UNMAPPED`].
    pub unmapped: Vec<Unmapped>,
    /// Procedures with cases, most cases first (then id).
    pub cased: Vec<CasedProcedure>,
}

/// How many unmapped wordings are listed.
pub const MAX_UNMAPPED: usize = 50;

/// The coverage of the analysed catalog.
pub fn coverage(ws: &Workspace, a: &Analysis) -> Coverage {
    let successors = ws.successors(ws.policy.as_of);
    let mut by_ministry: BTreeMap<AgencyId, Mapping> = BTreeMap::new();
    let mut overall = Mapping::default();
    let mut unmapped: BTreeMap<DocId, (u64, u64, u64)> = BTreeMap::new();
    let mut cased = Vec::new();
    for (p, cls) in a.classes.iter_enumerated() {
        let proc = &ws.procedures[p];
        let ministry = successors[proc.ministry.unwrap_or(a.reach.proc_agency[p])];
        let m = by_ministry.entry(ministry).or_default();
        m.procedures += 1;
        overall.procedures += 1;
        let mut seen = Vec::new();
        for (cl, c) in cls.iter().zip(&proc.components) {
            for row in [&mut *m, &mut overall] {
                row.components += 1;
                match cl.reason {
                    Some(Reason::Unmapped) => row.unmapped += 1,
                    Some(Reason::Form) => row.forms += 1,
                    _ => row.mapped += 1,
                }
            }
            if cl.reason == Some(Reason::Unmapped) {
                let d = c.documents[0];
                let e = unmapped.entry(d).or_default();
                e.0 += 1;
                e.2 = e.2.saturating_add(proc.volume_of(c));
                if !seen.contains(&d) {
                    seen.push(d);
                    e.1 += 1;
                }
            }
        }
        if !proc.cases.is_empty() {
            let common = proc.components.iter().filter(|c| c.case.is_none()).count() as u64;
            cased.push(CasedProcedure {
                procedure: proc.id.clone(),
                cases: proc.cases.len() as u64,
                common,
                in_cases: proc.components.len() as u64 - common,
            });
        }
    }
    let by_ministry = by_ministry.into_iter().map(|(id, m)| Mapping { ministry: ws.agencies[id].id.clone(), ..m }).collect();
    let mut unmapped: Vec<Unmapped> = unmapped
        .into_iter()
        .map(|(d, (components, procedures, submissions))| {
            let doc = &ws.documents[d];
            Unmapped {
                document: doc.id.clone(),
                name: doc.name.clone().unwrap_or_else(|| doc.id.clone()),
                components,
                procedures,
                submissions,
            }
        })
        .collect();
    unmapped
        .sort_by(|x, y| y.components.cmp(&x.components).then(y.submissions.cmp(&x.submissions)).then_with(|| x.document.cmp(&y.document)));
    unmapped.truncate(MAX_UNMAPPED);
    cased.sort_by(|x, y| y.cases.cmp(&x.cases).then_with(|| x.procedure.cmp(&y.procedure)));
    Coverage { overall, by_ministry, unmapped, cased }
}
