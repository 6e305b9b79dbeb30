//! `paperwork graph`: the graph as dot, Mermaid and GraphML, whole and filtered.

use assert_cmd::Command;
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::interop::graph_export::{Filter, GraphFormat, export};
use paperwork::load::{LoadOptions, load};
use paperwork::workspace::{Lang, ProcId, TaskId};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("paperwork").unwrap().current_dir(fixtures()).env("NO_COLOR", "1").args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn graph(extra: &[&str]) -> String {
    let mut args = vec!["-q", "-C", "engine", "graph"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    out
}

/// Node ids of a dot output.
fn dot_nodes(dot: &str) -> Vec<String> {
    dot.lines()
        .filter(|l| l.starts_with("  \"") && !l.contains(" -> "))
        .map(|l| l.trim_start().trim_start_matches('"').split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_whole_graph_as_dot() {
    let dot = graph(&[]);
    assert!(dot.starts_with("digraph paperwork {\n"));
    assert!(dot.ends_with("}\n"));
    let nodes = dot_nodes(&dot);
    for n in [
        "procedure:1.001",
        "procedure:2.001",
        "procedure:3.001",
        "component:1.001#1",
        "document:land_cert",
        "fact:p.name",
        "database:pop",
        "agency:mae",
        "task:land-op",
    ] {
        assert!(nodes.iter().any(|x| x == n), "missing {n}");
    }
    // Styled by kind and status.
    let line = |id: &str| dot.lines().find(|l| l.starts_with(&format!("  \"{id}\" ["))).unwrap().to_string();
    assert!(line("database:land").contains("shape=cylinder") && line("database:land").contains("dashed"), "building database");
    assert!(line("component:1.001#2").contains("lookup_now"));
    assert!(line("component:1.001#3").contains("lookup_after"));
    assert!(line("document:land_cert").contains("locked"));
    assert!(line("task:land-op").contains("in_progress"));
    for e in ["requires", "is_a", "proves", "provides", "produces", "serves", "owns", "depends_on", "affects"] {
        assert!(dot.contains(&format!("[label=\"{e}\"")), "edge {e}");
    }
    assert!(dot.contains("\"task:land-op\" -> \"task:land-digitize\" [label=\"depends_on\""));
    assert_eq!(dot, graph(&[]), "deterministic");
}

#[test]
fn the_same_graph_in_every_format() {
    let dot = graph(&[]);
    let n = dot_nodes(&dot).len();
    let edges = dot.lines().filter(|l| l.contains(" -> ")).count();

    let mermaid = graph(&["--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.lines().filter(|l| l.contains("-->|") || l.contains("-.->|")).count(), edges);
    assert!(mermaid.contains("classDef component_lookup_now fill:"));
    assert!(mermaid.contains("[(\"pop\")]"), "databases are cylinders");

    let xml = graph(&["--format", "graphml"]);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml"));
    assert!(xml.ends_with("</graphml>\n"));
    assert_eq!(xml.matches("<node id=").count(), n);
    assert_eq!(xml.matches("<edge id=").count(), edges);
    assert_eq!(xml.matches("<node ").count(), xml.matches("</node>").count());
    assert!(xml.contains("<node id=\"procedure:1.001\"><data key=\"kind\">procedure</data>"));
}

#[test]
fn filter_by_procedure() {
    let dot = graph(&["--procedure", "2.001"]);
    let nodes = dot_nodes(&dot);
    let has = |n: &str| nodes.iter().any(|x| x == n);
    assert!(has("procedure:2.001") && has("component:2.001#1") && has("document:land_cert") && has("fact:land.owner"));
    assert!(has("database:land") && has("task:land-op") && has("task:land-unlock"), "what unlocks it");
    assert!(has("task:land-digitize"), "dependencies of shown tasks");
    assert!(has("agency:monre"), "owner");
    assert!(!has("procedure:1.001") && !has("procedure:3.001") && !has("component:1.001#1"));
    assert!(!has("task:civil-live"), "tasks that change nothing it needs");
}

#[test]
fn filter_by_life_event_and_database() {
    let nodes = dot_nodes(&graph(&["--life-event", "travel_abroad"]));
    assert!(nodes.iter().any(|x| x == "procedure:3.001"));
    assert!(!nodes.iter().any(|x| x == "procedure:1.001" || x == "procedure:2.001"));

    // judicial serves moj's procedures: 1.001, not 3.001 (mps).
    let nodes = dot_nodes(&graph(&["--database", "judicial"]));
    let has = |n: &str| nodes.iter().any(|x| x == n);
    assert!(has("database:judicial") && has("fact:c.conviction") && has("procedure:1.001") && has("agency:moj"));
    assert!(!has("procedure:3.001") && !has("database:pop"));

    // A procedure and one database: only that database is shown.
    let nodes = dot_nodes(&graph(&["--procedure", "2.001", "--database", "land"]));
    let has = |n: &str| nodes.iter().any(|x| x == n);
    assert!(has("procedure:2.001") && has("database:land") && has("task:land-op"));
    assert!(!has("database:pop") && !has("database:judicial"));
}

#[test]
fn unknown_filters_are_usage_errors() {
    let (code, _, stderr) = run(&["-q", "-C", "engine", "graph", "--procedure", "1.00l"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown procedure `1.00l`; did you mean `1.001`?"), "{stderr}");
    let (code, _, stderr) = run(&["-q", "-C", "engine", "graph", "--database", "lands"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean `land`?"), "{stderr}");
    let (code, _, stderr) = run(&["-q", "-C", "engine", "graph", "--life-event", "births"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no procedure has the life event `births`; did you mean `birth`?"), "{stderr}");
    let (code, _, stderr) = run(&["-q", "-C", "engine", "graph", "--procedure", "1.001", "--life-event", "travel_abroad"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("does not have the life event"), "{stderr}");
}

#[test]
fn labels_are_escaped_in_every_format() {
    let mut ws = load(&LoadOptions::new(fixtures().join("engine"))).workspace;
    ws.procedures[ProcId::new(0)].name = Some("A \"quoted\" <name> & #1\nline".into());
    let a = analyze(&ws, &AnalyzeOptions::default());
    let g = paperwork::findings::build(&ws, &a.reach);
    let f = Filter { procedure: Some("1.001".into()), ..Default::default() };
    let dot = export(&ws, &a, &g, GraphFormat::Dot, &f, Lang::Vi).unwrap();
    assert!(dot.contains(r#"label="1.001\nA \"quoted\" <name> & #1\nline""#), "{dot}");
    let mermaid = export(&ws, &a, &g, GraphFormat::Mermaid, &f, Lang::Vi).unwrap();
    assert!(mermaid.contains("A #quot;quoted#quot; #lt;name#gt; & #35;1<br/>line"), "{mermaid}");
    let xml = export(&ws, &a, &g, GraphFormat::Graphml, &f, Lang::Vi).unwrap();
    assert!(xml.contains("A &quot;quoted&quot; &lt;name&gt; &amp; #1\nline"), "{xml}");
    // Unfiltered: every node of the graph.
    let all = export(&ws, &a, &g, GraphFormat::Graphml, &Filter::default(), Lang::Vi).unwrap();
    assert_eq!(all.matches("<node id=").count(), g.graph.node_count());
}

#[test]
fn the_node_index_walks_the_sample_sorted_and_answers_only_for_its_own_nodes() {
    use paperwork::findings::Node;
    let ws = load(&LoadOptions::new(env!("CARGO_MANIFEST_DIR"))).workspace;
    let a = analyze(&ws, &AnalyzeOptions::default());
    let g = paperwork::findings::build(&ws, &a.reach);
    let nodes: Vec<Node> = g.nodes().collect();
    assert_eq!(nodes.len(), g.graph.node_count());
    assert!(nodes.windows(2).all(|w| w[0] < w[1]), "nodes come sorted and once each");
    for &n in &nodes {
        assert_eq!(g.graph[g.index(n).expect("a node of the graph has an index")], n);
    }
    // Every procedure and component of the sample is in the graph; positions past them are not.
    let comps: usize = ws.procedures.iter().map(|p| p.components.len()).sum();
    assert_eq!(nodes.iter().filter(|n| matches!(n, Node::Component(..))).count(), comps);
    let last = ProcId::new(ws.procedures.len() - 1);
    assert!(g.index(Node::Component(last, ws.procedures[last].components.len())).is_none());
    assert!(g.index(Node::Procedure(ProcId::new(ws.procedures.len()))).is_none());
    assert!(g.index(Node::Task(TaskId::new(ws.tasks.len()))).is_none());
}
