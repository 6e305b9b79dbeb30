//! Candidate interconnected services: procedures linked by chains that share a life event.

use super::chains::Flow;
use crate::workspace::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Candidate interconnected services: procedures linked by chains that share a life event.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Interconnected {
    /// The life event.
    pub life_event: String,
    /// Procedure ids, sorted.
    pub procedures: Vec<String>,
    /// Submissions per year of the documents passed along between them.
    pub submissions: u64,
}

/// Groups procedures connected by chains within one life event (issuer and asker both in it).
pub fn interconnected(ws: &Workspace, flows: &[Flow]) -> Vec<Interconnected> {
    use rayon::prelude::*;
    let events = |p: ProcId| ws.procedures[p].life_events.as_slice();
    // Every (flow, life event of one of its issuers), then the link each makes, on every core:
    // a document asked for by half a national catalog is one flow of thousands of askers.
    let pairs: Vec<(usize, &str)> = flows
        .iter()
        .enumerate()
        .flat_map(|(i, flow)| {
            let all: BTreeSet<&str> = flow.issuers.iter().flat_map(|&p| events(p)).map(String::as_str).collect();
            all.into_iter().map(move |e| (i, e))
        })
        .collect();
    let links: Vec<Option<(&str, Vec<ProcId>, u64)>> = pairs
        .par_iter()
        .map(|&(i, e)| {
            let flow = &flows[i];
            let has = |p: ProcId| events(p).iter().any(|x| x == e);
            let mut members: Vec<ProcId> = flow.issuers.iter().copied().filter(|&p| has(p)).collect();
            let issuers = members.len();
            let mut subs = 0;
            for &(b, i) in &flow.askers {
                if has(b) {
                    members.push(b);
                    subs += ws.procedures[b].volume_of(&ws.procedures[b].components[i]);
                }
            }
            (issuers > 0 && members.len() > issuers).then_some((e, members, subs))
        })
        .collect();
    // A life event's links: the procedures each joins (issuers first) and its submissions.
    type Links = Vec<(Vec<ProcId>, u64)>;
    let mut by_event: BTreeMap<&str, Links> = BTreeMap::new();
    for (e, members, subs) in links.into_iter().flatten() {
        by_event.entry(e).or_default().push((members, subs));
    }
    // Each life event's procedures joined by its links, one event per core.
    let by_event: Vec<(&str, Links)> = by_event.into_iter().collect();
    let groups: Vec<Vec<Interconnected>> = by_event
        .par_iter()
        .map(|(event, links)| {
            // Positions follow id order, so sorting positions sorts ids.
            let mut ids: Vec<ProcId> = links.iter().flat_map(|(m, _)| m.iter().copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            let pos = |p: &ProcId| ids.binary_search(p).expect("member present");
            let mut uf = petgraph::unionfind::UnionFind::<usize>::new(ids.len());
            for (m, _) in links {
                for x in &m[1..] {
                    uf.union(pos(&m[0]), pos(x));
                }
            }
            // Members and submissions by the root of their set, the members sorted and unique.
            let mut members: Vec<(usize, ProcId)> = Vec::new();
            let mut subs: BTreeMap<usize, u64> = BTreeMap::new();
            for (m, s) in links {
                let root = uf.find(pos(&m[0]));
                members.extend(m.iter().map(|&p| (root, p)));
                *subs.entry(root).or_default() += s;
            }
            members.sort_unstable();
            members.dedup();
            let mut groups: Vec<(Vec<ProcId>, u64)> = members
                .chunk_by(|a, b| a.0 == b.0)
                .filter(|set| set.len() >= 2)
                .map(|set| (set.iter().map(|&(_, p)| p).collect(), subs[&set[0].0]))
                .collect();
            groups.sort();
            groups
                .into_iter()
                .map(|(p, s)| Interconnected {
                    life_event: event.to_string(),
                    procedures: p.iter().map(|&p| ws.procedures[p].id.clone()).collect(),
                    submissions: s,
                })
                .collect()
        })
        .collect();
    groups.into_iter().flatten().collect()
}
