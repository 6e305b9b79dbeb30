//! `paperwork explain`: why each component of a procedure got its status.

use crate::engine::Analysis;
use crate::engine::classify::Status;
use crate::engine::lookup::State;
use crate::workspace::*;
use serde::Serialize;
use std::fmt::Write as _;

/// Why one database can or cannot be used for one fact of a procedure.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCheck {
    /// Database id.
    pub database: String,
    /// Its status as of `as_of`.
    pub status: DatabaseStatus,
    /// Whether its `serves` selectors match the procedure.
    pub serves: bool,
    /// Each criterion: (name, value, minimum, passes).
    pub quality: Vec<(String, f64, f64, bool)>,
    /// Usable now for this procedure.
    pub usable: bool,
}

/// One needed fact and every database holding it.
#[derive(Debug, Clone, Serialize)]
pub struct FactCheck {
    /// Fact id.
    pub fact: String,
    /// Covered now.
    pub covered: bool,
    /// Databases that hold it.
    pub sources: Vec<SourceCheck>,
}

/// One component explained.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentExplanation {
    /// 1-based position.
    pub position: usize,
    /// Document ids (alternatives for one_of).
    pub documents: Vec<String>,
    /// Whose.
    pub of: Option<String>,
    /// The case it is asked in (None: every case).
    pub case: Option<String>,
    /// Dossiers per year that carry it: its case's, or the procedure's.
    pub volume: u64,
    /// Status.
    pub status: Status,
    /// Reason.
    pub reason: Option<String>,
    /// Lock basis, when locked now.
    pub lock: Option<String>,
    /// Facts with their sources.
    pub facts: Vec<FactCheck>,
    /// Databases looked up.
    pub lookups: Vec<String>,
    /// Duplicate of (document id).
    pub duplicate_of: Option<String>,
    /// Phase and tasks, for lookup_after.
    pub phase: Option<u32>,
    /// Tasks that unlock it.
    pub unlocked_by: Vec<String>,
    /// What would change the status.
    pub what_would_change: String,
}

/// A procedure explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Procedure id.
    pub procedure: String,
    /// Name.
    pub name: String,
    /// Agency attributed as of `as_of`.
    pub agency: String,
    /// As of.
    pub as_of: String,
    /// Components.
    pub components: Vec<ComponentExplanation>,
}

