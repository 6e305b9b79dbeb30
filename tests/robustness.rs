//! Properties over synthetic workspaces (the generator of `benches/common`): generated
//! workspaces load without errors and analyse; any edit of one of their files (truncation,
//! deleted or doubled line, stray YAML, flipped byte, misspelt reference, misspelt key) never
//! panics, and every invalid result carries a located error.
//!
//! The same contract is what the cargo-fuzz target of `fuzz/` checks on arbitrary bytes; its
//! seed corpus is replayed here too, so `cargo test` on stable covers it.

#[path = "../benches/common/mod.rs"]
mod synth;

#[path = "../fuzz/src/lib.rs"]
mod contract;

use contract::check_files;
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::report::table::Layout;
use paperwork::report::{GroupBy, Overview, analysis_report, overview};
use paperwork::workspace::{DocId, Lang, ProcId};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::{BTreeMap, BTreeSet};

/// Consolidation candidates worked out the plain way: every procedure in a map keyed by its
/// successor agency, lower-case name and sorted documents; groups of two agencies or more.
fn consolidation_by_map(ws: &paperwork::workspace::Workspace) -> Vec<(String, Vec<String>)> {
    type Key<'a> = (&'a str, String, Vec<Vec<DocId>>);
    let mut groups: BTreeMap<Key<'_>, Vec<ProcId>> = BTreeMap::new();
    for (p, proc) in ws.procedures.iter_enumerated() {
        let succ = &ws.agencies[ws.successor(proc.agency, chrono::NaiveDate::MAX)].id;
        let name = proc.name.as_deref().or(proc.name_en.as_deref()).unwrap_or_default().trim().to_lowercase();
        let mut docs: Vec<Vec<DocId>> = proc.components.iter().map(|c| c.documents.to_vec()).collect();
        docs.sort();
        groups.entry((succ.as_str(), name, docs)).or_default().push(p);
    }
    groups
        .into_iter()
        .filter(|(_, ps)| ps.len() >= 2 && ps.iter().map(|&p| ws.procedures[p].agency).collect::<BTreeSet<_>>().len() >= 2)
        .map(|((succ, _, _), ps)| (succ.to_string(), ps.iter().map(|&p| ws.procedures[p].id.clone()).collect()))
        .collect()
}

/// The consolidation candidates of the fixture made for them, and of the sample, are the
/// plain map's (the property test below compares them on generated workspaces).
#[test]
fn consolidation_candidates_are_the_plain_maps() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("tests/fixtures/consolidation"), root.to_path_buf()] {
        let ws = paperwork::load::load(&paperwork::load::LoadOptions::new(&dir)).workspace;
        let found: Vec<(String, Vec<String>)> =
            paperwork::findings::consolidation(&ws).into_iter().map(|c| (c.successor, c.procedures)).collect();
        let expected = consolidation_by_map(&ws);
        assert!(!expected.is_empty() || dir != root.join("tests/fixtures/consolidation"));
        assert_eq!(found, expected, "{}", dir.display());
    }
}

/// Interconnected services worked out the plain way from the document's chains: for every
/// chain and every life event of one of its issuers, the issuers and askers in that event are
/// linked (if an issuer and an asker are); linked procedures of one event form a service.
fn interconnected_from_chains(
    ws: &paperwork::workspace::Workspace,
    chains: &[paperwork::findings::Chain],
) -> Vec<(String, Vec<String>, u64)> {
    let events: BTreeMap<&str, &[String]> = ws.procedures.iter().map(|p| (p.id.as_str(), p.life_events.as_slice())).collect();
    let has = |p: &str, e: &str| events[p].iter().any(|x| x == e);
    let mut links: BTreeMap<&str, Vec<(BTreeSet<&str>, u64)>> = BTreeMap::new();
    for c in chains {
        let all: BTreeSet<&str> = c.from.iter().flat_map(|p| events[p.as_str()].iter().map(String::as_str)).collect();
        for e in all {
            let issuers: BTreeSet<&str> = c.from.iter().map(String::as_str).filter(|p| has(p, e)).collect();
            let askers: Vec<&paperwork::findings::ChainLink> = c.to.iter().filter(|l| has(&l.procedure, e)).collect();
            if !issuers.is_empty() && !askers.is_empty() {
                let mut members = issuers;
                members.extend(askers.iter().map(|l| l.procedure.as_str()));
                links.entry(e).or_default().push((members, askers.iter().map(|l| l.submissions).sum()));
            }
        }
    }
    let mut out = Vec::new();
    for (e, mut sets) in links {
        // Merge links that share a procedure until none do.
        let mut merged: Vec<(BTreeSet<&str>, u64)> = Vec::new();
        while let Some((mut set, mut subs)) = sets.pop() {
            while let Some(i) = sets.iter().position(|(s, _)| !s.is_disjoint(&set)) {
                let (s, n) = sets.swap_remove(i);
                set.extend(s);
                subs += n;
            }
            match merged.iter().position(|(s, _)| !s.is_disjoint(&set)) {
                Some(i) => {
                    let (s, n) = merged.swap_remove(i);
                    set.extend(s);
                    sets.push((set, subs + n));
                }
                None => merged.push((set, subs)),
            }
        }
        let mut groups: Vec<(Vec<String>, u64)> = merged.into_iter().map(|(s, n)| (s.into_iter().map(String::from).collect(), n)).collect();
        groups.sort();
        out.extend(groups.into_iter().map(|(p, n)| (e.to_string(), p, n)));
    }
    out
}

