//! Unmet data demand: facts that kept or partial components need and no database provides.

use crate::engine::Analysis;
use crate::engine::classify::Status;
use crate::workspace::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A fact that kept or partial components need and no database provides.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct UnmetFact {
    /// Fact id.
    pub fact: String,
    /// Its name.
    pub name: Option<String>,
    /// Its English name.
    pub name_en: Option<String>,
    /// Submissions per year of components waiting for it.
    pub submissions: u64,
    /// Components waiting for it.
    pub components: u64,
    /// Procedures waiting for it.
    pub procedures: u64,
}

/// Unmet demand, ranked by submissions per year (then fact id).
pub fn unmet_facts(ws: &Workspace, a: &Analysis) -> Vec<UnmetFact> {
    let mut provided = ws.fact_set();
    for db in &a.plan.final_state.dbs {
        provided.union_with(&db.provides);
    }
    for db in &ws.databases {
        provided.union_with(&db.provides);
    }
    let mut acc: BTreeMap<FactId, (u64, u64, BTreeSet<ProcId>)> = BTreeMap::new();
    for (p, cls) in a.classes.iter_enumerated() {
        for (c, comp) in cls.iter().zip(&ws.procedures[p].components) {
            if !matches!(c.status, Status::Kept | Status::Partial) {
                continue;
            }
            for f in c.needed.ones() {
                if !provided.contains(f) {
                    let e = acc.entry(FactId::new(f)).or_default();
                    e.0 += ws.procedures[p].volume_of(comp);
                    e.1 += 1;
                    e.2.insert(p);
                }
            }
        }
    }
    let mut out: Vec<UnmetFact> = acc
        .into_iter()
        .map(|(f, (s, c, p))| UnmetFact {
            fact: ws.facts[f].id.clone(),
            name: ws.facts[f].name.clone(),
            name_en: ws.facts[f].name_en.clone(),
            submissions: s,
            components: c,
            procedures: p.len() as u64,
        })
        .collect();
    out.sort_by(|a, b| b.submissions.cmp(&a.submissions).then_with(|| a.fact.cmp(&b.fact)));
    out
}
