//! The workspace graph of `crate::findings` as text for other tools: Graphviz dot, Mermaid,
//! GraphML, with nodes styled by kind and status, optionally cut down to one procedure, life
//! event or database.

use crate::diag::did_you_mean;
use crate::engine::Analysis;
use crate::engine::classify::{Reason, Status};
use crate::findings::{Edge, Graph, Node};
use crate::workspace::*;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Graph output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GraphFormat {
    /// Graphviz (`dot -Tsvg`).
    #[default]
    Dot,
    /// Mermaid flowchart (Markdown, GitHub, GitLab).
    Mermaid,
    /// GraphML (yEd, Gephi, NetworkX).
    Graphml,
}

/// What part of the graph to show; empty shows everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One procedure and its neighbourhood.
    pub procedure: Option<String>,
    /// Procedures with this life event and their neighbourhoods.
    pub life_event: Option<String>,
    /// One database and its neighbourhood; with a procedure filter, the only database shown.
    pub database: Option<String>,
}

/// A filter names something the workspace does not have.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// Unknown procedure id.
    #[error("unknown procedure `{0}`{1}")]
    Procedure(String, String),
    /// Unknown database id.
    #[error("unknown database `{0}`{1}")]
    Database(String, String),
    /// No procedure has the life event.
    #[error("no procedure has the life event `{0}`{1}")]
    LifeEvent(String, String),
    /// The filters together select no procedure.
    #[error("procedure `{0}` does not have the life event `{1}`")]
    Disjoint(String, String),
}

fn hint(wrong: &str, known: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let known: Vec<String> = known.into_iter().map(|s| s.as_ref().to_string()).collect();
    did_you_mean(wrong, known.iter().map(String::as_str)).map(|h| format!("; {h}")).unwrap_or_default()
}

/// Display facts of one node.
struct Info {
    /// Stable text id, e.g. `procedure:1.001`.
    id: String,
    kind: &'static str,
    label: String,
    status: &'static str,
}

fn db_status(s: DatabaseStatus) -> &'static str {
    match s {
        DatabaseStatus::Planned => "planned",
        DatabaseStatus::Building => "building",
        DatabaseStatus::Operational => "operational",
    }
}

fn proc_status(a: &Analysis, p: ProcId) -> &'static str {
    let relevant = |c: &&crate::engine::classify::Class| !matches!(c.reason, Some(Reason::Form | Reason::NoData));
    let cls: Vec<_> = a.classes[p].iter().filter(relevant).collect();
    if cls.iter().all(|c| c.status.eliminated_now()) {
        "once_only"
    } else if cls.iter().all(|c| c.status.eliminated_now() || c.status == Status::LookupAfter) {
        "after_roadmap"
    } else {
        "paper"
    }
}

fn info(ws: &Workspace, a: &Analysis, n: Node, lang: Lang) -> Info {
    let doc_label = |d: DocId| {
        let doc = &ws.documents[d];
        Workspace::label(&doc.id, doc.name.as_deref(), doc.name_en.as_deref(), lang).to_string()
    };
    match n {
        Node::Procedure(p) => {
            let pr = &ws.procedures[p];
            let name = Workspace::label(&pr.id, pr.name.as_deref(), pr.name_en.as_deref(), lang);
            Info {
                id: format!("procedure:{}", pr.id),
                kind: "procedure",
                label: if name == pr.id { pr.id.clone() } else { format!("{}\n{name}", pr.id) },
                status: proc_status(a, p),
            }
        }
        Node::Component(p, i) => {
            let pr = &ws.procedures[p];
            let c = &pr.components[i];
            let cl = &a.classes[p][i];
            let mut label = if c.one_of {
                c.documents.iter().map(|&d| ws.documents[d].id.as_str()).collect::<Vec<_>>().join(" | ")
            } else {
                ws.documents[c.documents[0]].id.clone()
            };
            if let Some(of) = &c.of {
                let _ = write!(label, " (of {of})");
            }
            let status = cl.reason.map(|r| r.as_str()).filter(|_| cl.status == Status::Kept);
            let _ = write!(label, "\n{}", status.map(|r| format!("kept: {r}")).unwrap_or_else(|| cl.status.as_str().to_string()));
            Info { id: format!("component:{}#{}", pr.id, i + 1), kind: "component", label, status: cl.status.as_str() }
        }
        Node::Document(d) => {
            let doc = &ws.documents[d];
            let status = if doc.kind != DocumentKind::Evidence {
                doc.kind.as_str()
            } else if doc.lock.is_some() {
                "locked"
            } else {
                "evidence"
            };
            Info { id: format!("document:{}", doc.id), kind: "document", label: doc_label(d), status }
        }
        Node::Fact(f) => {
            let fact = &ws.facts[f];
            Info { id: format!("fact:{}", fact.id), kind: "fact", label: fact.id.clone(), status: "" }
        }
        Node::Database(d) => {
            let db = &ws.databases[d];
            let name = Workspace::label(&db.id, db.name.as_deref(), db.name_en.as_deref(), lang);
            Info {
                id: format!("database:{}", db.id),
                kind: "database",
                label: if name == db.id { db.id.clone() } else { format!("{}\n{name}", db.id) },
                status: db_status(db.status),
            }
        }
        Node::Agency(ag) => {
            let agency = &ws.agencies[ag];
            Info {
                id: format!("agency:{}", agency.id),
                kind: "agency",
                label: Workspace::label(&agency.id, agency.name.as_deref(), agency.name_en.as_deref(), lang).to_string(),
                status: if agency.merged_into.is_some() { "merged" } else { "" },
            }
        }
        Node::Task(t) => {
            let task = &ws.tasks[t];
            Info {
                id: format!("task:{}", task.id),
                kind: "task",
                label: format!("{}\n{}", task.id, task.title),
                status: task.status.as_str(),
            }
        }
    }
}

