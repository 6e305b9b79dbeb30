//! The workspace as one petgraph graph (SPEC §5) and the queries beyond classification:
//! procedure chains and once-only gaps, unmet data demand, consolidation candidates.

use crate::engine::Analysis;
use crate::engine::classify::Status;
use crate::engine::lookup::Reach;
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
    /// Where each kind of node starts among the slots.
    layout: Layout,
    /// Slot → graph index (`ABSENT`: not in the graph). A national catalog has millions of
    /// edges, each looking up two nodes: a dense array instead of an ordered map makes that a
    /// load.
    slots: Vec<u32>,
}

/// Slot numbers of every possible node, in the order of `Node`'s `Ord` (procedures, then
/// components by procedure and position, documents, facts, databases, agencies, tasks), so
/// walking the slots walks the nodes sorted.
struct Layout {
    /// Slot of component 0 of each procedure, and one past the last component.
    components: Vec<usize>,
    documents: usize,
    facts: usize,
    databases: usize,
    agencies: usize,
    tasks: usize,
    end: usize,
}

const ABSENT: u32 = u32::MAX;

impl Layout {
    fn new(ws: &Workspace) -> Layout {
        let mut components = Vec::with_capacity(ws.procedures.len() + 1);
        let mut next = ws.procedures.len();
        for proc in &ws.procedures {
            components.push(next);
            next += proc.components.len();
        }
        components.push(next);
        let documents = next;
        let facts = documents + ws.documents.len();
        let databases = facts + ws.facts.len();
        let agencies = databases + ws.databases.len();
        let tasks = agencies + ws.agencies.len();
        Layout { components, documents, facts, databases, agencies, tasks, end: tasks + ws.tasks.len() }
    }

    fn slot(&self, n: Node) -> Option<usize> {
        let within = |start: usize, i: usize, next: usize| (start + i < next).then_some(start + i);
        match n {
            Node::Procedure(p) => within(0, p.index(), self.components.len() - 1),
            Node::Component(p, i) => {
                let p = p.index();
                if p + 1 >= self.components.len() { None } else { within(self.components[p], i, self.components[p + 1]) }
            }
            Node::Document(d) => within(self.documents, d.index(), self.facts),
            Node::Fact(f) => within(self.facts, f.index(), self.databases),
            Node::Database(d) => within(self.databases, d.index(), self.agencies),
            Node::Agency(x) => within(self.agencies, x.index(), self.tasks),
            Node::Task(t) => within(self.tasks, t.index(), self.end),
        }
    }
}

impl Graph {
    fn node(&mut self, n: Node) -> NodeIndex {
        let slot = self.layout.slot(n).expect("every node of the workspace has a slot");
        if self.slots[slot] != ABSENT {
            return NodeIndex::new(self.slots[slot] as usize);
        }
        let i = self.graph.add_node(n);
        self.slots[slot] = i.index() as u32;
        i
    }
    fn edge(&mut self, a: Node, b: Node, e: Edge) {
        let (a, b) = (self.node(a), self.node(b));
        self.graph.add_edge(a, b, e);
    }

    /// The graph index of `n`, if it is in the graph.
    pub fn index(&self, n: Node) -> Option<NodeIndex> {
        let i = *self.slots.get(self.layout.slot(n)?)?;
        (i != ABSENT).then(|| NodeIndex::new(i as usize))
    }

