//! Over the portal records at hand (`PAPERWORK_PORTAL_DIR`, by default
//! /work/shared/data/portal/dvc), with a rough split of each dossier into rows: how many rows
//! each way of matching takes against `rules/documents.yaml` as it stands. Ignored, since the
//! records are not in the repository:
//! `cargo test --lib recognize::corpus -- --ignored --nocapture`, with `SHOW=Fuzzy,Form` to
//! list the distinct wordings matched those ways, `TOP=40` for the most frequent keys left
//! unknown or form, and `NEAR=1` for the best fuzzy score of each unmatched one (where
//! [`super::FUZZY_THRESHOLD`] was chosen).
#![allow(clippy::print_stdout)]

use super::{Entry, How, Kind, Recognizer, fold};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct RulesFile {
    documents: Vec<Doc>,
}

#[derive(serde::Deserialize)]
struct Doc {
    id: String,
    name: Option<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    result_codes: Vec<String>,
    kind: Option<String>,
}

pub(super) fn entries() -> Vec<Entry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/documents.yaml");
    let text = std::fs::read_to_string(path).expect("rules/documents.yaml");
    let file: RulesFile = serde_saphyr::from_str(&text).expect("documents.yaml parses");
    file.documents
        .into_iter()
        .map(|d| Entry {
            kind: match d.kind.as_deref() {
                Some("form") => Kind::Form,
                Some("unknown") => Kind::Unknown,
                _ => Kind::Evidence,
            },
            id: d.id,
            name: d.name,
            names: d.names,
            result_codes: d.result_codes,
        })
        .collect()
}

/// The table header the portal repeats before each case's rows.
const HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";

/// Rows of a flattened dossier table: each ends with "N bản chính" or "N bản chính,M bản
/// sao"; quantities inside the text ("(01 bản chính hoặc …)", "01 bản chính văn bản") are not ends.
pub(super) fn rough_rows(table: &str) -> Vec<(String, u32, u32)> {
    let mut rows = Vec::new();
    for part in table.split(HEADER).skip(1) {
        let mut start = 0;
        let mut from = 0;
        while let Some(found) = part[from..].find(" bản chính") {
            let at = from + found;
            from = at + " bản chính".len();
            let digits_start =
                part[..at].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |k| k + part[k..].chars().next().map_or(1, char::len_utf8));
            if digits_start == at || part[..digits_start].ends_with('(') {
                continue;
            }
            let originals: u32 = part[digits_start..at].parse().unwrap_or(0);
            let mut end = from;
            let mut copies = 0;
            let rest = &part[end..];
            if let Some(r) = rest.strip_prefix(',') {
                let n = r.chars().take_while(char::is_ascii_digit).count();
                if n > 0 && r[n..].starts_with(" bản sao") {
                    copies = r[..n].parse().unwrap_or(0);
                    end += 1 + n + " bản sao".len();
                }
            }
            let after = part[end..].trim_start();
            let inline = after.starts_with("hoặc")
                || after.starts_with(')')
                || (part[end..].starts_with(' ') && after.starts_with(|c: char| c.is_lowercase()));
            if inline {
                continue;
            }
            let wording = part[start..digits_start].trim();
            if !wording.is_empty() {
                rows.push((wording.to_owned(), originals, copies));
            }
            start = end;
            from = end;
        }
    }
    rows
}

fn record_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            record_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

pub(super) fn corpus_rows() -> Vec<(String, u32, u32)> {
    let dir = std::env::var("PAPERWORK_PORTAL_DIR").unwrap_or_else(|_| "/work/shared/data/portal/dvc".to_owned());
    let mut files = Vec::new();
    record_files(Path::new(&dir), &mut files);
    let mut rows = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let table = record.get("thanh_phan_ho_so").and_then(|v| v.as_str()).unwrap_or("");
        rows.extend(rough_rows(table));
    }
    rows
}

#[test]
#[ignore = "reads the portal records outside the repository"]
fn corpus_figures() {
    let rows = corpus_rows();
    let recognizer = Recognizer::new(entries());
    let started = std::time::Instant::now();
    let matches: Vec<_> = rows.iter().map(|(w, _, _)| recognizer.recognize(w)).collect();
    let elapsed = started.elapsed();
    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    let mut asked: BTreeMap<String, usize> = BTreeMap::new();
    for ((_, originals, copies), m) in rows.iter().zip(&matches) {
        *all.entry(format!("{:?}", m.how)).or_default() += 1;
        if originals + copies > 0 {
            *asked.entry(format!("{:?}", m.how)).or_default() += 1;
        }
    }
    println!("{} rows ({} asking for a paper), recognized in {elapsed:?}", rows.len(), asked.values().sum::<usize>());
    println!("all rows:   {all:?}");
    println!("paper rows: {asked:?}");
    let show = std::env::var("SHOW").unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    for ((w, _, _), m) in rows.iter().zip(&matches) {
        let how = format!("{:?}", m.how);
        if show.split(',').any(|s| s == how) && seen.insert(fold(w)) {
            let short: String = w.chars().take(110).collect();
            println!("{how:<12} {:.3} {:?} | {short}", m.score, m.documents);
        }
    }
    let unstable: Vec<&String> = rows.iter().map(|r| &r.0).filter(|w| fold(&super::clean(w)) != fold(w)).collect();
    assert!(unstable.is_empty(), "clean names that fold otherwise than their wording: {unstable:#?}");
    let again: Vec<_> = rows.iter().map(|(w, _, _)| recognizer.recognize(w)).collect();
    assert_eq!(again, matches, "recognition is deterministic");
    if let Some(top) = std::env::var("TOP").ok().and_then(|t| t.parse::<usize>().ok()) {
        most_frequent_unknown(&rows, &matches, top);
    }
    if std::env::var("NEAR").is_ok() {
        near_misses(&recognizer, &rows);
    }
}

/// The keys of the paper rows left unknown or form, most frequent first: what names would cover.
fn most_frequent_unknown(rows: &[(String, u32, u32)], matches: &[super::Match], top: usize) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for ((w, originals, copies), m) in rows.iter().zip(matches) {
        if originals + copies > 0 && matches!(m.how, How::Unknown | How::Form) {
            *counts.entry(format!("{:?} {}", m.how, fold(w))).or_default() += 1;
        }
    }
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (key, n) in sorted.into_iter().take(top) {
        let short: String = key.chars().take(120).collect();
        println!("{n:>4} {short}");
    }
}

/// The best fuzzy score of every distinct unmatched wording, at 0.6 and above.
fn near_misses(recognizer: &Recognizer, rows: &[(String, u32, u32)]) {
    let mut seen = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    for (w, _, _) in rows {
        let key = fold(w);
        let m = recognizer.recognize(w);
        if !matches!(m.how, How::Fuzzy | How::Form | How::Unknown) || !seen.insert(key.clone()) {
            continue;
        }
        let best = recognizer.index.all_scores(&key, super::is_form_wording(w)).into_iter().next();
        if let Some((e, score)) = best.filter(|b| b.1 >= 0.6) {
            let entry = &recognizer.entries[e as usize];
            let short: String = key.chars().take(90).collect();
            lines.push(format!("{score:.3} {:<28} | {short} || {}", entry.id, entry.name.as_deref().unwrap_or("")));
        }
    }
    lines.sort();
    for l in lines.iter().rev() {
        println!("{l}");
    }
}