/// Fill colour by kind and status (one palette for every format).
fn fill(kind: &str, status: &str) -> &'static str {
    match (kind, status) {
        (_, "lookup_now" | "once_only" | "operational" | "done") => "#c8e6c9",
        (_, "duplicate") => "#b2dfdb",
        (_, "lookup_after" | "after_roadmap" | "building" | "in_progress") => "#fff59d",
        (_, "partial") => "#ffcc80",
        (_, "kept") => "#e0e0e0",
        (_, "locked") => "#ffcdd2",
        (_, "form") => "#e1bee7",
        (_, "routine") => "#bbdefb",
        (_, "planned" | "merged") => "#eeeeee",
        ("agency", _) => "#d7ccc8",
        ("fact", _) => "#f5f5f5",
        _ => "#ffffff",
    }
}

fn edge_name(e: Edge) -> &'static str {
    match e {
        Edge::Requires => "requires",
        Edge::IsA => "is_a",
        Edge::Proves => "proves",
        Edge::Provides => "provides",
        Edge::Produces => "produces",
        Edge::RecordsTo => "records_to",
        Edge::Serves => "serves",
        Edge::Owns => "owns",
        Edge::DependsOn => "depends_on",
        Edge::Affects => "affects",
    }
}

/// A procedure, what it asks for and what could answer: components, documents, their facts,
/// the databases that serve it, hold those facts or receive its result, the documents it
/// issues, and the tasks that change any of those databases or documents.
fn procedure_hood(g: &Graph, p: ProcId, set: &mut BTreeSet<Node>) {
    let pn = Node::Procedure(p);
    set.insert(pn);
    let mut docs = Vec::new();
    for c in g.out(pn, Edge::Requires) {
        set.insert(c);
        docs.extend(g.out(c, Edge::IsA));
    }
    docs.extend(g.out(pn, Edge::Produces));
    for &d in &docs {
        set.insert(d);
        for f in g.out(d, Edge::Proves) {
            set.insert(f);
            set.extend(g.into(f, Edge::Provides));
        }
        set.extend(g.into(d, Edge::Affects));
    }
    set.extend(g.into(pn, Edge::Serves));
    set.extend(g.out(pn, Edge::RecordsTo));
    let dbs: Vec<Node> = set.iter().copied().filter(|n| matches!(n, Node::Database(_))).collect();
    for db in dbs {
        set.extend(g.into(db, Edge::Affects));
    }
}

/// A database, the facts it holds, the procedures it serves or that record into it, and the
/// tasks that change it.
fn database_hood(g: &Graph, d: DbId, set: &mut BTreeSet<Node>) {
    let dn = Node::Database(d);
    set.insert(dn);
    set.extend(g.out(dn, Edge::Provides));
    set.extend(g.out(dn, Edge::Serves));
    set.extend(g.into(dn, Edge::RecordsTo));
    set.extend(g.into(dn, Edge::Affects));
}

