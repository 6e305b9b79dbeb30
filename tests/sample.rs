//! The real sample workspace at the repository root: it loads clean, covers what the programme
//! covers, and its headline figures are pinned so an accidental change to the data or the
//! engine is noticed. When the data changes on purpose, update the figures here in the same commit.

use paperwork::diag::Code;
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{analysis_report, roadmap_report};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_has_no_errors_and_only_intended_warnings() {
    let loaded = load(&LoadOptions::new(root()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics.iter().filter(|d| d.is_error()).collect::<Vec<_>>());
    // Intended: procedures that, as of 2025-02-13, still belong to ministries merged on
    // 2025-03-01; and one warning for the imported procedures whose volume nobody estimated.
    let mut merged = 0;
    for d in &loaded.diagnostics {
        match d.code {
            Code::MergedAgency => {
                assert!(d.message.contains("2025-03-01"), "{}", d.message);
                merged += 1;
            }
            Code::MissingVolume => assert!(d.message.contains("of 686 procedures have no `annual_volume`"), "{}", d.message),
            _ => panic!("unintended warning: {} {}", d.code.as_str(), d.message),
        }
    }
    assert_eq!((merged, loaded.diagnostics.len()), (28, 29));
}

#[test]
fn the_sample_covers_the_programme() {
    let ws = load(&LoadOptions::new(root())).workspace;
    assert!(ws.procedures.len() >= 70);
    assert!(ws.facts.len() >= 100);
    assert!(ws.documents.iter().filter(|d| d.kind == paperwork::workspace::DocumentKind::Evidence).count() >= 50);
    assert!(ws.tasks.len() >= 40);
    // The 10 national databases of Decree 47/2024, the sector registers and identity channels.
    for db in [
        "population_db",
        "land_db",
        "business_db",
        "finance_db",
        "insurance_db",
        "civil_servant_db",
        "admin_procedure_db",
        "national_general_db",
        "construction_db",
        "immigration_db",
        "civil_status_db",
        "judicial_records_db",
        "driving_licence_db",
        "vehicle_registration_db",
        "ehealth_book_db",
        "vneid_level2",
        "chip_id_card",
    ] {
        assert!(ws.db_ids.get(db).is_some(), "missing database {db}");
    }
    // The population database holds the 26 fields of the Law on Identification 2023, art. 9 (at least).
    let pop = &ws.databases[ws.db_ids.get("population_db").unwrap()];
    assert!(pop.provides.count_ones(..) >= 26);
    // The March 2025 mergers, with their date.
    for (old, new) in [("mpi", "mof"), ("mot", "moc"), ("monre", "mae"), ("mic", "mst"), ("molisa", "moha")] {
        let a = &ws.agencies[ws.agency_ids.get(old).unwrap()];
        assert_eq!(a.merged_into.map(|m| ws.agencies[m].id.as_str()), Some(new));
        assert_eq!(a.merged_on.map(|d| d.to_string()).as_deref(), Some("2025-03-01"));
    }
    // Both interconnected groups, chained through `produces` and `records_to`.
    for id in [
        "lt.birth.registration",
        "lt.birth.permanent_residence",
        "lt.birth.health_insurance",
        "lt.death.registration",
        "lt.death.residence_deregistration",
        "lt.death.funeral_allowance",
    ] {
        assert!(ws.proc_ids.get(id).is_some(), "missing {id}");
    }
    assert_eq!(ws.policy.as_of.to_string(), "2025-02-13");
}

#[test]
fn the_sample_headline_figures_are_pinned() {
    let ws = load(&LoadOptions::new(root())).workspace;
    let a = analyze(&ws, &AnalyzeOptions::default());
    let t = &analysis_report(&ws, &a, paperwork::findings::of(&ws, &a)).totals;
    assert_eq!((t.procedures, t.components), (686, 2553));
    assert_eq!((t.lookup_now, t.duplicate, t.lookup_after, t.partial, t.kept), (275, 56, 75, 133, 2014));
    assert_eq!((t.figures.documents_before, t.figures.documents_after_now, t.figures.documents_after_roadmap), (2553, 2222, 2147));
    assert_eq!(
        (t.figures.submissions_before, t.figures.submissions_after_now, t.figures.submissions_after_roadmap),
        (381_486_000, 250_582_000, 214_591_000)
    );
    assert_eq!((t.figures.hours_saved_now, t.figures.hours_saved_after_roadmap), (110_283_900.0, 142_906_400.0));
    assert_eq!((t.figures.money_saved_now, t.figures.money_saved_after_roadmap), (4_809_074_000_000.0, 6_547_280_000_000.0));
    let r = roadmap_report(&ws, &a);
    assert_eq!(r.steps.len(), 38);
    assert_eq!(r.steps[0].task, "vehicle-origin-link");
    assert_eq!(r.phases.len(), 6);
    assert_eq!((r.progress.total, r.progress.done, r.progress.routine), (57, 14, 5));
    assert_eq!(r.progress.overdue.len(), 14);
    assert_eq!(r.steps.last().unwrap().remaining.documents, t.figures.documents_after_roadmap);
}

/// Every agency's successor worked out at once (one walk per chain of mergers) is the one
/// walked agency by agency, before, on and after the sample's mergers.
#[test]
fn successors_at_once_are_those_walked_one_by_one() {
    let ws = load(&LoadOptions::new(root())).workspace;
    assert!(ws.agencies.iter().filter(|a| a.merged_into.is_some()).count() >= 5, "the sample records mergers");
    for date in
        ["2020-01-01", "2025-02-13", "2025-03-01", "2026-01-01"].map(|d| d.parse().unwrap()).into_iter().chain([chrono::NaiveDate::MAX])
    {
        let one_by_one: Vec<_> = ws.agencies.ids().map(|a| ws.successor(a, date)).collect();
        assert_eq!(ws.successors(date).into_raw(), one_by_one, "as of {date}");
    }
}
