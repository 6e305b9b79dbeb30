//! The workspace as one petgraph graph (SPEC §5) and the queries beyond classification:
//! procedure chains and once-only gaps, unmet data demand, consolidation candidates.

use crate::analysis::{Analysis, Status};
use crate::workspace::*;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A node of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A procedure.
    Procedure(ProcId),
    /// Component `index` of a procedure.
    Component(ProcId, usize),
    /// A document type.
    Document(DocId),
    /// A fact.
    Fact(FactId),
    /// A database.
    Database(DbId),
    /// An agency.
    Agency(AgencyId),
    /// A task.
    Task(TaskId),
}

/// An edge kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edge {
    /// Procedure → component.
    Requires,
    /// Component → document.
    IsA,
    /// Document → fact.
    Proves,
    /// Database → fact.
    Provides,
    /// Procedure → document it issues.
    Produces,
    /// Procedure → database it records into.
    RecordsTo,
    /// Database → procedure it serves now.
    Serves,
    /// Agency → procedure, database or task it answers for.
    Owns,
    /// Task → task it depends on.
    DependsOn,
    /// Task → database or document it changes.
    Affects,
}

/// The built graph with an index from nodes to graph indexes.
pub struct Graph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    /// Node → index.
    pub index: BTreeMap<Node, NodeIndex>,
}

impl Graph {
    fn node(&mut self, n: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&n) {
            return i;
        }
        let i = self.graph.add_node(n);
        self.index.insert(n, i);
        i
    }
    fn edge(&mut self, a: Node, b: Node, e: Edge) {
        let (a, b) = (self.node(a), self.node(b));
        self.graph.add_edge(a, b, e);
    }

    /// Targets of `n`'s outgoing edges of kind `e`.
    pub fn out(&self, n: Node, e: Edge) -> Vec<Node> {
        let Some(&i) = self.index.get(&n) else { return Vec::new() };
        let mut v: Vec<Node> = self.graph.edges(i).filter(|x| *x.weight() == e).map(|x| self.graph[x.target()]).collect();
        v.sort();
        v
    }

    /// Sources of `n`'s incoming edges of kind `e`.
    pub fn into(&self, n: Node, e: Edge) -> Vec<Node> {
        let Some(&i) = self.index.get(&n) else { return Vec::new() };
        let mut v: Vec<Node> = self
            .graph
            .edges_directed(i, petgraph::Direction::Incoming)
            .filter(|x| *x.weight() == e)
            .map(|x| self.graph[x.source()])
            .collect();
        v.sort();
        v
    }
}

/// Builds the graph of a workspace (serves edges as of `as_of`).
pub fn build(ws: &Workspace, a: &Analysis) -> Graph {
    let mut g = Graph { graph: DiGraph::new(), index: BTreeMap::new() };
    let state = crate::lookup::State::initial(ws);
    for (p, proc) in ws.procedures.iter().enumerate() {
        let pn = Node::Procedure(p as ProcId);
        g.node(pn);
        g.edge(Node::Agency(a.reach.proc_agency[p]), pn, Edge::Owns);
        for (i, c) in proc.components.iter().enumerate() {
            let cn = Node::Component(p as ProcId, i);
            g.edge(pn, cn, Edge::Requires);
            for &d in &c.documents {
                g.edge(cn, Node::Document(d), Edge::IsA);
            }
        }
        for &d in &proc.produces {
            g.edge(pn, Node::Document(d), Edge::Produces);
        }
        for &d in &proc.records_to {
            g.edge(pn, Node::Database(d), Edge::RecordsTo);
        }
        for (d, db) in state.dbs.iter().enumerate() {
            if a.reach.usable(ws, db, p as ProcId) {
                g.edge(Node::Database(d as DbId), pn, Edge::Serves);
            }
        }
    }
    for (d, doc) in ws.documents.iter().enumerate() {
        g.node(Node::Document(d as DocId));
        for f in doc.proves.ones() {
            g.edge(Node::Document(d as DocId), Node::Fact(f as FactId), Edge::Proves);
        }
    }
    for (d, db) in ws.databases.iter().enumerate() {
        g.node(Node::Database(d as DbId));
        for f in db.provides.ones() {
            g.edge(Node::Database(d as DbId), Node::Fact(f as FactId), Edge::Provides);
        }
        if let Some(c) = db.custodian {
            g.edge(Node::Agency(c), Node::Database(d as DbId), Edge::Owns);
        }
    }
    for (t, task) in ws.tasks.iter().enumerate() {
        let tn = Node::Task(t as TaskId);
        g.node(tn);
        if let Some(o) = task.owner {
            g.edge(Node::Agency(o), tn, Edge::Owns);
        }
        for &d in &task.depends_on {
            g.edge(tn, Node::Task(d), Edge::DependsOn);
        }
        for e in &task.effects {
            match e {
                Effect::Unlock(d) => g.edge(tn, Node::Document(*d), Edge::Affects),
                other => {
                    if let Some(d) = other.database() {
                        g.edge(tn, Node::Database(d), Edge::Affects);
                    }
                }
            }
        }
    }
    g
}

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