/// The nodes a filter selects, or every node.
fn select(ws: &Workspace, g: &Graph, f: &Filter) -> Result<BTreeSet<Node>, FilterError> {
    let proc = match &f.procedure {
        Some(id) => Some(ws.proc_ids.get(id).ok_or_else(|| FilterError::Procedure(id.clone(), hint(id, ws.proc_ids.names())))?),
        None => None,
    };
    let db = match &f.database {
        Some(id) => Some(ws.db_ids.get(id).ok_or_else(|| FilterError::Database(id.clone(), hint(id, ws.db_ids.names())))?),
        None => None,
    };
    if let Some(e) = &f.life_event {
        let events: BTreeSet<&str> = ws.procedures.iter().flat_map(|p| p.life_events.iter().map(String::as_str)).collect();
        if !events.contains(e.as_str()) {
            return Err(FilterError::LifeEvent(e.clone(), hint(e, events)));
        }
    }
    if proc.is_none() && f.life_event.is_none() && db.is_none() {
        return Ok(g.nodes().collect());
    }
    let procs: Vec<ProcId> = ws
        .procedures
        .ids()
        .filter(|&p| proc.is_none_or(|q| q == p))
        .filter(|&p| f.life_event.as_ref().is_none_or(|e| ws.procedures[p].life_events.contains(e)))
        .collect();
    if let (Some(id), Some(e), true) = (&f.procedure, &f.life_event, procs.is_empty()) {
        return Err(FilterError::Disjoint(id.clone(), e.clone()));
    }
    let mut set = BTreeSet::new();
    let by_procedure = proc.is_some() || f.life_event.is_some();
    if by_procedure {
        for &p in &procs {
            procedure_hood(g, p, &mut set);
        }
    }
    if let Some(d) = db {
        if by_procedure {
            // Procedures and one database: show only how they meet.
            set.retain(|n| !matches!(n, Node::Database(x) if *x != d));
            set.insert(Node::Database(d));
            let affecting: BTreeSet<Node> = g.into(Node::Database(d), Edge::Affects).into_iter().collect();
            let doc_tasks: BTreeSet<Node> =
                set.iter().filter(|n| matches!(n, Node::Document(_))).flat_map(|&n| g.into(n, Edge::Affects)).collect();
            set.retain(|n| !matches!(n, Node::Task(_)) || affecting.contains(n) || doc_tasks.contains(n));
            set.extend(affecting);
        } else {
            database_hood(g, d, &mut set);
        }
    }
    // Tasks bring the tasks they wait for; every shown procedure, database or task its agency.
    let mut stack: Vec<Node> = set.iter().copied().filter(|n| matches!(n, Node::Task(_))).collect();
    while let Some(t) = stack.pop() {
        for dep in g.out(t, Edge::DependsOn) {
            if set.insert(dep) {
                stack.push(dep);
            }
        }
    }
    let owned: Vec<Node> = set.iter().copied().filter(|n| matches!(n, Node::Procedure(_) | Node::Database(_) | Node::Task(_))).collect();
    for n in owned {
        set.extend(g.into(n, Edge::Owns));
    }
    Ok(set)
}