fn small() -> impl Strategy<Value = synth::Config> {
    (1usize..40, 1usize..4, 0usize..25, any::<u64>()).prop_map(|(procedures, files, tasks, seed)| synth::Config {
        procedures,
        files,
        tasks,
        seed,
    })
}

/// One edit of one file.
#[derive(Debug, Clone)]
enum Edit {
    /// Cut the file at a point.
    Truncate,
    /// Delete a line.
    DeleteLine,
    /// Write a line twice.
    DoubleLine,
    /// Insert a snippet at a line start or inside a line.
    Insert(&'static str),
    /// XOR one byte.
    Flip(u8),
    /// Misspell a reference (an id named under a key that refers to another entry).
    Dangling,
    /// Misspell a key.
    UnknownKey,
}

const SNIPPETS: &[&str] = &[
    "\t",
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a ",
    "*missing ",
    "!!binary ",
    "? ",
    "#",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "- - - -",
    "x: [",
    "<<: *a\n",
    "\u{FEFF}",
    "\u{0}",
    "%YAML 1.1\n",
    "@",
    "`",
];

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Truncate),
        Just(Edit::DeleteLine),
        Just(Edit::DoubleLine),
        proptest::sample::select(SNIPPETS).prop_map(Edit::Insert),
        (1u8..=255).prop_map(Edit::Flip),
        Just(Edit::Dangling),
        Just(Edit::UnknownKey),
    ]
}

/// Keys whose values name other entries, with how the value starts.
const REFERENCE_KEYS: &[&str] = &[
    "document: ",
    "agency: ",
    "custodian: ",
    "owner: ",
    "depends_on: [",
    "records_to: [",
    "produces: [",
    "provides: [",
    "proves: [",
    "one_of: [",
    "unlock: ",
    "database: ",
];
const KEYS: &[&str] =
    &["name_en: ", "level: ", "annual_volume: ", "status: ", "documents:", "burden: ", "quality: ", "effects:", "as_of: "];

/// Byte offsets of each line start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(|&i| i < text.len()).collect()
}

fn line_of(text: &str, at: usize) -> u32 {
    text[..at].matches('\n').count() as u32 + 1
}

