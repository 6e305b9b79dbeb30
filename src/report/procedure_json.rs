//! The procedures of the analysis document, written straight to bytes.
//!
//! `analyze --format json` on a national catalog writes half a million components, each an
//! object of thirteen keys whose values are mostly ids of facts, documents and databases.
//! Through serde every key and every id was escaped again for every component, and every list
//! was gathered into a vector first: together most of the time of writing the document. Here
//! the ids are escaped once, the keys are fixed text, and lists are written as they are read.
//! The bytes are exactly those of serializing [`crate::report::procedure_view`] with
//! `serde_json`'s pretty printer at the depth of the document's `procedures` list; the tests
//! below and the property test over generated workspaces (tests/robustness.rs) hold them equal.

use crate::engine::Analysis;
use crate::engine::classify::Class;
use crate::workspace::{AgencyId, Component, DocId, IdVec, ProcId, TaskId, Workspace};
use smallvec::SmallVec;
use std::io;

/// Ids escaped once for a whole document, and the order in which sets of them are listed.
pub struct Names {
    facts: Vec<String>,
    /// Each fact's place among the facts sorted by id: sets of facts are listed in id order.
    fact_rank: Vec<u32>,
    documents: IdVec<DocId, String>,
    databases: Vec<String>,
    database_rank: Vec<u32>,
    tasks: IdVec<TaskId, String>,
    agencies: IdVec<AgencyId, String>,
}

/// A JSON string, quotes included.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Each id's place among the ids sorted byte-wise.
fn ranks<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let ids: Vec<&str> = ids.collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by_key(|&i| ids[i]);
    let mut rank = vec![0; ids.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r as u32;
    }
    rank
}

impl Names {
    /// The names of a workspace.
    pub fn new(ws: &Workspace) -> Names {
        Names {
            facts: ws.facts.iter().map(|f| quoted(&f.id)).collect(),
            fact_rank: ranks(ws.facts.iter().map(|f| f.id.as_str())),
            documents: ws.documents.iter().map(|d| quoted(&d.id)).collect(),
            databases: ws.databases.iter().map(|d| quoted(&d.id)).collect(),
            database_rank: ranks(ws.databases.iter().map(|d| d.id.as_str())),
            tasks: ws.tasks.iter().map(|t| quoted(&t.id)).collect(),
            agencies: ws.agencies.iter().map(|a| quoted(&a.id)).collect(),
        }
    }
}

/// Where the procedure objects sit in the document: items of `procedures`, two levels in.
const PROCEDURE_FIELD: &[u8] = b"\n      ";
const PROCEDURE_END: &[u8] = b"\n    }";
const PROCEDURE_ITEM: &[u8] = b"\n        ";
const PROCEDURE_LIST_END: &[u8] = b"\n      ]";
const COMPONENT_FIELD: &[u8] = b"\n          ";
const COMPONENT_END: &[u8] = b"\n        }";
const COMPONENT_ITEM: &[u8] = b"\n            ";
const COMPONENT_LIST_END: &[u8] = b"\n          ]";

/// Any value serde_json writes on one line (numbers, strings to escape, unit variants).
fn scalar<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> io::Result<()> {
    serde_json::to_writer(out, v).map_err(io::Error::from)
}

/// `"key": ` on a line of its own: the first key of an object follows its `{`.
fn key(out: &mut Vec<u8>, margin: &[u8], first: bool, name: &str) {
    out.extend_from_slice(if first { b"{" } else { b"," });
    out.extend_from_slice(margin);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// A list of JSON texts, one a line, or `[]`.
fn list<'a>(out: &mut Vec<u8>, item: &[u8], end: &[u8], items: impl IntoIterator<Item = &'a [u8]>) {
    let mut first = true;
    for i in items {
        out.extend_from_slice(if first { b"[" } else { b"," });
        out.extend_from_slice(item);
        out.extend_from_slice(i);
        first = false;
    }
    out.extend_from_slice(if first { b"[]" } else { end });
}

