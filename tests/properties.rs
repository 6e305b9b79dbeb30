//! Properties over generated workspaces: monotone in the data landscape, ordered counts, the
//! roadmap eliminates exactly the `lookup_after` set, no panics on any generated input.

use paperwork::engine::classify::Status;
use paperwork::engine::lookup::{Reach, State};
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::analysis_report;
use paperwork::workspace::Workspace;
use proptest::prelude::*;

const FACTS: usize = 6;

#[derive(Debug, Clone)]
struct Gen {
    docs: Vec<(Vec<usize>, bool, bool)>,     // proves, form, locked
    dbs: Vec<(Vec<usize>, u8, u8, [u8; 4])>, // provides, status, serves, quality ×10
    procs: Vec<(u8, Vec<Vec<usize>>, u32)>,  // level, components (doc indexes; ≥2 = one_of), volume
    tasks: Vec<(u8, usize, usize, u8)>,      // status, effect kind, target, dependency
    task_dbs: usize,                         // databases tasks may target (stable when one is added)
}

fn facts() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::btree_set(0..FACTS, 0..4).prop_map(|s| s.into_iter().collect())
}

fn workspaces() -> impl Strategy<Value = Gen> {
    let docs = proptest::collection::vec((facts(), prop::bool::weighted(0.1), prop::bool::weighted(0.15)), 1..6);
    let dbs = proptest::collection::vec((facts(), 0u8..3, 0u8..4, [5u8..11, 5u8..11, 5u8..11, 5u8..11]), 0..4);
    let procs =
        proptest::collection::vec((0u8..3, proptest::collection::vec(proptest::collection::vec(0usize..6, 1..3), 0..5), 0u32..1000), 1..5);
    let tasks = proptest::collection::vec((0u8..4, 0usize..5, 0usize..6, 0u8..6), 0..5);
    (docs, dbs, procs, tasks).prop_map(|(docs, dbs, procs, tasks)| Gen { task_dbs: dbs.len(), docs, dbs, procs, tasks })
}

const LEVELS: [&str; 3] = ["central", "province", "commune"];
const STATUS: [&str; 3] = ["planned", "building", "operational"];
const SERVES: [&str; 4] = ["all", "level:commune", "level:central", "sector:s0"];
const TASK_STATUS: [&str; 4] = ["not_started", "in_progress", "routine", "done"];

fn list(v: &[usize], prefix: &str) -> String {
    v.iter().map(|i| format!("{prefix}{i}")).collect::<Vec<_>>().join(", ")
}

impl Gen {
    fn write(&self, dir: &std::path::Path) {
        let nd = self.docs.len();
        let mut r = String::from("facts:\n");
        for f in 0..FACTS {
            r += &format!("  - {{ id: f{f} }}\n");
        }
        r += "documents:\n";
        for (i, (p, form, locked)) in self.docs.iter().enumerate() {
            r += &format!("  - {{ id: d{i}, proves: [{}], burden: {{ hours: 1, cost: {} }}", list(p, "f"), i * 10);
            if *form {
                r += ", kind: form";
            }
            if *locked {
                r += ", lock: { basis: law }";
            }
            r += " }\n";
        }
        r += if self.dbs.is_empty() { "agencies:\n  - { id: a }\ndatabases: []\n" } else { "agencies:\n  - { id: a }\ndatabases:\n" };
        for (i, (p, s, sv, q)) in self.dbs.iter().enumerate() {
            r += &format!(
                "  - {{ id: db{i}, status: {}, provides: [{}], serves: [\"{}\"], quality: {{ correct: {}, sufficient: {}, clean: {}, live: {} }} }}\n",
                STATUS[*s as usize],
                list(p, "f"),
                SERVES[*sv as usize],
                f64::from(q[0]) / 10.0,
                f64::from(q[1]) / 10.0,
                f64::from(q[2]) / 10.0,
                f64::from(q[3]) / 10.0
            );
        }
        r += if self.tasks.is_empty() { "tasks: []\n" } else { "tasks:\n" };
        for (i, (s, kind, target, dep)) in self.tasks.iter().enumerate() {
            // Done tasks would need their effects reflected; keep them effect-free.
            let status = TASK_STATUS[*s as usize];
            let effect = if self.task_dbs == 0 || status == "done" {
                if status == "done" { String::new() } else { format!("{{ unlock: d{} }}", target % nd) }
            } else {
                let db = target % self.task_dbs;
                match kind {
                    0 => format!("{{ database: db{db}, status: operational }}"),
                    1 => format!("{{ database: db{db}, serves: [all] }}"),
                    2 => format!("{{ database: db{db}, provides: [f{}] }}", target % FACTS),
                    3 => format!("{{ database: db{db}, quality: {{ correct: 1, sufficient: 1, clean: 1, live: 1 }} }}"),
                    _ => format!("{{ unlock: d{} }}", target % nd),
                }
            };
            // Only depend on earlier tasks: no cycles.
            let deps = if (*dep as usize) < i { format!("t{dep}") } else { String::new() };
            r += &format!("  - {{ id: t{i}, status: {status}, effort: {}, depends_on: [{deps}], effects: [{effect}] }}\n", (i % 3) + 1);
        }
        r += "policy:\n  as_of: 2025-02-13\n  min_quality: { correct: 0.8, sufficient: 0.8, clean: 0.8, live: 0.8 }\n  hourly_value: 100\n  capacity_per_phase: 3\n";
        let mut p = String::from("procedures:\n");
        for (i, (level, comps, vol)) in self.procs.iter().enumerate() {
            p += &format!(
                "  - id: p{i}\n    agency: a\n    level: {}\n    sector: s{}\n    annual_volume: {vol}\n    documents:{}\n",
                LEVELS[*level as usize],
                i % 2,
                if comps.is_empty() { " []" } else { "" }
            );
            for c in comps {
                let ids: Vec<usize> = c.iter().map(|d| d % nd).collect();
                if ids.len() >= 2 {
                    p += &format!("      - one_of: [{}]\n", list(&ids, "d"));
                } else {
                    p += &format!("      - document: d{}\n", ids[0]);
                }
            }
        }
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        std::fs::create_dir_all(dir.join("procedures")).unwrap();
        std::fs::write(dir.join("rules/r.yaml"), r).unwrap();
        std::fs::write(dir.join("procedures/p.yaml"), p).unwrap();
    }