/// Explains procedure `p`, optionally only components of document `doc`.
pub fn explain(ws: &Workspace, a: &Analysis, p: ProcId, doc: Option<DocId>, lang: Lang) -> Explanation {
    let proc = &ws.procedures[p];
    let state = State::initial(ws);
    let mut comps = Vec::new();
    for (i, c) in proc.components.iter().enumerate() {
        if doc.is_some_and(|d| !c.documents.contains(&d)) {
            continue;
        }
        let cl = &a.classes[p][i];
        let mut facts = Vec::new();
        for f in cl.needed.ones() {
            let mut sources = Vec::new();
            let mut covered = false;
            for (d, db) in state.dbs.iter_enumerated() {
                if !db.provides.contains(f) {
                    continue;
                }
                let serves = db.serves.iter().any(|s| a.reach.matches(ws, s, p));
                let quality: Vec<(String, f64, f64, bool)> = (0..4)
                    .map(|k| (CRITERIA[k].to_string(), db.quality[k], ws.policy.min_quality[k], db.quality[k] >= ws.policy.min_quality[k]))
                    .collect();
                let usable = a.reach.usable(ws, db, p);
                covered |= usable;
                sources.push(SourceCheck { database: ws.databases[d].id.clone(), status: db.status, serves, quality, usable });
            }
            facts.push(FactCheck { fact: ws.facts[FactId::new(f)].id.clone(), covered, sources });
        }
        // Unmapped documents count as locked in the engine's state; that is no legal lock.
        let locked = !ws.is_unmapped(c) && state.is_locked(c);
        let lock = locked.then(|| {
            c.documents
                .iter()
                .filter_map(|&d| ws.documents[d].lock.as_ref())
                .map(|l| format!("{}{}", l.basis, l.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()))
                .next()
                .unwrap_or_default()
        });
        let missing: Vec<String> = cl.missing.ones().map(|f| ws.facts[FactId::new(f)].id.clone()).collect();
        let what_would_change = match (cl.status, cl.reason) {
            (_, Some(crate::engine::classify::Reason::Unmapped)) => {
                "map the wording to a document type: add it to the `names` of the document it is, or give this document `kind: evidence` and the facts it `proves`".to_string()
            }
            (_, Some(crate::engine::classify::Reason::Form)) => {
                "nothing: it is the applicant's own form (it can be pre-filled from the databases)".to_string()
            }
            (_, Some(crate::engine::classify::Reason::NoData)) => {
                "give the document (or the component) the facts it proves in `proves`".to_string()
            }
            (Status::LookupNow, _) => "already replaceable: the agency can stop asking for it now".to_string(),
            (Status::Duplicate, _) => "already redundant: another component of the procedure proves the same facts".to_string(),
            (Status::LookupAfter, _) => format!(
                "becomes a lookup in phase {} once {} {} done",
                cl.phase.unwrap_or(0),
                cl.unlocked_by.iter().map(|&t| ws.tasks[t].id.as_str()).collect::<Vec<_>>().join(", "),
                if cl.unlocked_by.len() == 1 { "is" } else { "are" }
            ),
            (_, Some(crate::engine::classify::Reason::Locked)) if missing.is_empty() => {
                "amend the law that demands the paper (a task with `unlock`): the data is already there".to_string()
            }
            _ => format!(
                "a usable database (operational, serving this procedure, quality at the minimum) must provide {}{}",
                missing.join(", "),
                if locked { ", and the lock must be lifted" } else { "" }
            ),
        };
        comps.push(ComponentExplanation {
            position: i + 1,
            documents: c.documents.iter().map(|&d| ws.documents[d].id.clone()).collect(),
            of: c.of.clone(),
            case: c.case.and_then(|k| proc.cases.get(k as usize)).map(|k| k.name.clone()),
            volume: proc.volume_of(c),
            status: cl.status,
            reason: cl.reason.map(|r| r.as_str().to_string()),
            lock,
            facts,
            lookups: cl.lookups.iter().map(|&d| ws.databases[d].id.clone()).collect(),
            duplicate_of: cl.duplicate_of.map(|j| ws.documents[proc.components[j].documents[0]].id.clone()),
            phase: cl.phase,
            unlocked_by: cl.unlocked_by.iter().map(|&t| ws.tasks[t].id.clone()).collect(),
            what_would_change,
        });
    }
    Explanation {
        procedure: proc.id.clone(),
        name: Workspace::label(&proc.id, proc.name.as_deref(), proc.name_en.as_deref(), lang).to_string(),
        agency: ws.agencies[a.reach.proc_agency[p]].id.clone(),
        as_of: ws.policy.as_of.to_string(),
        components: comps,
    }
}

/// Renders an explanation as text.
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} ({}), as of {}\n", e.procedure, e.name, e.agency, e.as_of);
    for c in &e.components {
        let docs = if c.documents.len() > 1 { format!("one of {}", c.documents.join(" | ")) } else { c.documents[0].clone() };
        let of = c.of.as_ref().map(|o| format!(" (of {o})")).unwrap_or_default();
        let reason = c.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
        let _ = writeln!(out, "{}. {docs}{of}: {}{reason}", c.position, c.status.as_str());
        if let Some(k) = &c.case {
            let _ = writeln!(out, "   in the case “{k}”: {} dossiers a year", crate::report::text::thousands(c.volume));
        }
        if let Some(l) = &c.lock {
            let _ = writeln!(out, "   locked: {l}");
        }
        for f in &c.facts {
            let mark = if f.covered { "✓" } else { "✗" };
            let _ = writeln!(out, "   {mark} {}", f.fact);
            if f.sources.is_empty() {
                let _ = writeln!(out, "       no database holds it");
            }
            for s in &f.sources {
                let q: Vec<String> =
                    s.quality.iter().map(|(n, v, m, ok)| format!("{n} {v:.2}{}{m:.2}", if *ok { "≥" } else { "<" })).collect();
                let _ = writeln!(
                    out,
                    "       {} {}: {}, {}, {}",
                    if s.usable { "usable" } else { "not usable" },
                    s.database,
                    format!("{:?}", s.status).to_lowercase(),
                    if s.serves { "serves this procedure" } else { "does not serve this procedure" },
                    q.join(", ")
                );
            }
        }
        if !c.lookups.is_empty() {
            let _ = writeln!(out, "   lookups: {}", c.lookups.join(", "));
        }
        if let Some(d) = &c.duplicate_of {
            let _ = writeln!(out, "   duplicate of: {d}");
        }
        let _ = writeln!(out, "   → {}\n", c.what_would_change);
    }
    out
}