/// `value` as a JSON string, or `null`.
fn optional(out: &mut Vec<u8>, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(s) => scalar(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A word of the output vocabulary (no character to escape) as a JSON string.
fn word(out: &mut Vec<u8>, w: &str) {
    out.push(b'"');
    out.extend_from_slice(w.as_bytes());
    out.push(b'"');
}

/// Procedure `p`'s object, as `serde_json` writes [`crate::report::procedure_view`] there.
pub fn write_procedure(out: &mut Vec<u8>, names: &Names, ws: &Workspace, a: &Analysis, p: ProcId) -> io::Result<()> {
    let proc = &ws.procedures[p];
    let figures = a.figures(ws, p);
    key(out, PROCEDURE_FIELD, true, "id");
    scalar(out, proc.id.as_str())?;
    key(out, PROCEDURE_FIELD, false, "name");
    scalar(out, proc.report_name())?;
    key(out, PROCEDURE_FIELD, false, "name_en");
    optional(out, proc.name_en.as_deref())?;
    key(out, PROCEDURE_FIELD, false, "agency");
    out.extend_from_slice(names.agencies[a.reach.proc_agency[p]].as_bytes());
    key(out, PROCEDURE_FIELD, false, "level");
    word(out, proc.level.as_str());
    key(out, PROCEDURE_FIELD, false, "sector");
    optional(out, proc.sector.map(|s| ws.sectors.name(s)))?;
    key(out, PROCEDURE_FIELD, false, "life_events");
    let events: Vec<String> = proc.life_events.iter().map(|e| quoted(e)).collect();
    list(out, PROCEDURE_ITEM, PROCEDURE_LIST_END, events.iter().map(|e| e.as_bytes()));
    key(out, PROCEDURE_FIELD, false, "annual_volume");
    scalar(out, &proc.annual_volume)?;
    key(out, PROCEDURE_FIELD, false, "documents_before");
    scalar(out, &figures.documents_before)?;
    key(out, PROCEDURE_FIELD, false, "documents_after_now");
    scalar(out, &figures.documents_after_now)?;
    key(out, PROCEDURE_FIELD, false, "documents_after_roadmap");
    scalar(out, &figures.documents_after_roadmap)?;
    key(out, PROCEDURE_FIELD, false, "money_saved_now");
    scalar(out, &figures.money_saved_now)?;
    key(out, PROCEDURE_FIELD, false, "money_saved_after_roadmap");
    scalar(out, &figures.money_saved_after_roadmap)?;
    key(out, PROCEDURE_FIELD, false, "components");
    if proc.components.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        for (i, (c, cl)) in proc.components.iter().zip(&a.classes[p]).enumerate() {
            out.extend_from_slice(if i == 0 { b"[" } else { b"," });
            out.extend_from_slice(PROCEDURE_ITEM);
            write_component(out, names, &proc.components, c, cl)?;
        }
        out.extend_from_slice(PROCEDURE_LIST_END);
    }
    out.extend_from_slice(PROCEDURE_END);
    Ok(())
}

/// Facts (or databases) in id order, by their rank.
fn in_rank_order(ids: impl Iterator<Item = usize>, rank: &[u32]) -> SmallVec<[usize; 16]> {
    let mut v: SmallVec<[usize; 16]> = ids.collect();
    v.sort_unstable_by_key(|&i| rank[i]);
    v
}

fn write_component(out: &mut Vec<u8>, names: &Names, all: &[Component], c: &Component, cl: &Class) -> io::Result<()> {
    let doc = |d: DocId| names.documents[d].as_bytes();
    let facts = |s: &crate::engine::facts::Facts| in_rank_order(s.ones(), &names.fact_rank);
    key(out, COMPONENT_FIELD, true, "document");
    out.extend_from_slice(doc(c.documents[0]));
    key(out, COMPONENT_FIELD, false, "of");
    optional(out, c.of.as_deref())?;
    key(out, COMPONENT_FIELD, false, "status");
    word(out, cl.status.as_str());
    key(out, COMPONENT_FIELD, false, "alternatives");
    let alternatives: &[DocId] = if c.one_of { &c.documents } else { &[] };
    list(out, COMPONENT_ITEM, COMPONENT_LIST_END, alternatives.iter().map(|&d| doc(d)));
    key(out, COMPONENT_FIELD, false, "reason");
    match cl.reason {
        Some(r) => word(out, r.as_str()),
        None => out.extend_from_slice(b"null"),
    }
    key(out, COMPONENT_FIELD, false, "needed_facts");
    list(out, COMPONENT_ITEM, COMPONENT_LIST_END, facts(&cl.needed).into_iter().map(|f| names.facts[f].as_bytes()));
    key(out, COMPONENT_FIELD, false, "lookups");
    let lookups = in_rank_order(cl.lookups.iter().map(|d| d.index()), &names.database_rank);
    list(out, COMPONENT_ITEM, COMPONENT_LIST_END, lookups.into_iter().map(|d| names.databases[d].as_bytes()));
    key(out, COMPONENT_FIELD, false, "missing_facts");
    list(out, COMPONENT_ITEM, COMPONENT_LIST_END, facts(&cl.missing).into_iter().map(|f| names.facts[f].as_bytes()));
    key(out, COMPONENT_FIELD, false, "duplicate_of");
    match cl.duplicate_of {
        Some(j) => out.extend_from_slice(doc(all[j].documents[0])),
        None => out.extend_from_slice(b"null"),
    }
    key(out, COMPONENT_FIELD, false, "unlocked_by");
    list(out, COMPONENT_ITEM, COMPONENT_LIST_END, cl.unlocked_by.iter().map(|&t| names.tasks[t].as_bytes()));
    key(out, COMPONENT_FIELD, false, "phase");
    match cl.phase {
        Some(n) => scalar(out, &n)?,
        None => out.extend_from_slice(b"null"),
    }
    key(out, COMPONENT_FIELD, false, "when");
    optional(out, c.when.as_deref())?;
    key(out, COMPONENT_FIELD, false, "copy");
    match c.copy {
        Some(k) => scalar(out, &k)?,
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(COMPONENT_END);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::classify::{Reason, Status};
    use crate::engine::{AnalyzeOptions, analyze};
    use crate::load::{LoadOptions, load};
    use std::path::Path;

    /// serde_json's words for the vocabulary written here without it.
    #[test]
    fn words_are_serde_json_s() {
        for s in Status::ALL {
            assert_eq!(format!("\"{}\"", s.as_str()), serde_json::to_string(&s).unwrap());
        }
        for r in [Reason::Form, Reason::NoData, Reason::Locked, Reason::NoSource] {
            assert_eq!(format!("\"{}\"", r.as_str()), serde_json::to_string(&r).unwrap());
        }
        for l in [crate::workspace::Level::Central, crate::workspace::Level::Province, crate::workspace::Level::Commune] {
            assert_eq!(format!("\"{}\"", l.as_str()), serde_json::to_string(l.as_str()).unwrap());
        }
    }

    /// Every procedure of the sample workspace and of every engine fixture, byte for byte.
    #[test]
    fn procedures_are_the_pretty_printers_bytes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![root.to_path_buf()];
        for dir in ["engine", "chains", "consolidation", "diff"] {
            let dir = root.join("tests/fixtures").join(dir);
            roots.push(dir.clone());
            for e in std::fs::read_dir(dir).unwrap() {
                roots.push(e.unwrap().path());
            }
        }
        roots.retain(|r| LoadOptions::new(r).procedures_dir().is_dir());
        let mut checked = 0;
        for r in roots {
            let mut opts = LoadOptions::new(&r);
            opts.cache_dir = None;
            let loaded = load(&opts);
            if loaded.has_errors() {
                continue;
            }
            let ws = loaded.workspace;
            let a = analyze(&ws, &AnalyzeOptions::default());
            let names = Names::new(&ws);
            for p in ws.procedures.ids() {
                let mut expected = Vec::new();
                crate::report::json::pretty_at(&mut expected, &crate::report::procedure_view(&ws, &a, p), 2).unwrap();
                let mut got = Vec::new();
                write_procedure(&mut got, &names, &ws, &a, p).unwrap();
                assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(expected).unwrap(), "{} procedure {p:?}", r.display());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} procedures");
    }
}
