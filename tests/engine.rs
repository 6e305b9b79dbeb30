//! Classification and the roadmap (docs/format.md) on a hand-worked fixture, plus properties.

use paperwork::engine::classify::{Reason, Status};
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{AnalysisReport, analysis_report, roadmap_report};
use paperwork::workspace::{TaskId, Workspace};
use std::path::Path;

fn fixture(name: &str) -> Workspace {
    let loaded = load(&LoadOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.workspace
}

fn report(ws: &Workspace) -> AnalysisReport<'static> {
    let a = analyze(ws, &AnalyzeOptions::default());
    analysis_report(ws, &a, paperwork::findings::of(ws, &a)).into_owned()
}

fn component<'a>(r: &'a AnalysisReport<'a>, proc: &str, i: usize) -> &'a paperwork::report::ComponentReport<'a> {
    &r.procedures.iter().find(|p| p.id == proc).unwrap().components[i]
}

#[test]
fn every_row_of_the_classification_table() {
    let r = report(&fixture("engine"));
    let c = |p, i| component(&r, p, i);
    // kept (form)
    assert_eq!((c("1.001", 0).status, c("1.001", 0).reason), (Status::Kept, Some(Reason::Form)));
    // lookup_now, with the database named
    assert_eq!(c("1.001", 1).status, Status::LookupNow);
    assert_eq!(c("1.001", 1).lookups, vec!["pop"]);
    assert_eq!(c("1.001", 1).of.as_deref(), Some("parent"));
    // lookup_after: civil is gated by its `live` criterion until civil-live raises it
    assert_eq!(c("1.001", 2).status, Status::LookupAfter);
    assert_eq!(c("1.001", 2).lookups, vec!["civil"]);
    assert_eq!(c("1.001", 2).unlocked_by, vec!["civil-live"]);
    assert_eq!(c("1.001", 2).phase, Some(1));
    // kept (no_data)
    assert_eq!((c("1.001", 3).status, c("1.001", 3).reason), (Status::Kept, Some(Reason::NoData)));
    // kept (no_source) and its duplicate (equal sets: the later one is the duplicate)
    assert_eq!((c("1.001", 4).status, c("1.001", 4).reason), (Status::Kept, Some(Reason::NoSource)));
    assert_eq!(c("1.001", 4).missing_facts, vec!["h.exam"]);
    assert_eq!(c("1.001", 5).status, Status::Duplicate);
    assert_eq!(c("1.001", 5).duplicate_of.as_deref(), Some("health_cert"));
    // locked document, unlocked only by land-op (with its dependency) together with land-unlock
    assert_eq!(c("2.001", 0).status, Status::LookupAfter);
    assert_eq!(c("2.001", 0).unlocked_by, vec!["land-digitize", "land-op", "land-unlock"]);
    assert_eq!(c("2.001", 0).phase, Some(2));
    // one_of: needs the intersection, reports the first alternative and all of them
    assert_eq!(c("2.001", 1).status, Status::LookupNow);
    assert_eq!(c("2.001", 1).document, "passport");
    assert_eq!(c("2.001", 1).alternatives, vec!["passport", "id_card"]);
    // partial: the name is covered, convictions only for moj procedures
    assert_eq!(c("2.001", 2).status, Status::Partial);
    assert_eq!(c("2.001", 2).missing_facts, vec!["c.conviction"]);
    // a covered component is a lookup even when another component also proves its facts
    assert_eq!(c("2.001", 3).status, Status::LookupNow);
    // strict subset: the narrowed component duplicates the wider one that comes later
    assert_eq!(c("3.001", 1).status, Status::Duplicate);
    assert_eq!(c("3.001", 1).duplicate_of.as_deref(), Some("criminal_record"));
    assert_eq!(c("3.001", 2).status, Status::Partial);
}

#[test]
fn totals_and_standard_cost_model() {
    let t = report(&fixture("engine")).totals;
    assert_eq!((t.procedures, t.components), (3, 13));
    assert_eq!((t.lookup_now, t.duplicate, t.lookup_after, t.partial, t.kept), (4, 2, 2, 2, 3));
    assert_eq!((t.figures.documents_before, t.figures.documents_after_now, t.figures.documents_after_roadmap), (13, 7, 5));
    assert_eq!(
        (t.figures.submissions_before, t.figures.submissions_after_now, t.figures.submissions_after_roadmap),
        (14_000, 7_000, 5_500)
    );
    // 1.001: id_card 1000 × (1 h × 30,000 + 5,000) + duplicate health 1000 × (5 × 30,000 + 300,000)
    // 2.001: one_of → cheapest of passport (90,000) and id_card (35,000); birth_cert 500 × 70,000
    // 3.001: birth_cert 2000 × 70,000 + duplicate criminal record 2000 × 440,000
    let now = 1000.0 * 35_000.0 + 1000.0 * 450_000.0 + 500.0 * 35_000.0 + 500.0 * 70_000.0 + 2000.0 * 70_000.0 + 2000.0 * 440_000.0;
    assert_eq!(t.figures.money_saved_now, now);
    // after the roadmap: + marital 1000 × 140,000 + land 500 × 30,000
    assert_eq!(t.figures.money_saved_after_roadmap, now + 140_000_000.0 + 15_000_000.0);
    assert_eq!(t.figures.hours_saved_now, 1000.0 + 5000.0 + 500.0 + 1000.0 + 4000.0 + 16_000.0);
}

