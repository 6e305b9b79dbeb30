//! The workspace as one petgraph graph: procedures, components, documents, facts, databases,
//! agencies and tasks, and the edges between them.

use crate::engine::lookup::Reach;
use crate::workspace::*;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

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