/// Procedure chains, one per issued-and-asked-for document, sorted by document id.
pub fn chains(ws: &Workspace, a: &Analysis, g: &Graph) -> Vec<Chain> {
    let mut out = Vec::new();
    for (d, doc) in ws.documents.iter().enumerate() {
        let dn = Node::Document(d as DocId);
        let issuers: Vec<usize> = g
            .into(dn, Edge::Produces)
            .into_iter()
            .filter_map(|n| if let Node::Procedure(p) = n { Some(p as usize) } else { None })
            .collect();
        if issuers.is_empty() {
            continue;
        }
        let mut from: Vec<String> = issuers.iter().map(|&p| ws.procedures[p].id.clone()).collect();
        from.sort();
        let mut records: BTreeSet<String> = BTreeSet::new();
        let mut nowhere: Vec<String> = Vec::new();
        for &p in &issuers {
            let proc = &ws.procedures[p];
            records.extend(proc.records_to.iter().map(|&r| ws.databases[r as usize].id.clone()));
            if proc.records_to.is_empty() {
                nowhere.push(proc.id.clone());
            }
        }
        nowhere.sort();
        let mut to = Vec::new();
        for cn in g.into(dn, Edge::IsA) {
            let Node::Component(b, i) = cn else { continue };
            // A procedure that alone issues the document it asks for is no chain.
            if issuers.len() == 1 && issuers[0] == b as usize {
                continue;
            }
            let status = a.classes[b as usize][i].status;
            let kind = if matches!(status, Status::LookupNow | Status::LookupAfter) {
                ChainKind::Lookup
            } else if !nowhere.is_empty() {
                ChainKind::OnceOnlyGap
            } else {
                ChainKind::NotCovered
            };
            let proc = &ws.procedures[b as usize];
            to.push(ChainLink { procedure: proc.id.clone(), component: i, status, kind, submissions: proc.annual_volume });
        }
        if to.is_empty() {
            continue;
        }
        to.sort_by(|x, y| (&x.procedure, x.component).cmp(&(&y.procedure, y.component)));
        let kind = [ChainKind::OnceOnlyGap, ChainKind::NotCovered]
            .into_iter()
            .find(|k| to.iter().any(|l| l.kind == *k))
            .unwrap_or(ChainKind::Lookup);
        let submissions = to.iter().filter(|l| l.kind != ChainKind::Lookup).map(|l| l.submissions).sum();
        out.push(Chain {
            document: doc.id.clone(),
            from,
            records_to: records.into_iter().collect(),
            recording_nowhere: nowhere,
            to,
            kind,
            submissions,
        });
    }
    out.sort_by(|x, y| x.document.cmp(&y.document));
    out
}

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
pub fn interconnected(ws: &Workspace, chains: &[Chain]) -> Vec<Interconnected> {
    let events = |id: &str| -> &[String] { ws.proc_ids.get(id).map(|p| ws.procedures[p as usize].life_events.as_slice()).unwrap_or(&[]) };
    let mut by_event: BTreeMap<String, Vec<(Vec<&str>, u64)>> = BTreeMap::new();
    for c in chains {
        let mut all_events: BTreeSet<&String> = BTreeSet::new();
        for f in &c.from {
            all_events.extend(events(f));
        }
        for e in all_events {
            let issuers: Vec<&str> = c.from.iter().map(String::as_str).filter(|f| events(f).contains(e)).collect();
            let askers: Vec<&ChainLink> = c.to.iter().filter(|l| events(&l.procedure).contains(e)).collect();
            if issuers.is_empty() || askers.is_empty() {
                continue;
            }
            let mut members = issuers;
            members.extend(askers.iter().map(|l| l.procedure.as_str()));
            by_event.entry(e.clone()).or_default().push((members, askers.iter().map(|l| l.submissions).sum()));
        }
    }
    let mut out = Vec::new();
    for (event, links) in by_event {
        let mut ids: Vec<&str> = links.iter().flat_map(|(m, _)| m.iter().copied()).collect();
        ids.sort();
        ids.dedup();
        let pos = |s: &str| ids.binary_search(&s).expect("id present");
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(ids.len());
        for (m, _) in &links {
            for x in &m[1..] {
                uf.union(pos(m[0]), pos(x));
            }
        }
        let mut sets: BTreeMap<usize, (BTreeSet<String>, u64)> = BTreeMap::new();
        for (m, subs) in &links {
            let e = sets.entry(uf.find(pos(m[0]))).or_default();
            e.0.extend(m.iter().map(|s| s.to_string()));
            e.1 += subs;
        }
        let mut groups: Vec<Interconnected> = sets
            .into_values()
            .filter(|(p, _)| p.len() >= 2)
            .map(|(p, s)| Interconnected { life_event: event.clone(), procedures: p.into_iter().collect(), submissions: s })
            .collect();
        groups.sort_by(|a, b| a.procedures.cmp(&b.procedures));
        out.extend(groups);
    }
    out
}

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
    let mut acc: BTreeMap<usize, (u64, u64, BTreeSet<usize>)> = BTreeMap::new();
    for (p, cls) in a.classes.iter().enumerate() {
        for c in cls {
            if !matches!(c.status, Status::Kept | Status::Partial) {
                continue;
            }
            for f in c.needed.ones() {
                if !provided.contains(f) {
                    let e = acc.entry(f).or_default();
                    e.0 += ws.procedures[p].annual_volume;
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

/// Consolidation candidates, considering every recorded merger (also future ones).
pub fn consolidation(ws: &Workspace) -> Vec<Consolidation> {
    let far_future = chrono::NaiveDate::MAX;
    // Key: successor, normalised name, sorted document set.
    type Key = (String, String, Vec<Vec<DocId>>);
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (p, proc) in ws.procedures.iter().enumerate() {
        let succ = ws.successor(proc.agency, far_future);
        let name = proc.name.clone().or(proc.name_en.clone()).unwrap_or_default().trim().to_lowercase();
        let mut docs: Vec<Vec<DocId>> = proc.components.iter().map(|c| c.documents.clone()).collect();
        docs.sort();
        groups.entry((ws.agencies[succ as usize].id.clone(), name, docs)).or_default().push(p);
    }
    let mut out = Vec::new();
    for ((succ, _, _), ps) in groups {
        let agencies: BTreeSet<String> = ps.iter().map(|&p| ws.agencies[ws.procedures[p].agency as usize].id.clone()).collect();
        if ps.len() < 2 || agencies.len() < 2 {
            continue;
        }
        out.push(Consolidation {
            successor: succ,
            name: ws.procedures[ps[0]].name.clone().or(ws.procedures[ps[0]].name_en.clone()).unwrap_or_default(),
            procedures: ps.iter().map(|&p| ws.procedures[p].id.clone()).collect(),
            agencies: agencies.into_iter().collect(),
            submissions: ps.iter().map(|&p| ws.procedures[p].annual_volume).sum(),
        });
    }
    out
}