    /// Every node of the graph, sorted.
    pub fn nodes(&self) -> impl Iterator<Item = Node> + '_ {
        self.slots.iter().filter(|&&i| i != ABSENT).map(|&i| self.graph[NodeIndex::new(i as usize)])
    }

    /// Targets of `n`'s outgoing edges of kind `e`.
    pub fn out(&self, n: Node, e: Edge) -> Vec<Node> {
        let Some(i) = self.index(n) else { return Vec::new() };
        let mut v: Vec<Node> = self.graph.edges(i).filter(|x| *x.weight() == e).map(|x| self.graph[x.target()]).collect();
        v.sort();
        v
    }

    /// Sources of `n`'s incoming edges of kind `e`.
    pub fn into(&self, n: Node, e: Edge) -> Vec<Node> {
        let Some(i) = self.index(n) else { return Vec::new() };
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

/// Builds the graph of a workspace (serves edges as of `as_of`, agencies by their successor in
/// `reach`). It needs no classification: see [`groundwork`].
pub fn build(ws: &Workspace, reach: &Reach) -> Graph {
    let layout = Layout::new(ws);
    let slots = vec![ABSENT; layout.end];
    let state = crate::engine::lookup::State::initial(ws);
    // Which databases serve each procedure, on every core: the edges are then added in order.
    let serving: IdVec<ProcId, Vec<DbId>> = {
        use rayon::prelude::*;
        (0..ws.procedures.len()).into_par_iter().map(ProcId::new).map(|p| reach.usable_dbs(ws, &state, p)).collect()
    };
    // Sized up front, every edge counted: grown as it fills, a national catalog's graph (1.5
    // million edges) would be copied to fresh memory as it doubles.
    let edges = ws
        .procedures
        .iter()
        .zip(&serving)
        .map(|(p, s)| {
            1 + s.len() + p.produces.len() + p.records_to.len() + p.components.iter().map(|c| 1 + c.documents.len()).sum::<usize>()
        })
        .sum::<usize>()
        + ws.documents.iter().map(|d| d.proves.count_ones(..)).sum::<usize>()
        + ws.databases.iter().map(|d| 1 + d.provides.count_ones(..)).sum::<usize>()
        + ws.tasks.iter().map(|t| 1 + t.depends_on.len() + t.effects.len()).sum::<usize>();
    let mut g = Graph { graph: DiGraph::with_capacity(layout.end, edges), layout, slots };
    for (p, proc) in ws.procedures.iter_enumerated() {
        let pn = Node::Procedure(p);
        g.node(pn);
        g.edge(Node::Agency(reach.proc_agency[p]), pn, Edge::Owns);
        for (i, c) in proc.components.iter().enumerate() {
            let cn = Node::Component(p, i);
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
        for &d in &serving[p] {
            g.edge(Node::Database(d), pn, Edge::Serves);
        }
    }
    for (d, doc) in ws.documents.iter_enumerated() {
        g.node(Node::Document(d));
        for f in doc.proves.ones() {
            g.edge(Node::Document(d), Node::Fact(FactId::new(f)), Edge::Proves);
        }
    }
    for (d, db) in ws.databases.iter_enumerated() {
        g.node(Node::Database(d));
        for f in db.provides.ones() {
            g.edge(Node::Database(d), Node::Fact(FactId::new(f)), Edge::Provides);
        }
        if let Some(c) = db.custodian {
            g.edge(Node::Agency(c), Node::Database(d), Edge::Owns);
        }
    }
    for (t, task) in ws.tasks.iter_enumerated() {
        let tn = Node::Task(t);
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
    debug_assert!(g.graph.edge_count() <= edges, "{} edges, {edges} counted", g.graph.edge_count());
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

/// A document that procedures issue and other components ask for again, in workspace positions:
/// what [`chains`] and [`interconnected`] are made of.
pub struct Flow {
    document: DocId,
    /// Issuing procedures, sorted (positions follow id order).
    issuers: Vec<ProcId>,
    /// Asking components (procedure, position), sorted.
    askers: Vec<(ProcId, usize)>,
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
                ChainLink { procedure: id(b), component: i, status, kind, submissions: ws.procedures[b].annual_volume }
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

/// What the procedure graph finds beyond classification, in the analysis document's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    /// Procedure chains.
    pub chains: Vec<Chain>,
    /// Candidate interconnected services.
    pub interconnected: Vec<Interconnected>,
    /// Unmet data demand.
    pub unmet_facts: Vec<UnmetFact>,
    /// Consolidation candidates among merged agencies.
    pub consolidation: Vec<Consolidation>,
}

/// The findings of an analysis, worked out after it (see [`crate::pipeline::run`] for both at
/// once).
pub fn of(ws: &Workspace, a: &Analysis) -> Findings {
    groundwork(ws, &a.reach).findings(ws, a)
}

/// What the graph shows before any component is classified: the documents passed between
/// procedures, the services they could be joined into, and the consolidation candidates. The
/// plan of a roadmap runs largely on one core; worked out beside it, this keeps the other busy
/// (see [`crate::pipeline::run`]).
pub struct Groundwork {
    flows: Vec<Flow>,
    interconnected: Vec<Interconnected>,
    consolidation: Vec<Consolidation>,
}

/// Builds the graph as the analysis sees it (after `--assume`, agencies by their successor in
/// `reach`) and reads the flows, interconnected services and consolidation candidates off it.
pub fn groundwork(ws: &Workspace, reach: &Reach) -> Groundwork {
    let graph_part = || {
        let flows = flows(ws, &build(ws, reach));
        let interconnected = interconnected(ws, &flows);
        (flows, interconnected)
    };
    let ((flows, interconnected), consolidation) = rayon::join(graph_part, || consolidation(ws));
    Groundwork { flows, interconnected, consolidation }
}

impl Groundwork {
    /// The findings, once the components are classified: chains and unmet demand (which reads
    /// the classes alone) on both cores.
    pub fn findings(self, ws: &Workspace, a: &Analysis) -> Findings {
        let (chains, unmet_facts) = rayon::join(|| chains(ws, a, &self.flows), || unmet_facts(ws, a));
        Findings { chains, interconnected: self.interconnected, unmet_facts, consolidation: self.consolidation }
    }
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
            for &(b, _) in &flow.askers {
                if has(b) {
                    members.push(b);
                    subs += ws.procedures[b].annual_volume;
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
        for c in cls {
            if !matches!(c.status, Status::Kept | Status::Partial) {
                continue;
            }
            for f in c.needed.ones() {
                if !provided.contains(f) {
                    let e = acc.entry(FactId::new(f)).or_default();
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
