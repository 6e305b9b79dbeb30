//! Procedure chains: a document one procedure issues and another asks for again, as a lookup
//! or, when the issuer records it nowhere, a once-only gap.

use super::graph::{Edge, Graph, Node};
use crate::engine::Analysis;
use crate::engine::classify::Status;
use crate::workspace::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// How a chain between two procedures stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainKind {
    /// The asking component is looked up (now or after the roadmap).
    Lookup,
    /// An issuing procedure records nowhere: store its result and the asker need not ask.
    OnceOnlyGap,
    /// The issuers record into a database, but none usable covers what the asker needs yet.
    NotCovered,
}

/// A document that some procedures issue and others ask for again. Grouped per document, so
/// its size stays linear in the catalog even when hundreds of provincial variants issue it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Chain {
    /// The document passed along.
    pub document: String,
    /// Procedures that issue it (`produces`), sorted.
    pub from: Vec<String>,
    /// Databases the issuers record into, sorted.
    pub records_to: Vec<String>,
    /// Issuers that record their result nowhere (the once-only gaps), sorted.
    pub recording_nowhere: Vec<String>,
    /// Components that ask for it again, by procedure id then position.
    pub to: Vec<ChainLink>,
    /// The worst link: a gap, else not covered, else lookup.
    pub kind: ChainKind,
    /// Submissions per year of the links that are not lookups.
    pub submissions: u64,
}

/// One component asking again for an issued document.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ChainLink {
    /// Asking procedure id.
    pub procedure: String,
    /// 0-based component index.
    pub component: usize,
    /// The component's status.
    pub status: Status,
    /// How the link stands.
    pub kind: ChainKind,
    /// The asking procedure's submissions per year.
    pub submissions: u64,
}

/// A document that procedures issue and other components ask for again, in workspace positions:
/// what [`chains`] and [`interconnected`] are made of.
pub struct Flow {
    pub(super) document: DocId,
    /// Issuing procedures, sorted (positions follow id order).
    pub(super) issuers: Vec<ProcId>,
    /// Asking components (procedure, position), sorted.
    pub(super) askers: Vec<(ProcId, usize)>,
}

/// The documents passed between procedures, read off the graph's `produces` and `is_a` edges.
pub fn flows(ws: &Workspace, g: &Graph) -> Vec<Flow> {
    use rayon::prelude::*;
    // One pass over the edge list, in the order it was built, gathers every document's
    // issuers and askers: walking each document's incoming edges instead (a national
    // catalog's document has hundreds of thousands) jumps around a list of millions.
    let mut issuers: IdVec<DocId, Vec<ProcId>> = IdVec::from_elem(Vec::new(), ws.documents.len());
    let mut askers: IdVec<DocId, Vec<(ProcId, usize)>> = IdVec::from_elem(Vec::new(), ws.documents.len());
    for e in g.graph.raw_edges() {
        match (e.weight, g.graph[e.source()], g.graph[e.target()]) {
            (Edge::Produces, Node::Procedure(p), Node::Document(d)) => issuers[d].push(p),
            (Edge::IsA, Node::Component(b, i), Node::Document(d)) => askers[d].push((b, i)),
            _ => {}
        }
    }
    // Documents one by one on every core, kept in document order.
    issuers
        .into_raw()
        .into_par_iter()
        .zip(askers.into_raw())
        .enumerate()
        .filter_map(|(d, (issuers, askers))| flow(DocId::new(d), issuers, askers))
        .collect()
}

/// Document `d`'s flow, if some procedure issues it and another asks for it.
fn flow(d: DocId, mut issuers: Vec<ProcId>, mut askers: Vec<(ProcId, usize)>) -> Option<Flow> {
    if issuers.is_empty() {
        return None;
    }
    issuers.sort_unstable();
    // A procedure that alone issues the document it asks for is no chain.
    askers.retain(|&(b, _)| !(issuers.len() == 1 && issuers[0] == b));
    askers.sort_unstable();
    (!askers.is_empty()).then_some(Flow { document: d, issuers, askers })
}

/// Procedure chains, one per issued-and-asked-for document, sorted by document id.
pub fn chains(ws: &Workspace, a: &Analysis, flows: &[Flow]) -> Vec<Chain> {
    use rayon::prelude::*;
    let chain = |flow: &Flow| {
        let id = |p: ProcId| ws.procedures[p].id.clone();
        let mut records: BTreeSet<String> = BTreeSet::new();
        let mut nowhere: Vec<String> = Vec::new();
        for &p in &flow.issuers {
            let proc = &ws.procedures[p];
            records.extend(proc.records_to.iter().map(|&r| ws.databases[r].id.clone()));
            if proc.records_to.is_empty() {
                nowhere.push(proc.id.clone());
            }
        }
        let to: Vec<ChainLink> = flow
            .askers
            .iter()
            .map(|&(b, i)| {
                let status = a.classes[b][i].status;
                let kind = if matches!(status, Status::LookupNow | Status::LookupAfter) {
                    ChainKind::Lookup
                } else if !nowhere.is_empty() {
                    ChainKind::OnceOnlyGap
                } else {
                    ChainKind::NotCovered
                };
                ChainLink {
                    procedure: id(b),
                    component: i,
                    status,
                    kind,
                    submissions: ws.procedures[b].volume_of(&ws.procedures[b].components[i]),
                }
            })
            .collect();
        let kind = [ChainKind::OnceOnlyGap, ChainKind::NotCovered]
            .into_iter()
            .find(|k| to.iter().any(|l| l.kind == *k))
            .unwrap_or(ChainKind::Lookup);
        let submissions = to.iter().filter(|l| l.kind != ChainKind::Lookup).map(|l| l.submissions).sum();
        Chain {
            document: ws.documents[flow.document].id.clone(),
            from: flow.issuers.iter().map(|&p| id(p)).collect(),
            records_to: records.into_iter().collect(),
            recording_nowhere: nowhere,
            to,
            kind,
            submissions,
        }
    };
    let mut out: Vec<Chain> = flows.par_iter().map(chain).collect();
    out.sort_by(|x, y| x.document.cmp(&y.document));
    out
}