#[test]
fn roadmap_takes_the_best_ratio_then_the_tail_by_due_date() {
    let ws = fixture("engine");
    let r = roadmap_report(&ws, &analyze(&ws, &AnalyzeOptions::default()));
    let order: Vec<&str> = r.steps.iter().map(|s| s.task.as_str()).collect();
    // civil-live is the only bundle that eliminates anything alone; the land tasks unlock only together.
    assert_eq!(order, vec!["civil-live", "land-digitize", "land-op", "land-unlock"]);
    let phases: Vec<u32> = r.steps.iter().map(|s| s.phase).collect();
    // capacity 10: 2 + 4 fit phase 1; 8 opens phase 2; 1 joins it.
    assert_eq!(phases, vec![1, 1, 2, 2]);
    assert_eq!((r.steps[0].phase_start.as_str(), r.steps[0].phase_end.as_str()), ("2025-02-13", "2025-05-12"));
    assert_eq!((r.steps[2].phase_start.as_str(), r.steps[2].phase_end.as_str()), ("2025-05-13", "2025-08-12"));
    let at_risk: Vec<bool> = r.steps.iter().map(|s| s.at_risk).collect();
    assert_eq!(at_risk, vec![false, true, true, false]);
    assert_eq!(r.steps[0].unlocks.submissions, 1000);
    assert_eq!(r.steps[3].unlocks.components, 1);
    assert_eq!((r.steps[3].remaining.documents, r.steps[3].remaining.submissions), (5, 5500));
    assert_eq!((r.progress.total, r.progress.done, r.progress.routine, r.progress.in_progress, r.progress.not_started), (6, 1, 1, 1, 3));
    assert_eq!(r.progress.overdue.len(), 1);
    assert_eq!(r.progress.overdue[0].task, "land-digitize");
    assert_eq!((r.phase0.components, r.phase0.lookup_now, r.phase0.duplicate), (6, 4, 2));
}

#[test]
fn assuming_a_task_done_moves_its_components_to_now() {
    let mut ws = fixture("engine");
    let t = ws.task_ids.get("civil-live").unwrap();
    paperwork::engine::assume_done(&mut ws, &[t]);
    let r = report(&ws);
    assert_eq!(component(&r, "1.001", 2).status, Status::LookupNow);
    assert_eq!(r.totals.lookup_after, 1);
}

#[test]
fn with_every_task_done_the_roadmap_is_empty_and_every_unlock_is_a_lookup_now() {
    let mut ws = fixture("engine");
    let open: Vec<TaskId> = ws.tasks.ids().filter(|&t| paperwork::engine::roadmap::schedulable(&ws.tasks[t])).collect();
    assert!(open.len() >= 3, "the fixture plans several tasks");
    let before = report(&ws);
    paperwork::engine::assume_done(&mut ws, &open);
    let r = report(&ws);
    let rr = roadmap_report(&ws, &analyze(&ws, &AnalyzeOptions::default()));
    assert!(rr.steps.is_empty() && rr.phases.is_empty());
    assert_eq!(r.totals.lookup_after, 0);
    assert_eq!(
        (r.totals.figures.documents_after_roadmap, r.totals.figures.submissions_after_roadmap),
        (r.totals.figures.documents_after_now, r.totals.figures.submissions_after_now)
    );
    // What the roadmap unlocked is looked up now instead.
    assert_eq!(r.totals.lookup_now, before.totals.lookup_now + before.totals.lookup_after);
    assert_eq!(component(&r, "1.001", 2).status, Status::LookupNow);
    assert!(r.procedures.iter().flat_map(|p| &p.components).all(|c| c.phase.is_none() && c.unlocked_by.is_empty()));
}

