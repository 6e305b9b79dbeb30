//! Roadmaps of tasks that depend on each other: a long chain is scheduled whole and in
//! dependency order, and a bundle orders its tasks by dependency first, then smallest id among
//! the ready ones (docs/format.md, The roadmap).

use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{RoadmapReport, roadmap_report};

/// Facts f1..f3 in "building" databases db1..db3; procedure p{i} needs document d{i}, which
/// proves f{i}, with the given volume (none when the volume is 0: db3 is then needed by no
/// one, and tasks that touch only it make nothing ready).
fn roadmap(tasks: &str, volumes: [u64; 3]) -> RoadmapReport {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::create_dir_all(dir.path().join("procedures")).unwrap();
    let mut rules = String::from("facts:\n  - { id: f1 }\n  - { id: f2 }\n  - { id: f3 }\ndocuments:\n");
    for i in 1..=3 {
        rules += &format!("  - {{ id: d{i}, proves: [f{i}], burden: {{ hours: 1, cost: 0 }} }}\n");
    }
    rules += "databases:\n";
    for i in 1..=3 {
        rules += &format!(
            "  - {{ id: db{i}, status: building, provides: [f{i}], serves: [all], quality: {{ correct: 1, sufficient: 1, clean: 1, live: 1 }} }}\n"
        );
    }
    rules += "agencies:\n  - { id: a }\ntasks:\n";
    rules += tasks;
    rules += "policy:\n  as_of: 2025-02-13\n";
    std::fs::write(dir.path().join("rules/r.yaml"), rules).unwrap();
    let mut procs = String::from("procedures:\n");
    for (i, v) in volumes.iter().enumerate().filter(|(_, v)| **v > 0) {
        procs += &format!("  - {{ id: p{i}, agency: a, level: commune, annual_volume: {v}, documents: [{{ document: d{} }}] }}\n", i + 1);
    }
    std::fs::write(dir.path().join("procedures/p.yaml"), procs).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let ws = loaded.workspace;
    roadmap_report(&ws, &analyze(&ws, &AnalyzeOptions::default()))
}

fn task(id: &str, deps: &[&str], db: &str) -> String {
    let deps = if deps.is_empty() { String::new() } else { format!(", depends_on: [{}]", deps.join(", ")) };
    format!("  - {{ id: {id}, status: not_started, effort: 1{deps}, effects: [{{ database: {db}, status: operational }}] }}\n")
}

fn order(r: &RoadmapReport) -> Vec<&str> {
    r.steps.iter().map(|s| s.task.as_str()).collect()
}

#[test]
fn a_chain_of_300_tasks_is_scheduled_whole_in_dependency_order() {
    // Listed last first, so that file order is not dependency order. Only the last task makes
    // anything ready: the greedy part takes the whole chain as one bundle.
    let n = 300;
    let mut tasks = String::new();
    for i in (1..=n).rev() {
        let dep = format!("c{:03}", i - 1);
        let deps: &[&str] = if i > 1 { &[&dep] } else { &[] };
        tasks += &task(&format!("c{i:03}"), deps, if i == n { "db1" } else { "db3" });
    }
    let r = roadmap(&tasks, [1_000, 0, 0]);
    let expected: Vec<String> = (1..=n).map(|i| format!("c{i:03}")).collect();
    assert_eq!(order(&r), expected);
    assert!(r.steps.iter().all(|s| s.greedy));
    assert_eq!(r.steps.last().unwrap().unlocks.submissions, 1_000);
}

#[test]
fn a_line_goes_by_dependency_even_against_the_ids() {
    // a1 needs a2, which needs a3: the ids run against the dependencies.
    let tasks = [task("a1", &["a2"], "db1"), task("a2", &["a3"], "db3"), task("a3", &[], "db3")].concat();
    assert_eq!(order(&roadmap(&tasks, [500, 0, 0])), vec!["a3", "a2", "a1"]);
}

#[test]
fn a_bundle_takes_the_smallest_id_among_ready_tasks() {
    // z needs y and b; y needs x. Ready at first: b and x, so b; then x, which makes y ready;
    // then z. Its bundle (400 a year for 4) beats t1's (150 for 3): t3, t2, t1 come after.
    let tasks = [
        task("z", &["y", "b"], "db1"),
        task("y", &["x"], "db3"),
        task("x", &[], "db3"),
        task("b", &[], "db3"),
        task("t1", &["t2"], "db2"),
        task("t2", &["t3"], "db3"),
        task("t3", &[], "db3"),
    ]
    .concat();
    let r = roadmap(&tasks, [400, 150, 0]);
    assert_eq!(order(&r), vec!["b", "x", "y", "z", "t3", "t2", "t1"]);
    assert_eq!(r.steps.iter().map(|s| s.unlocks.submissions).collect::<Vec<_>>(), vec![0, 0, 0, 400, 0, 0, 150]);
}

#[test]
fn tasks_that_unlock_nothing_follow_their_dependencies_in_the_tail() {
    // Nothing makes anything ready: the tail goes by id (no due dates), each task after its
    // unscheduled dependencies.
    let tasks = [task("m", &["q"], "db3"), task("n", &[], "db3"), task("q", &["r"], "db3"), task("r", &[], "db3")].concat();
    let r = roadmap(&tasks, [0, 5, 0]);
    assert_eq!(order(&r), vec!["r", "q", "m", "n"]);
    assert!(r.steps.iter().all(|s| !s.greedy));
}

#[test]
fn a_bundle_extends_its_dependency_s_bundle_as_it_stands_after_earlier_steps() {
    // m needs j and k, so its bundle goes by id: j, k, m. w and v each need only m: their
    // bundles are m's with themselves after it. a comes first (1,000 a year for 1); it changes
    // db1, which w also changes, so w's bundle is worked out again from m's, kept from the first
    // round, and taken whole (400 for 4). v makes nothing ready: the tail.
    let w = "  - { id: w, status: not_started, effort: 1, depends_on: [m], \
             effects: [{ database: db1, serves: [all] }, { database: db2, status: operational }] }\n";
    let tasks = [
        task("a", &[], "db1"),
        task("m", &["k", "j"], "db3"),
        task("j", &[], "db3"),
        task("k", &[], "db3"),
        w.to_string(),
        task("v", &["m"], "db3"),
    ]
    .concat();
    let r = roadmap(&tasks, [1_000, 400, 0]);
    assert_eq!(order(&r), vec!["a", "j", "k", "m", "w", "v"]);
    assert_eq!(r.steps.iter().map(|s| s.unlocks.submissions).collect::<Vec<_>>(), vec![1_000, 0, 0, 0, 400, 0]);
    assert_eq!(r.steps.iter().map(|s| s.greedy).collect::<Vec<_>>(), vec![true, true, true, true, true, false]);
}
