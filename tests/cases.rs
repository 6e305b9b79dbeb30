//! Cases, several levels, names and unmapped documents (docs/format.md, Cases) on a hand-worked fixture.
//!
//! Procedure 1.000894 (1,002 dossiers a year) asks in every case for a form, an id card (looked
//! up now) and a health certificate (no source); case A (share 0.25: a quota of 250.5 dossiers)
//! for a marital certificate (after the roadmap) and an unmapped paper; cases B and C share the
//! rest ((1 − 0.25) / 2 = 0.375: 375.75 each). The largest-remainder method gives each case its
//! whole part (250 + 375 + 375 = 1,000) and the 2 dossiers left to the largest fractions (.75,
//! .75): 250, 376 and 376, which add up to 1,002 (rounding each quota would give 251 + 376 + 376
//! = 1,003). B asks again for the health certificate (a duplicate of the common one) and for
//! "the unmapped paper or a birth certificate" (a lookup: the unmapped alternative is left out);
//! C asks again for a marital certificate, which is not a duplicate of case A's: an applicant is
//! in one case only.

use paperwork::engine::classify::{Reason, Status};
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{AnalysisReport, analysis_report, roadmap_report};
use paperwork::workspace::{Level, Workspace};
use std::path::Path;

fn fixture() -> Workspace {
    let loaded = load(&LoadOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases")));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.workspace
}

fn report(ws: &Workspace) -> AnalysisReport<'static> {
    let a = analyze(ws, &AnalyzeOptions::default());
    analysis_report(ws, &a, paperwork::findings::of(ws, &a)).into_owned()
}

#[test]
fn shares_volumes_and_the_status_of_each_case_component() {
    let ws = fixture();
    let r = report(&ws);
    let p = &r.procedures[0];
    assert_eq!(p.id, "1.000894");
    let cases: Vec<(&str, f64, u64)> = p.cases.iter().map(|k| (&*k.name, k.share, k.volume)).collect();
    assert_eq!(cases, vec![("Trường hợp A", 0.25, 250), ("Trường hợp B", 0.375, 376), ("Trường hợp C", 0.375, 376)]);
    assert_eq!(p.cases.iter().map(|k| k.volume).sum::<u64>(), p.annual_volume, "the cases share out every dossier, no more");
    let seen: Vec<(&str, Option<u32>, Status, Option<Reason>)> =
        p.components.iter().map(|c| (&*c.document, c.case, c.status, c.reason)).collect();
    assert_eq!(
        seen,
        vec![
            ("form_a", None, Status::Kept, Some(Reason::Form)),
            ("id_card", None, Status::LookupNow, None),
            ("health_cert", None, Status::Kept, Some(Reason::NoSource)),
            ("marital_cert", Some(0), Status::LookupAfter, None),
            ("odd_paper", Some(0), Status::Kept, Some(Reason::Unmapped)),
            ("health_cert", Some(1), Status::Duplicate, None),
            ("odd_paper", Some(1), Status::LookupNow, None),
            ("marital_cert", Some(2), Status::LookupAfter, None),
        ]
    );
    assert_eq!(p.components[5].duplicate_of.as_deref(), Some("health_cert"));
    assert_eq!(p.components[6].alternatives, vec!["odd_paper", "birth_cert"]);
    assert_eq!(p.components[6].needed_facts, vec!["p.dob", "p.name"], "the unmapped alternative is left out");
}

#[test]
fn counts_and_money_weigh_each_component_by_its_case_volume() {
    let r = report(&fixture());
    let p = &r.procedures[0];
    // Documents count the catalog as the law lists it: 3 common + 2 + 2 + 1.
    assert_eq!((p.documents_before, p.documents_after_now, p.documents_after_roadmap), (8, 5, 3));
    // 3 × 1,002 + 2 × 250 + 2 × 376 + 376 = 3,006 + 500 + 752 + 376 = 4,634; now less the id
    // card (1,002), the duplicate (376) and the one_of (376): 2,880; after the roadmap less both
    // marital certificates (250 + 376 = 626): 2,254.
    assert_eq!(p.submissions(), [4634, 2880, 2254]);
    // id card 1,002 × (1 h × 10,000 + 5,000), health 376 × (5 h × 10,000 + 300,000), birth
    // certificate (the cheapest mapped alternative) 376 × (2 h × 10,000 + 10,000).
    assert_eq!(p.money_saved_now, 15_030_000.0 + 131_600_000.0 + 11_280_000.0);
    // Plus the marital certificates: 626 × (4 h × 10,000 + 20,000) = 37,560,000.
    assert_eq!(p.money_saved_after_roadmap, 157_910_000.0 + 37_560_000.0);
    assert_eq!((r.totals.unmapped, r.totals.forms), (1, 1));
    assert_eq!(r.totals.figures.submissions_before, 4634 + 100 + 10);
}

