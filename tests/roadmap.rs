//! Hand-worked roadmaps (docs/format.md, The roadmap): ties, bundles sharing a dependency, a task larger than the
//! capacity, month-end phase dates, and the zero-effort rule.

use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{RoadmapReport, roadmap_report};

/// Three facts, each in its own "building" database; procedure p needs each through its own
/// document, so every database that becomes operational unlocks one component.
fn workspace(tasks: &str, policy: &str, volumes: [u64; 3]) -> RoadmapReport {
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
    rules += "agencies:\n  - { id: a }\n";
    rules += tasks;
    rules += policy;
    std::fs::write(dir.path().join("rules/r.yaml"), rules).unwrap();
    let mut procs = String::from("procedures:\n");
    for (i, v) in volumes.iter().enumerate() {
        procs += &format!("  - {{ id: p{i}, agency: a, level: commune, annual_volume: {v}, documents: [{{ document: d{} }}] }}\n", i + 1);
    }
    std::fs::write(dir.path().join("procedures/p.yaml"), procs).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let ws = loaded.workspace;
    roadmap_report(&ws, &analyze(&ws, &AnalyzeOptions::default()))
}

fn order(r: &RoadmapReport) -> Vec<&str> {
    r.steps.iter().map(|s| s.task.as_str()).collect()
}

const POLICY: &str = "policy:\n  as_of: 2025-02-13\n";

#[test]
fn ties_go_to_more_components_then_earlier_due_then_id() {
    // Equal submissions per effort: b and a tie on everything but id.
    let tasks = "tasks:\n  - { id: b, status: not_started, effort: 1, effects: [{ database: db2, status: operational }] }\n  - { id: a, status: not_started, effort: 1, effects: [{ database: db1, status: operational }] }\n";
    assert_eq!(order(&workspace(tasks, POLICY, [100, 100, 0])), vec!["a", "b"]);
    // An earlier due date wins over the id.
    let tasks = "tasks:\n  - { id: b, status: not_started, effort: 1, due: 2025-06-30, effects: [{ database: db2, status: operational }] }\n  - { id: a, status: not_started, effort: 1, due: 2025-12-31, effects: [{ database: db1, status: operational }] }\n";
    assert_eq!(order(&workspace(tasks, POLICY, [100, 100, 0])), vec!["b", "a"]);
    // A higher ratio wins over everything.
    let tasks = "tasks:\n  - { id: a, status: not_started, effort: 2, effects: [{ database: db1, status: operational }] }\n  - { id: b, status: not_started, effort: 1, effects: [{ database: db2, status: operational }] }\n";
    assert_eq!(order(&workspace(tasks, POLICY, [150, 100, 0])), vec!["b", "a"]);
}

#[test]
fn bundles_carry_their_dependencies_and_share_them() {
    // x and y both need d (effort 4). Bundle x = d + x: 300 / 5 = 60; bundle y = d + y: 200 / 5 = 40.
    // Once d is scheduled, y alone is 200 / 1 and follows; z (nothing to unlock) ends the tail.
    let tasks = "tasks:\n  - { id: d, status: not_started, effort: 4, effects: [] }\n  - { id: x, status: not_started, effort: 1, depends_on: [d], effects: [{ database: db1, status: operational }] }\n  - { id: y, status: not_started, effort: 1, depends_on: [d], effects: [{ database: db2, status: operational }] }\n  - { id: z, status: in_progress, effort: 1, effects: [] }\n";
    let r = workspace(tasks, POLICY, [300, 200, 0]);
    assert_eq!(order(&r), vec!["d", "x", "y", "z"]);
    assert!(r.steps[..3].iter().all(|s| s.greedy) && !r.steps[3].greedy);
    assert_eq!(r.steps[0].unlocks.components, 0, "the dependency itself unlocks nothing");
    assert_eq!(r.steps[1].unlocks.submissions, 300);
    // Done and routine dependencies are satisfied: they are neither scheduled nor counted.
    let tasks = "tasks:\n  - { id: d, status: done, effects: [] }\n  - { id: r, status: routine, effects: [] }\n  - { id: x, status: not_started, effort: 1, depends_on: [d, r], effects: [{ database: db1, status: operational }] }\n";
    assert_eq!(order(&workspace(tasks, POLICY, [300, 0, 0])), vec!["x"]);
}

#[test]
fn a_step_larger_than_the_capacity_fills_a_phase_alone() {
    let tasks = "tasks:\n  - { id: a, status: not_started, effort: 2, effects: [{ database: db1, status: operational }] }\n  - { id: b, status: not_started, effort: 8, effects: [{ database: db2, status: operational }] }\n  - { id: c, status: not_started, effort: 2, effects: [{ database: db3, status: operational }] }\n";
    let policy = "policy:\n  as_of: 2025-02-13\n  capacity_per_phase: 5\n  phase_months: 6\n";
    let r = workspace(tasks, policy, [1000, 1000, 100]);
    // Ratios: a 1000 / 2 = 500, b 1000 / 8 = 125, c 100 / 2 = 50.
    assert_eq!(order(&r), vec!["a", "b", "c"]);
    let phases: Vec<u32> = r.steps.iter().map(|s| s.phase).collect();
    // a (2) opens phase 1; b (8 > 5) fills phase 2 alone; c cannot join it and opens phase 3.
    assert_eq!(phases, vec![1, 2, 3]);
    assert_eq!((r.steps[2].phase_start.as_str(), r.steps[2].phase_end.as_str()), ("2026-02-13", "2026-08-12"));
    let r = workspace(tasks, "policy:\n  as_of: 2025-02-13\n  capacity_per_phase: 5\n", [1000, 10_000, 100]);
    // b first now (10,000 / 8 > 1000 / 2): alone in phase 1, a and c in phase 2.
    assert_eq!(order(&r), vec!["b", "a", "c"]);
    assert_eq!(r.steps.iter().map(|s| s.phase).collect::<Vec<_>>(), vec![1, 2, 2]);
}