/// Edges between selected nodes, sorted by (source, target, kind).
fn edges(g: &Graph, set: &BTreeSet<Node>) -> Vec<(Node, Node, Edge)> {
    let mut v: Vec<(Node, Node, Edge)> = g
        .graph
        .edge_references()
        .map(|e| (g.graph[e.source()], g.graph[e.target()], *e.weight()))
        .filter(|(a, b, _)| set.contains(a) && set.contains(b))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The graph (or the filtered part of it) in `format`.
pub fn export(ws: &Workspace, a: &Analysis, g: &Graph, format: GraphFormat, filter: &Filter, lang: Lang) -> Result<String, FilterError> {
    let set = select(ws, g, filter)?;
    let infos: BTreeMap<Node, Info> = set.iter().map(|&n| (n, info(ws, a, n, lang))).collect();
    let edges = edges(g, &set);
    Ok(match format {
        GraphFormat::Dot => dot(&infos, &edges),
        GraphFormat::Mermaid => mermaid(&infos, &edges),
        GraphFormat::Graphml => graphml(&infos, &edges),
    })
}

fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn dot(infos: &BTreeMap<Node, Info>, edges: &[(Node, Node, Edge)]) -> String {
    let mut out = String::from(
        "digraph paperwork {\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=10, style=filled];\n  edge [fontname=\"sans-serif\", fontsize=8, color=\"#607d8b\"];\n",
    );
    for i in infos.values() {
        let shape = match i.kind {
            "procedure" => "box",
            "component" => "box",
            "document" => "note",
            "fact" => "ellipse",
            "database" => "cylinder",
            "agency" => "house",
            _ => "cds",
        };
        let style = match (i.kind, i.status) {
            ("component", _) => "filled,rounded",
            (_, "building") => "filled,dashed",
            (_, "planned") => "filled,dotted",
            (_, "locked") => "filled,bold",
            _ => "filled",
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\", shape={shape}, style=\"{style}\", fillcolor=\"{}\", class=\"{} {}\"];",
            dot_escape(&i.id),
            dot_escape(&i.label),
            fill(i.kind, i.status),
            i.kind,
            i.status
        );
    }
    for (a, b, e) in edges {
        let style = match e {
            Edge::DependsOn | Edge::Affects => ", style=dashed",
            Edge::Serves => ", color=\"#2e7d32\"",
            _ => "",
        };
        let _ =
            writeln!(out, "  \"{}\" -> \"{}\" [label=\"{}\"{style}];", dot_escape(&infos[a].id), dot_escape(&infos[b].id), edge_name(*e));
    }
    out.push_str("}\n");
    out
}

fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '\n' => out.push_str("<br/>"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn mermaid(infos: &BTreeMap<Node, Info>, edges: &[(Node, Node, Edge)]) -> String {
    // Mermaid ids must be plain words: number the nodes in their sorted order.
    let ids: BTreeMap<Node, String> = infos.keys().enumerate().map(|(i, n)| (*n, format!("n{i}"))).collect();
    let mut out = String::from("flowchart LR\n");
    let mut classes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (n, i) in infos {
        let id = &ids[n];
        let l = mermaid_escape(&i.label);
        let shape = match i.kind {
            "procedure" => format!("{id}[\"{l}\"]"),
            "component" => format!("{id}(\"{l}\")"),
            "document" => format!("{id}[/\"{l}\"/]"),
            "fact" => format!("{id}>\"{l}\"]"),
            "database" => format!("{id}[(\"{l}\")]"),
            "agency" => format!("{id}{{{{\"{l}\"}}}}"),
            _ => format!("{id}[[\"{l}\"]]"),
        };
        let _ = writeln!(out, "  {shape}");
        let class = if i.status.is_empty() { i.kind.to_string() } else { format!("{}_{}", i.kind, i.status) };
        classes.entry(class).or_default().push(id);
    }
    for (a, b, e) in edges {
        let arrow = if matches!(e, Edge::DependsOn | Edge::Affects) { "-.->" } else { "-->" };
        let _ = writeln!(out, "  {} {arrow}|{}| {}", ids[a], edge_name(*e), ids[b]);
    }
    for (class, members) in &classes {
        let (kind, status) = class.split_once('_').unwrap_or((class.as_str(), ""));
        let dash = match status {
            "building" => ",stroke-dasharray:5 3",
            "planned" => ",stroke-dasharray:2 2",
            _ => "",
        };
        let _ = writeln!(out, "  classDef {class} fill:{},stroke:#455a64{dash}", fill(kind, status));
        let _ = writeln!(out, "  class {} {class}", members.join(","));
    }
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn graphml(infos: &BTreeMap<Node, Info>, edges: &[(Node, Node, Edge)]) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"status\" for=\"node\" attr.name=\"status\" attr.type=\"string\"/>\n",
        "  <key id=\"fill\" for=\"node\" attr.name=\"fill\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <graph id=\"paperwork\" edgedefault=\"directed\">\n",
    ));
    for i in infos.values() {
        let _ = writeln!(
            out,
            "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data><data key=\"status\">{}</data><data key=\"fill\">{}</data></node>",
            xml_escape(&i.id),
            i.kind,
            xml_escape(&i.label),
            i.status,
            fill(i.kind, i.status)
        );
    }
    for (k, (a, b, e)) in edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\"><data key=\"edge_kind\">{}</data></edge>",
            xml_escape(&infos[a].id),
            xml_escape(&infos[b].id),
            edge_name(*e)
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