#[test]
fn merged_agencies_are_attributed_from_their_merger_date() {
    let mut ws = fixture("engine");
    assert_eq!(report(&ws).procedures.iter().find(|p| p.id == "2.001").unwrap().agency, "monre");
    ws.policy.as_of = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    assert_eq!(report(&ws).procedures.iter().find(|p| p.id == "2.001").unwrap().agency, "mae");
}

#[test]
fn json_is_identical_for_any_thread_count() {
    let ws = fixture("engine");
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| paperwork::report::text::json(&report(&ws)))
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert_eq!(one, run(2));
}

#[test]
fn chains_gaps_and_interconnected_services() {
    let r = report(&fixture("chains"));
    let docs: Vec<&str> = r.chains.iter().map(|c| c.document.as_str()).collect();
    assert_eq!(docs, vec!["birth_certificate", "death_certificate"]);
    let birth = &r.chains[0];
    assert_eq!(birth.kind, paperwork::findings::ChainKind::OnceOnlyGap);
    assert_eq!(birth.recording_nowhere, vec!["birth"]);
    let askers: Vec<&str> = birth.to.iter().map(|l| l.procedure.as_str()).collect();
    assert_eq!(askers, vec!["insurance", "residence"]);
    assert_eq!(birth.submissions, 1700);
    let death = &r.chains[1];
    assert_eq!(death.kind, paperwork::findings::ChainKind::Lookup);
    assert_eq!(death.records_to, vec!["civil"]);
    assert_eq!(death.to[0].status, Status::LookupNow);
    let services: Vec<(&str, Vec<&str>)> =
        r.interconnected.iter().map(|i| (i.life_event.as_str(), i.procedures.iter().map(String::as_str).collect())).collect();
    assert_eq!(services, vec![("birth", vec!["birth", "insurance", "residence"]), ("death", vec!["death", "funeral"])]);
    // Unmet demand: the birth fact is needed by kept components and no database provides it.
    assert_eq!(r.unmet_facts.len(), 1);
    assert_eq!((r.unmet_facts[0].fact.as_str(), r.unmet_facts[0].submissions), ("person.birth", 1700));
}

#[test]
fn consolidation_candidates_across_a_merger() {
    let r = report(&fixture("consolidation"));
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    type Candidate<'a> = (&'a str, &'a str, Vec<&'a str>, Vec<&'a str>, u64);
    let got: Vec<Candidate<'_>> = r
        .consolidation
        .iter()
        .map(|c| (c.successor.as_str(), c.name.as_str(), strs(&c.procedures), strs(&c.agencies), c.submissions))
        .collect();
    assert_eq!(
        got,
        vec![
            // Name compared trimmed and in lower case, documents in any order; a merger still
            // to come counts; the successor's own procedure joins; other documents do not.
            ("dos", "Cấp giấy phép xây dựng", vec!["1.001", "1.002", "1.003"], vec!["dos", "dos1", "dos2"], 600),
            // Twins of one agency outside the merger (1.006, 1.007) are no candidate.
            ("dos", "Đăng ký đất đai", vec!["2.001", "2.002"], vec!["dos1", "dos2"], 1700),
        ]
    );
}

/// The top opportunities against a count made here the plain way: every eliminable component
/// by document and status, its procedures counted once each.
#[test]
fn opportunities_count_each_procedure_once() {
    use std::collections::{BTreeMap, BTreeSet};
    let sample = {
        let loaded = load(&LoadOptions::new(env!("CARGO_MANIFEST_DIR")));
        assert!(!loaded.has_errors());
        loaded.workspace
    };
    let mut asked_twice = false;
    for ws in [fixture("engine"), fixture("chains"), sample] {
        let r = report(&ws);
        let mut naive: BTreeMap<(String, Status), (u64, BTreeSet<&str>, u64)> = BTreeMap::new();
        for p in &r.procedures {
            for c in &p.components {
                if matches!(c.status, Status::LookupNow | Status::Duplicate | Status::LookupAfter) {
                    let e = naive.entry((c.document.to_string(), c.status)).or_default();
                    e.0 += 1;
                    e.1.insert(&p.id);
                    e.2 += p.annual_volume;
                }
            }
        }
        let mut got: Vec<_> = paperwork::report::opportunities(&r.procedures)
            .into_iter()
            .map(|o| ((o.document, o.status), (o.components, o.procedures, o.submissions)))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        let want: Vec<_> = naive.into_iter().map(|(k, (c, p, s))| (k, (c, p.len() as u64, s))).collect();
        assert!(!want.is_empty());
        assert_eq!(got, want);
        asked_twice |= want.iter().any(|(_, (c, p, _))| c > p);
    }
    // Some procedure asks for one document twice, so counting its components as procedures
    // would be caught.
    assert!(asked_twice);
}