/// Applies `edit` at a place chosen by `at`; returns the new bytes and, for edits that must be
/// errors, the line they are on.
fn apply(text: &str, edit: &Edit, at: Index) -> (Vec<u8>, Option<u32>) {
    let lines = line_starts(text);
    let boundary = |i: usize| (0..=i.min(text.len())).rev().find(|&j| text.is_char_boundary(j)).unwrap_or(0);
    let line = lines[at.index(lines.len())];
    let line_end = text[line..].find('\n').map_or(text.len(), |e| line + e + 1);
    let mut out = text.as_bytes().to_vec();
    match edit {
        Edit::Truncate => out.truncate(boundary(at.index(text.len() + 1))),
        Edit::DeleteLine => {
            out.drain(line..line_end);
        }
        Edit::DoubleLine => {
            let copy = out[line..line_end].to_vec();
            out.splice(line..line, copy);
        }
        Edit::Insert(s) => {
            let i = boundary(at.index(text.len() + 1));
            out.splice(i..i, s.bytes());
        }
        Edit::Flip(x) => {
            let i = at.index(out.len());
            out[i] ^= x;
        }
        Edit::Dangling => {
            let sites: Vec<usize> = REFERENCE_KEYS
                .iter()
                .flat_map(|k| text.match_indices(k).map(move |(i, _)| i + k.len()))
                // A reference starts with an id character (not a nested mapping or list).
                .filter(|&i| text[i..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
                .collect();
            if sites.is_empty() {
                return (out, None);
            }
            let start = sites[at.index(sites.len())];
            let end = start + text[start..].find([',', ']', '}', ' ', '\n']).unwrap_or(text.len() - start);
            out.splice(end..end, *b"_zz");
            return (out, Some(line_of(text, start)));
        }
        Edit::UnknownKey => {
            let sites: Vec<usize> = KEYS
                .iter()
                .flat_map(|k| text.match_indices(k).map(move |(i, _)| i + k.find(':').expect("key")))
                // Only keys, not the same words inside a quoted name.
                .filter(|&i| {
                    let before = &text[text[..i].rfind('\n').map_or(0, |n| n + 1)..i];
                    !before.contains('"')
                })
                .collect();
            if sites.is_empty() {
                return (out, None);
            }
            let colon = sites[at.index(sites.len())];
            out.splice(colon..colon, *b"x");
            return (out, Some(line_of(text, colon)));
        }
    }
    (out, None)
}

/// The fuzz target's seed corpus (hostile and tricky YAML), through the fuzz target's check.
#[test]
fn every_fuzz_corpus_input_keeps_the_contract() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/load");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).expect("corpus folder").map(|e| e.expect("entry").path()).collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "the seed corpus is in {}", dir.display());
    for p in inputs {
        let data = std::fs::read(&p).expect("read input");
        eprintln!("{}", p.display());
        contract::check(&data);
    }
}

/// A catalog large enough for reach classes with many groups, bundles that share databases,
/// and steps that add facts no waiting component needs: debug builds check every kept and
/// every fresh gain of the roadmap against a count from scratch at every round, and the plan
/// is the same on one thread as on all.
#[test]
fn a_mid_size_catalog_plans_the_same_with_every_kept_gain_checked() {
    for seed in [3, 11] {
        let s = synth::generate(&synth::Config { procedures: 600, files: 4, tasks: 120, seed });
        let files: Vec<(&str, &[u8])> = s.files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
        let loaded = check_files(&files);
        let ws = &loaded.workspace;
        let a = analyze(ws, &AnalyzeOptions::default());
        let unlocking = a.plan.steps.iter().filter(|s| s.greedy && s.unlocks.components > 0).count();
        assert!(unlocking >= 5, "seed {seed}: only {unlocking} greedy steps unlock anything");
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool");
        let alone = pool.install(|| analyze(ws, &AnalyzeOptions::default()));
        assert_eq!(a.plan.steps, alone.plan.steps, "seed {seed}");
        assert_eq!(a.plan.unlock_of, alone.plan.unlock_of, "seed {seed}");
    }
}

/// The roadmap engine keeps the fact sets of a workspace of up to 256 facts inline and spills
/// larger ones to the heap: 120 facts more (ahead of the others, so the facts in use sit past
/// the 256th) give the same plan, with every gain checked against a count from scratch.
#[test]
fn a_catalog_of_more_than_256_facts_plans_the_same() {
    let s = synth::generate(&synth::Config { procedures: 600, files: 4, tasks: 120, seed: 3 });
    let files: Vec<(&str, &[u8])> = s.files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
    let narrow = check_files(&files);
    let extra: String = (0..120).map(|i| format!("  - {{ id: aa.extra_{i:03}, name: \"extra {i}\" }}\n")).collect();
    let wide_files: Vec<(String, String)> = s
        .files
        .iter()
        .map(|(p, t)| {
            (p.clone(), if p.ends_with("facts.yaml") { t.replacen("facts:\n", &format!("facts:\n{extra}"), 1) } else { t.clone() })
        })
        .collect();
    let files: Vec<(&str, &[u8])> = wide_files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
    let wide = check_files(&files);
    let used = wide.workspace.fact_ids.get("person.full_name").expect("a fact of the generator").index();
    assert!(wide.workspace.facts.len() > 256 && used >= 120, "{} facts, a used one at {used}", wide.workspace.facts.len());
    let (a, b) = (analyze(&narrow.workspace, &AnalyzeOptions::default()), analyze(&wide.workspace, &AnalyzeOptions::default()));
    assert!(a.plan.steps.iter().any(|s| s.unlocks.components > 0), "the plan unlocks something");
    assert_eq!(a.plan.steps, b.plan.steps);
    assert_eq!(a.plan.unlocks, b.plan.unlocks);
    assert_eq!(a.plan.unlock_of, b.plan.unlock_of);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// What the generator writes loads without errors, analyses, and gives the same JSON twice,
    /// built or streamed.
    #[test]
    fn generated_workspaces_are_valid(cfg in small()) {
        let s = synth::generate(&cfg);
        let files: Vec<(&str, &[u8])> = s.files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
        let loaded = check_files(&files);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{:#?}", errors);
        prop_assert_eq!(loaded.workspace.procedures.len(), cfg.procedures);
        let ws = &loaded.workspace;
        let a = analyze(ws, &AnalyzeOptions::default());
        let first = paperwork::report::text::json(&analysis_report(ws, &a, paperwork::findings::of(ws, &a)));
        let second = paperwork::report::text::json(&{ let a = analyze(ws, &AnalyzeOptions::default()); analysis_report(ws, &a, paperwork::findings::of(ws, &a)) });
        prop_assert_eq!(&first, &second);
        // `analyze --format json` streams the document without building it: the same bytes.
        let out = paperwork::pipeline::run(ws, &AnalyzeOptions::default());
        let streamed = paperwork::report::AnalysisStream::new(ws, &a, &out.findings).write_json(Vec::new()).unwrap();
        prop_assert_eq!(first.as_bytes(), &streamed[..]);
        // Interconnected services, found on workspace positions on every core, are the plain
        // union of the chains' links per life event.
        let report = analysis_report(ws, &a, paperwork::findings::of(ws, &a));
        let found: Vec<(String, Vec<String>, u64)> =
            report.interconnected.iter().map(|i| (i.life_event.clone(), i.procedures.clone(), i.submissions)).collect();
        prop_assert_eq!(found, interconnected_from_chains(ws, &report.chains));
        // Consolidation candidates, found by a hash of each procedure's key first, are the
        // plain map's.
        let candidates: Vec<(String, Vec<String>)> = report.consolidation.iter().map(|c| (c.successor.clone(), c.procedures.clone())).collect();
        prop_assert_eq!(candidates, consolidation_by_map(ws));
        // The pipeline works out the graph's groundwork beside the analysis: the same bytes.
        let beside = paperwork::report::AnalysisStream::new(ws, &out.analysis, &out.findings).write_json(Vec::new()).unwrap();
        prop_assert_eq!(first.as_bytes(), &beside[..]);
        prop_assert_eq!(&first, &paperwork::report::text::json(&analysis_report(ws, &out.analysis, out.findings.clone())));
        // `report` writes analysis.json from the built document, its procedures on every core.
        let written = report.write_json(Vec::new()).unwrap();
        prop_assert_eq!(first.as_bytes(), &written[..]);
        // The text summary is made from the procedures' views, not the built document: the
        // same text for every grouping, in both languages and as Markdown.
        for by in [GroupBy::Procedure, GroupBy::Agency, GroupBy::Sector, GroupBy::Level, GroupBy::LifeEvent] {
            for (lang, md) in [(Lang::Vi, Layout::text(Some(100))), (Lang::En, Layout::MARKDOWN)] {
                let direct = paperwork::report::text::analysis_text(ws, &overview(ws, &a, out.findings.clone(), by, lang), lang, md);
                let of_report = paperwork::report::text::analysis_text(ws, &Overview::of_report(ws, &report, by, lang), lang, md);
                prop_assert_eq!(direct, of_report);
            }
        }
    }

    /// Any edit of one file: no panic, and every invalid result has a located error
    /// (`check_files` asserts the contract); misspelt references and keys are always errors,
    /// located in the edited file (references on the edited line).
    #[test]
    fn edits_never_panic_and_errors_are_located(cfg in small(), file in any::<Index>(), edit in edits(), at in any::<Index>()) {
        let s = synth::generate(&cfg);
        let target = file.index(s.files.len());
        let (rel, text) = &s.files[target];
        let (edited, must_fail_at) = apply(text, &edit, at);
        let files: Vec<(&str, &[u8])> = s
            .files
            .iter()
            .enumerate()
            .map(|(i, (p, t))| (p.as_str(), if i == target { edited.as_slice() } else { t.as_bytes() }))
            .collect();
        let loaded = check_files(&files);
        if let Some(line) = must_fail_at {
            let here: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.location.as_ref().is_some_and(|l| l.file == *rel))
                .collect();
            prop_assert!(!here.is_empty(), "{:?} in {} made no error there: {:#?}", edit, rel, loaded.diagnostics);
            if matches!(edit, Edit::Dangling) {
                prop_assert!(
                    here.iter().any(|d| d.location.as_ref().is_some_and(|l| l.line == line)),
                    "misspelt reference on line {} of {}, errors elsewhere: {:#?}", line, rel, here
                );
            }
        }
    }
}