/// The fixture's rules with these procedures; warnings allowed, errors not.
fn with_procedures(yaml: &str) -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases/rules");
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::create_dir_all(dir.path().join("procedures")).unwrap();
    std::fs::copy(rules.join("rules.yaml"), dir.path().join("rules/rules.yaml")).unwrap();
    std::fs::write(dir.path().join("procedures/p.yaml"), yaml).unwrap();
    let loaded = load(&LoadOptions::new(dir.path()));
    assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:?}", loaded.diagnostics);
    loaded.workspace
}

/// Rounding each case's quota on its own counted more dossiers than the procedure has: 2 + 2
/// of 3, 1,000,000,002 of 1,000,000,001, 10,000,000,009 of 10,000,000,000.
#[test]
fn case_volumes_add_up_to_the_annual_volume_never_more() {
    let case = |name: &str, share: &str| format!("      - {{ name: {name}, share: {share}, documents: [{{ document: health_cert }}] }}\n");
    let procedure = |id: &str, volume: u64, shares: &[&str]| {
        let cases: String = shares.iter().enumerate().map(|(k, s)| case(&format!("Case {k}"), s)).collect();
        format!("  - id: \"{id}\"\n    agency: moj\n    level: commune\n    annual_volume: {volume}\n    cases:\n{cases}")
    };
    let yaml = format!(
        "procedures:\n{}{}{}",
        // Quotas 1.5 and 1.5: one dossier left over the whole parts, to the earlier case.
        procedure("9.1", 3, &["0.5", "0.5"]),
        // Quotas 333,333,333.633…, 333,333,333.633… and 333,333,333.733…: two left, to the
        // .733 and the first .633.
        procedure("9.2", 1_000_000_001, &["0.3333333333", "0.3333333333", "0.3333333334"]),
        // 1.0000000009 in all, within the tolerance: the quotas are scaled to the volume.
        procedure("9.3", 10_000_000_000, &["0.5000000004", "0.5000000005"]),
    );
    let r = report(&with_procedures(&yaml));
    let volumes = |id: &str| {
        let p = r.procedures.iter().find(|p| p.id == id).unwrap();
        (p.cases.iter().map(|k| k.volume).collect::<Vec<_>>(), p.submissions()[0])
    };
    assert_eq!(volumes("9.1"), (vec![2, 1], 3));
    assert_eq!(volumes("9.2"), (vec![333_333_334, 333_333_333, 333_333_334], 1_000_000_001));
    let (v, submissions) = volumes("9.3");
    assert_eq!((v.iter().sum::<u64>(), submissions), (10_000_000_000, 10_000_000_000), "{v:?}");
}

#[test]
fn the_roadmap_gains_what_the_cases_weigh() {
    let ws = fixture();
    let a = analyze(&ws, &AnalyzeOptions::default());
    let rm = roadmap_report(&ws, &a);
    assert_eq!(rm.steps.len(), 1);
    let u = &rm.steps[0].unlocks;
    // The two marital certificates: 250 + 376 dossiers, 626 × 60,000.
    assert_eq!((u.components, u.procedures, u.submissions, u.money), (2, 1, 626, 37_560_000.0));
}

#[test]
fn a_level_selector_matches_any_of_a_procedures_levels() {
    let ws = fixture();
    let r = report(&ws);
    let status = |id: &str| r.procedures.iter().find(|p| p.id == id).unwrap().components[0].status;
    // `health` serves level:other only: 2.000001 is central and other, 3.000001 central only.
    assert_eq!(status("2.000001"), Status::LookupNow);
    assert_eq!(status("3.000001"), Status::Kept);
    let p2 = r.procedures.iter().find(|p| p.id == "2.000001").unwrap();
    assert_eq!((p2.level.as_ref(), p2.levels.as_slice()), ("central", &[Level::Central, Level::Other][..]));
    let p1 = &r.procedures[0];
    assert_eq!(p1.levels, vec![Level::Province, Level::Commune], "listed in the order central, province, commune, other");
}

#[test]
fn names_result_codes_sectors_and_the_published_facts_are_loaded() {
    let ws = fixture();
    let id_card = ws.doc_ids.get("id_card").unwrap();
    assert_eq!(ws.documents[id_card].names, vec!["Chứng minh nhân dân", "Thẻ  Căn cước công dân"]);
    assert_eq!(ws.documents[ws.doc_ids.get("birth_cert").unwrap()].result_codes, vec!["KQ.G15.000001"]);
    assert_eq!(ws.agencies[ws.agency_ids.get("moj").unwrap()].names, vec!["Bo Tu phap"]);
    let civil = ws.sectors.get("civil_status").unwrap();
    assert_eq!(ws.sector_label(civil, paperwork::workspace::Lang::En), "Civil status");
    let r = report(&ws);
    assert_eq!(r.procedures[0].decision.as_deref(), Some("163/QĐ-BTP"));
    assert_eq!(r.procedures[0].legal_basis.as_ref(), ["123/2015/NĐ-CP".to_string()]);
}

#[test]
fn without_cases_a_component_weighs_the_annual_volume() {
    let r = report(&fixture());
    let p3 = r.procedures.iter().find(|p| p.id == "3.000001").unwrap();
    assert!(p3.cases.is_empty());
    assert_eq!(p3.submissions(), [10, 10, 10]);
    assert_eq!(p3.components[0].case, None);
}
