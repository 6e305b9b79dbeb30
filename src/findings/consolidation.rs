//! Consolidation candidates: procedures of agencies merged into one successor that have the same
//! name and ask for the same documents.

use crate::workspace::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// Procedures of agencies merged into one successor that share name and document set.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Consolidation {
    /// The successor agency.
    pub successor: String,
    /// The shared name.
    pub name: String,
    /// The procedures, sorted by id.
    pub procedures: Vec<String>,
    /// Their agencies as written, sorted.
    pub agencies: Vec<String>,
    /// Their submissions per year together.
    pub submissions: u64,
}

/// The successor's id and the normalised name of procedure `p`: the first parts of its
/// consolidation key.
fn successor_and_name<'a>(ws: &'a Workspace, successors: &IdVec<AgencyId, AgencyId>, p: ProcId) -> (&'a str, String) {
    let proc = &ws.procedures[p];
    let succ = successors[proc.agency];
    let name = proc.name.as_deref().or(proc.name_en.as_deref()).unwrap_or_default().trim().to_lowercase();
    (ws.agencies[succ].id.as_str(), name)
}

/// Consolidation candidates, considering every recorded merger (also future ones).
pub fn consolidation(ws: &Workspace) -> Vec<Consolidation> {
    use rayon::prelude::*;
    use std::hash::{Hash, Hasher};
    // Key: successor, normalised name, sorted document set, then the procedure.
    type Key<'a> = (&'a str, String, Vec<&'a [DocId]>, ProcId);
    let successors = ws.successors(chrono::NaiveDate::MAX);
    let key = |p: ProcId| -> Key<'_> {
        let (succ, name) = successor_and_name(ws, &successors, p);
        let mut docs: Vec<&[DocId]> = ws.procedures[p].components.iter().map(|c| c.documents.as_slice()).collect();
        docs.sort_unstable();
        (succ, name, docs, p)
    };
    // Nearly every procedure of a national catalog has a key of its own. A hash of the key
    // (the document set hashed in any order) finds the few that may share theirs, on every
    // core; only those are keyed and sorted.
    let hash = |p: ProcId| -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        successor_and_name(ws, &successors, p).hash(&mut h);
        let components = &ws.procedures[p].components;
        let docs = components.iter().fold(0u64, |sum, c| {
            let mut d = rustc_hash::FxHasher::default();
            c.documents.hash(&mut d);
            sum.wrapping_add(d.finish())
        });
        (docs, components.len()).hash(&mut h);
        h.finish()
    };
    let mut hashes: Vec<(u64, ProcId)> = (0..ws.procedures.len()).into_par_iter().map(ProcId::new).map(|p| (hash(p), p)).collect();
    hashes.par_sort_unstable();
    let shared: Vec<ProcId> = hashes.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() >= 2).flat_map(|g| g.iter().map(|&(_, p)| p)).collect();
    // Sorted, equal keys are adjacent, in the order a map keyed alike would give, each group's
    // procedures in catalog order.
    let mut keys: Vec<Key<'_>> = shared.into_par_iter().map(key).collect();
    keys.par_sort_unstable();
    let mut out = Vec::new();
    for group in keys.chunk_by(|a, b| (a.0, &a.1, &a.2) == (b.0, &b.1, &b.2)) {
        let ps: Vec<ProcId> = group.iter().map(|k| k.3).collect();
        let agencies: BTreeSet<&str> = ps.iter().map(|&p| ws.agencies[ws.procedures[p].agency].id.as_str()).collect();
        if ps.len() < 2 || agencies.len() < 2 {
            continue;
        }
        out.push(Consolidation {
            successor: group[0].0.to_string(),
            name: ws.procedures[ps[0]].name.clone().or(ws.procedures[ps[0]].name_en.clone()).unwrap_or_default(),
            procedures: ps.iter().map(|&p| ws.procedures[p].id.clone()).collect(),
            agencies: agencies.into_iter().map(str::to_string).collect(),
            submissions: ps.iter().map(|&p| ws.procedures[p].annual_volume).sum(),
        });
    }
    out
}