    fn load(&self) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        self.write(dir.path());
        let loaded = load(&LoadOptions::new(dir.path()));
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics.iter().filter(|d| d.is_error()).collect::<Vec<_>>());
        loaded.workspace
    }
}

fn per_proc_after(ws: &Workspace) -> Vec<(u64, u64, u64)> {
    let r = {
        let a = analyze(ws, &AnalyzeOptions::default());
        analysis_report(ws, &a, paperwork::findings::of(ws, &a))
    };
    r.procedures.iter().map(|p| (p.documents_before, p.documents_after_now, p.documents_after_roadmap)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn counts_are_ordered(g in workspaces()) {
        let ws = g.load();
        for (b, n, r) in per_proc_after(&ws) {
            prop_assert!(r <= n && n <= b);
        }
    }

    #[test]
    fn more_data_never_means_more_documents(g in workspaces(), extra in facts(), serves in 0u8..4) {
        let base = per_proc_after(&g.load());
        let mut richer = g.clone();
        richer.dbs.push((extra, 2, serves, [10, 10, 10, 10]));
        let more = per_proc_after(&richer.load());
        for (a, b) in base.iter().zip(&more) {
            prop_assert!(b.1 <= a.1 && b.2 <= a.2, "{a:?} -> {b:?}");
        }
        // Widening a database's reach to every procedure never hurts.
        if !g.dbs.is_empty() {
            let mut wider = g.clone();
            wider.dbs[0].2 = 0;
            let wide = per_proc_after(&wider.load());
            for (a, b) in base.iter().zip(&wide) {
                prop_assert!(b.1 <= a.1 && b.2 <= a.2, "{a:?} -> {b:?}");
            }
            // Nor does a database that knows one more fact.
            let mut knows_more = g.clone();
            let extra_fact = (0..FACTS).find(|f| !knows_more.dbs[0].0.contains(f));
            if let Some(f) = extra_fact {
                knows_more.dbs[0].0.push(f);
                let more = per_proc_after(&knows_more.load());
                for (a, b) in base.iter().zip(&more) {
                    prop_assert!(b.1 <= a.1 && b.2 <= a.2, "{a:?} -> {b:?}");
                }
            }
        }
        // Raising every database's quality to the top never hurts either.
        let mut better = g.clone();
        for db in &mut better.dbs { db.3 = [10, 10, 10, 10]; }
        let best = per_proc_after(&better.load());
        for (a, b) in base.iter().zip(&best) {
            prop_assert!(b.1 <= a.1 && b.2 <= a.2, "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn the_roadmap_eliminates_exactly_the_lookup_after_set(g in workspaces()) {
        let ws = g.load();
        let a = analyze(&ws, &AnalyzeOptions::default());
        // Apply every schedulable task, in any order: effects only add, so the end state is the same.
        let mut state = State::initial(&ws);
        for t in ws.tasks.iter().filter(|t| paperwork::engine::roadmap::schedulable(t)) {
            state.apply_task(t);
        }
        prop_assert_eq!(&state, &a.plan.final_state);
        let reach = Reach::new(&ws);
        for (p, cls) in a.classes.iter_enumerated() {
            let usable = reach.usable_dbs(&ws, &state, p);
            let cov = paperwork::engine::lookup::covered(&ws, &state, &usable);
            for (i, c) in cls.iter().enumerate() {
                let comp = &ws.procedures[p].components[i];
                let needed = c.needed.to_set(ws.facts.len());
                // Classification works out needed facts as inline sets: the workspace's own answer.
                prop_assert_eq!(&needed, &ws.needed_facts(comp), "p{} c{}", p.index(), i);
                let ready = !needed.is_clear() && needed.is_subset(&cov) && !state.is_locked(comp) && !ws.is_form(comp);
                if !c.status.eliminated_now() {
                    prop_assert_eq!(ready, c.status == Status::LookupAfter, "p{} c{}", p.index(), i);
                }
            }
        }
    }

    #[test]
    fn any_thread_count_gives_the_same_json(g in workspaces()) {
        let ws = g.load();
        let run = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap()
            .install(|| paperwork::report::text::json(&{ let a = analyze(&ws, &AnalyzeOptions::default()); analysis_report(&ws, &a, paperwork::findings::of(&ws, &a)) }));
        prop_assert_eq!(run(1), run(3));
    }
}