#[test]
fn phases_keep_the_day_and_clamp_at_month_end() {
    let tasks = "tasks:\n  - { id: a, status: not_started, effort: 1, due: 2025-02-27, effects: [{ database: db1, status: operational }] }\n  - { id: b, status: not_started, effort: 1, due: 2025-03-01, effects: [{ database: db2, status: operational }] }\n";
    let policy = "policy:\n  as_of: 2025-01-31\n  capacity_per_phase: 1\n  phase_months: 1\n";
    let r = workspace(tasks, policy, [200, 100, 0]);
    let dates: Vec<(&str, &str)> = r.steps.iter().map(|s| (s.phase_start.as_str(), s.phase_end.as_str())).collect();
    // Jan 31 + 1 month = Feb 28 (clamped); + 2 months = Mar 31.
    assert_eq!(dates, vec![("2025-01-31", "2025-02-27"), ("2025-02-28", "2025-03-30")]);
    assert_eq!(r.steps.iter().map(|s| s.at_risk).collect::<Vec<_>>(), vec![false, true]);
}

#[test]
fn a_zero_effort_bundle_that_eliminates_anything_ranks_first() {
    let tasks = "tasks:\n  - { id: big, status: not_started, effort: 1, effects: [{ database: db1, status: operational }] }\n  - { id: free, status: not_started, effort: 0, effects: [{ database: db2, status: operational }] }\n";
    assert_eq!(order(&workspace(tasks, POLICY, [1_000_000, 1, 0])), vec!["free", "big"]);
}

#[test]
fn a_step_that_adds_an_alternative_source_revalues_a_bundle_that_takes_one_down() {
    // Commune procedure p needs f1 and f2: db1 gives f1 today, f2 waits for db3. Bundle b moves
    // db1 back to `building` (a migration) and opens db3: alone it loses f1 and unlocks nothing.
    // Step s opens db2 (a second source of f1, so p's coverage does not change) and db4 for the
    // central procedure q. After s, b keeps f1 through db2 and unlocks p: it must be a greedy
    // step, not left to the tail on the gain it had before s.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::create_dir_all(dir.path().join("procedures")).unwrap();
    let q = "quality: { correct: 1, sufficient: 1, clean: 1, live: 1 }";
    let rules = format!(
        "facts:\n  - {{ id: f1 }}\n  - {{ id: f2 }}\n  - {{ id: f3 }}\n\
         documents:\n  - {{ id: dp, proves: [f1, f2], burden: {{ hours: 1, cost: 0 }} }}\n  - {{ id: dq, proves: [f3], burden: {{ hours: 1, cost: 0 }} }}\n\
         databases:\n\
         \x20 - {{ id: db1, status: operational, provides: [f1], serves: [\"level:commune\"], {q} }}\n\
         \x20 - {{ id: db2, status: building, provides: [f1], serves: [\"level:commune\"], {q} }}\n\
         \x20 - {{ id: db3, status: building, provides: [f2], serves: [\"level:commune\"], {q} }}\n\
         \x20 - {{ id: db4, status: building, provides: [f3], serves: [\"level:central\"], {q} }}\n\
         agencies:\n  - {{ id: a }}\n\
         tasks:\n\
         \x20 - {{ id: b, status: not_started, effort: 1, effects: [{{ database: db1, status: building }}, {{ database: db3, status: operational }}] }}\n\
         \x20 - {{ id: s, status: not_started, effort: 1, effects: [{{ database: db2, status: operational }}, {{ database: db4, status: operational }}] }}\n\
         {POLICY}"
    );
    std::fs::write(dir.path().join("rules/r.yaml"), rules).unwrap();
    let procs = "procedures:\n  - { id: p, agency: a, level: commune, annual_volume: 100, documents: [{ document: dp }] }\n  - { id: q, agency: a, level: central, annual_volume: 500, documents: [{ document: dq }] }\n";
    std::fs::write(dir.path().join("procedures/p.yaml"), procs).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let ws = loaded.workspace;
    let r = roadmap_report(&ws, &analyze(&ws, &AnalyzeOptions::default()));
    assert_eq!(order(&r), vec!["s", "b"]);
    assert!(r.steps.iter().all(|s| s.greedy), "b unlocks p once s has run: {:#?}", r.steps);
    assert_eq!((r.steps[0].unlocks.submissions, r.steps[1].unlocks.submissions), (500, 100));
}
