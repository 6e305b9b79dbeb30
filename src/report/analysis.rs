//! The analysis document (`analyze --format json`, `analysis.json`): one view of each
//! procedure's result, and the document written as it is made.

use crate::engine::classify::{Reason, Status};
use crate::engine::{Analysis, SCHEMA_VERSION, Totals};
use crate::findings::{self, Chain, Consolidation, Coverage, Interconnected, UnmetFact};
use crate::workspace::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// `analyze --format json`, also `analysis.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysisReport<'a> {
    /// Output schema version.
    pub schema_version: u32,
    /// Date of the databases' state.
    pub as_of: String,
    /// Currency of money figures.
    #[serde(default)]
    pub currency: String,
    /// Totals.
    pub totals: Totals,
    /// Procedures sorted by id.
    pub procedures: Vec<ProcedureReport<'a>>,
    /// Procedure chains.
    #[serde(default)]
    pub chains: Vec<Chain>,
    /// Candidate interconnected services.
    #[serde(default)]
    pub interconnected: Vec<Interconnected>,
    /// Facts no database provides, by submissions per year.
    #[serde(default)]
    pub unmet_facts: Vec<UnmetFact>,
    /// Consolidation candidates among merged agencies.
    #[serde(default)]
    pub consolidation: Vec<Consolidation>,
    /// How much of the catalog the rules understand.
    #[serde(default)]
    pub coverage: Coverage,
}

/// One procedure's result: the one view of it, serialized as it is for `analyze --format json`
/// and `analysis.json`, and read back by `diff`. Its text borrows from the workspace when it is
/// made from an analysis, so that a national catalog's half-gigabyte document is written
/// without being held as millions of small strings; read from a file, it owns its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcedureReport<'a> {
    /// Id.
    pub id: Cow<'a, str>,
    /// Name (catalog language).
    pub name: Cow<'a, str>,
    /// English name.
    #[serde(default)]
    pub name_en: Option<Cow<'a, str>>,
    /// Agency it is attributed to as of `as_of`.
    pub agency: Cow<'a, str>,
    /// Level: the first of `levels`.
    pub level: Cow<'a, str>,
    /// Every level, in the order central, province, commune, other.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Sector.
    pub sector: Option<Cow<'a, str>>,
    /// Life events.
    #[serde(default)]
    pub life_events: Cow<'a, [String]>,
    /// Dossiers per year.
    pub annual_volume: u64,
    /// Components today.
    pub documents_before: u64,
    /// After lookups now.
    pub documents_after_now: u64,
    /// After the roadmap.
    pub documents_after_roadmap: u64,
    /// Document submissions per year today (absent from older documents: then documents ×
    /// volume, see [`ProcedureReport::submissions`]).
    #[serde(default)]
    pub submissions_before: Option<u64>,
    /// Submissions per year once lookups are used.
    #[serde(default)]
    pub submissions_after_now: Option<u64>,
    /// Submissions per year after the roadmap.
    #[serde(default)]
    pub submissions_after_roadmap: Option<u64>,
    /// Money saved per year now.
    #[serde(default)]
    pub money_saved_now: f64,
    /// Money saved per year after the roadmap.
    #[serde(default)]
    pub money_saved_after_roadmap: f64,
    /// Cases, in catalog order.
    #[serde(default)]
    pub cases: Vec<CaseReport<'a>>,
    /// The ministry that publishes it, as of `as_of` (after mergers); left out when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ministry: Option<Cow<'a, str>>,
    /// Who applies, as the catalog says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicants: Option<Cow<'a, str>>,
    /// The legal documents it rests on.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub legal_basis: Cow<'a, [String]>,
    /// The decision that published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Cow<'a, str>>,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<Cow<'a, str>>,
    /// Components in catalog order: the common ones, then each case's.
    pub components: Vec<ComponentReport<'a>>,
}

/// One case of a procedure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseReport<'a> {
    /// The case as the catalog words it.
    pub name: Cow<'a, str>,
    /// Its share of the dossiers, stated or computed.
    pub share: f64,
    /// Its dossiers per year.
    pub volume: u64,
}

impl ProcedureReport<'_> {
    /// Submissions per year before, after now and after the roadmap; for a document written
    /// before they were part of it, documents × annual volume (it had no cases).
    pub fn submissions(&self) -> [u64; 3] {
        let or = |s: Option<u64>, d: u64| s.unwrap_or(d.saturating_mul(self.annual_volume));
        [
            or(self.submissions_before, self.documents_before),
            or(self.submissions_after_now, self.documents_after_now),
            or(self.submissions_after_roadmap, self.documents_after_roadmap),
        ]
    }
}

/// One component's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentReport<'a> {
    /// The document (first alternative for `one_of`).
    pub document: Cow<'a, str>,
    /// Whose document.
    pub of: Option<Cow<'a, str>>,
    /// Status.
    pub status: Status,
    /// All alternatives of `one_of`.
    pub alternatives: Vec<Cow<'a, str>>,
    /// Reason for `kept`.
    pub reason: Option<Reason>,
    /// Facts needed.
    pub needed_facts: Vec<Cow<'a, str>>,
    /// Databases looked up.
    pub lookups: Vec<Cow<'a, str>>,
    /// Facts not covered now.
    pub missing_facts: Vec<Cow<'a, str>>,
    /// The document of the component it duplicates.
    pub duplicate_of: Option<Cow<'a, str>>,
    /// Tasks that unlock it.
    pub unlocked_by: Vec<Cow<'a, str>>,
    /// Roadmap phase that unlocks it.
    pub phase: Option<u32>,
    /// The case it belongs to (index into `cases`), or null when asked in every case.
    #[serde(default)]
    pub case: Option<u32>,
    /// Condition under which it is asked.
    #[serde(default)]
    pub when: Option<Cow<'a, str>>,
    /// How it is handed in.
    #[serde(default)]
    pub copy: Option<CopyKind>,
}

/// Ids of the facts in a set, sorted.
fn facts<'a>(ws: &'a Workspace, s: &crate::engine::facts::Facts) -> Vec<Cow<'a, str>> {
    let mut v: Vec<Cow<'a, str>> = s.ones().map(|f| Cow::Borrowed(ws.facts[FactId::new(f)].id.as_str())).collect();
    v.sort_unstable();
    v
}

/// Ids of databases, sorted.
fn dbs<'a>(ws: &'a Workspace, v: &[DbId]) -> Vec<Cow<'a, str>> {
    let mut out: Vec<Cow<'a, str>> = v.iter().map(|&d| Cow::Borrowed(ws.databases[d].id.as_str())).collect();
    out.sort_unstable();
    out
}

/// Owned text, to outlive what it was borrowed from.
fn own(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

/// Owned texts of a list.
fn own_all(v: Vec<Cow<'_, str>>) -> Vec<Cow<'static, str>> {
    v.into_iter().map(own).collect()
}

impl ProcedureReport<'_> {
    /// This result with its text owned.
    pub fn into_owned(self) -> ProcedureReport<'static> {
        ProcedureReport {
            id: own(self.id),
            name: own(self.name),
            name_en: self.name_en.map(own),
            agency: own(self.agency),
            level: own(self.level),
            sector: self.sector.map(own),
            life_events: Cow::Owned(self.life_events.into_owned()),
            cases: self.cases.into_iter().map(|k| CaseReport { name: own(k.name), ..k }).collect(),
            ministry: self.ministry.map(own),
            applicants: self.applicants.map(own),
            legal_basis: Cow::Owned(self.legal_basis.into_owned()),
            decision: self.decision.map(own),
            source_url: self.source_url.map(own),
            components: self.components.into_iter().map(ComponentReport::into_owned).collect(),
            ..self
        }
    }
}

impl ComponentReport<'_> {
    /// This result with its text owned.
    pub fn into_owned(self) -> ComponentReport<'static> {
        ComponentReport {
            document: own(self.document),
            of: self.of.map(own),
            alternatives: own_all(self.alternatives),
            needed_facts: own_all(self.needed_facts),
            lookups: own_all(self.lookups),
            missing_facts: own_all(self.missing_facts),
            duplicate_of: self.duplicate_of.map(own),
            unlocked_by: own_all(self.unlocked_by),
            when: self.when.map(own),
            ..self
        }
    }
}

/// Procedure `p`'s result, borrowing its text from the workspace.
pub fn procedure_report<'a>(ws: &'a Workspace, a: &Analysis, p: ProcId) -> ProcedureReport<'a> {
    let proc = &ws.procedures[p];
    let figures = a.figures(ws, p);
    let about = proc.about.as_deref();
    let doc = |d: DocId| Cow::Borrowed(ws.documents[d].id.as_str());
    let components = proc
        .components
        .iter()
        .zip(&a.classes[p])
        .map(|(c, cl)| ComponentReport {
            document: doc(c.documents[0]),
            of: c.of.as_deref().map(Cow::Borrowed),
            status: cl.status,
            alternatives: if c.one_of { c.documents.iter().map(|&d| doc(d)).collect() } else { Vec::new() },
            reason: cl.reason,
            needed_facts: facts(ws, &cl.needed),
            lookups: dbs(ws, &cl.lookups),
            missing_facts: facts(ws, &cl.missing),
            duplicate_of: cl.duplicate_of.map(|j| doc(proc.components[j].documents[0])),
            unlocked_by: cl.unlocked_by.iter().map(|&t| Cow::Borrowed(ws.tasks[t].id.as_str())).collect(),
            phase: cl.phase,
            case: c.case,
            when: c.when.as_deref().map(Cow::Borrowed),
            copy: c.copy,
        })
        .collect();
    ProcedureReport {
        id: Cow::Borrowed(&proc.id),
        name: Cow::Borrowed(proc.report_name()),
        name_en: proc.name_en.as_deref().map(Cow::Borrowed),
        agency: Cow::Borrowed(&ws.agencies[a.reach.proc_agency[p]].id),
        level: Cow::Borrowed(proc.level().as_str()),
        levels: proc.levels.iter().collect(),
        sector: proc.sector.map(|s| Cow::Borrowed(ws.sectors.name(s))),
        life_events: Cow::Borrowed(&proc.life_events),
        annual_volume: proc.annual_volume,
        documents_before: figures.documents_before,
        documents_after_now: figures.documents_after_now,
        documents_after_roadmap: figures.documents_after_roadmap,
        submissions_before: Some(figures.submissions_before),
        submissions_after_now: Some(figures.submissions_after_now),
        submissions_after_roadmap: Some(figures.submissions_after_roadmap),
        money_saved_now: figures.money_saved_now,
        money_saved_after_roadmap: figures.money_saved_after_roadmap,
        cases: proc.cases.iter().map(|k| CaseReport { name: Cow::Borrowed(&k.name), share: k.share, volume: k.volume }).collect(),
        ministry: proc.ministry.map(|m| Cow::Borrowed(ws.agencies[ws.successor(m, ws.policy.as_of)].id.as_str())),
        applicants: about.and_then(|a| a.applicants.as_deref()).map(Cow::Borrowed),
        legal_basis: Cow::Borrowed(about.map_or(&[][..], |a| &a.legal_basis)),
        decision: about.and_then(|a| a.decision.as_deref()).map(Cow::Borrowed),
        source_url: about.and_then(|a| a.source_url.as_deref()).map(Cow::Borrowed),
        components,
    }
}

/// The analysis document of an analysis and its findings.
pub fn analysis_report<'a>(ws: &'a Workspace, a: &Analysis, g: findings::Findings) -> AnalysisReport<'a> {
    // Procedure reports are independent; an indexed parallel collect keeps their order.
    let procedures = (0..ws.procedures.len()).into_par_iter().map(|p| procedure_report(ws, a, ProcId::new(p))).collect();
    AnalysisReport {
        schema_version: SCHEMA_VERSION,
        as_of: ws.policy.as_of.to_string(),
        currency: ws.policy.currency.clone(),
        totals: a.totals.clone(),
        procedures,
        chains: g.chains,
        interconnected: g.interconnected,
        unmet_facts: g.unmet_facts,
        consolidation: g.consolidation,
        coverage: g.coverage,
    }
}

impl AnalysisReport<'_> {
    /// The document with its text owned, to outlive the workspace it was made from.
    pub fn into_owned(self) -> AnalysisReport<'static> {
        AnalysisReport { procedures: self.procedures.into_iter().map(ProcedureReport::into_owned).collect(), ..self }
    }

    /// The document as [`crate::report::text::json`] gives it, with the procedures serialized on
    /// every core.
    pub fn write_json<W: std::io::Write>(&self, w: W) -> std::io::Result<W> {
        let mut o = write_head(w, &self.as_of, &self.currency, &self.totals)?;
        o.list("procedures", self.procedures.len(), |p| &self.procedures[p])?;
        let f = Found {
            chains: &self.chains,
            interconnected: &self.interconnected,
            unmet_facts: &self.unmet_facts,
            consolidation: &self.consolidation,
            coverage: &self.coverage,
        };
        write_findings(o, f)
    }
}

/// The fields before the procedures, in the order of [`AnalysisReport`].
fn write_head<W: std::io::Write>(w: W, as_of: &str, currency: &str, totals: &Totals) -> std::io::Result<crate::report::json::Object<W>> {
    let mut o = crate::report::json::Object::new(w)?;
    o.field("schema_version", &SCHEMA_VERSION)?;
    o.field("as_of", as_of)?;
    o.field("currency", currency)?;
    o.field("totals", totals)?;
    Ok(o)
}

/// The findings as the document holds them, borrowed from a report or from the analysis's.
struct Found<'f> {
    chains: &'f [Chain],
    interconnected: &'f [Interconnected],
    unmet_facts: &'f [UnmetFact],
    consolidation: &'f [Consolidation],
    coverage: &'f Coverage,
}

/// The fields after the procedures, and the end of the document.
fn write_findings<W: std::io::Write>(mut o: crate::report::json::Object<W>, f: Found<'_>) -> std::io::Result<W> {
    // Chains are few but can be large: a document asked for by half the catalog is one chain.
    o.list_of_large("chains", f.chains)?;
    o.field("interconnected", f.interconnected)?;
    o.field("unmet_facts", f.unmet_facts)?;
    o.field("consolidation", f.consolidation)?;
    o.field("coverage", f.coverage)?;
    o.end()
}

/// The analysis document, made while it is written: the graph findings are worked out first,
/// then the procedures are made and serialized a window at a time on every core. (Worked out
/// beside the procedures, on a thread of their own, the findings slowed the procedures' windows
/// by more than they took alone.)
pub struct AnalysisStream<'a> {
    ws: &'a Workspace,
    a: &'a Analysis,
    findings: &'a findings::Findings,
}

impl AnalysisStream<'_> {
    /// Writes the document: the same bytes as [`AnalysisReport::write_json`] and
    /// [`crate::report::text::json`] of [`analysis_report`] (a test holds them equal).
    pub fn write_json<W: std::io::Write>(&self, w: W) -> std::io::Result<W> {
        let (ws, a, g) = (self.ws, self.a, self.findings);
        let mut o = write_head(w, &ws.policy.as_of.to_string(), &ws.policy.currency, &a.totals)?;
        o.list("procedures", ws.procedures.len(), |p| procedure_report(ws, a, ProcId::new(p)))?;
        let f = Found {
            chains: &g.chains,
            interconnected: &g.interconnected,
            unmet_facts: &g.unmet_facts,
            consolidation: &g.consolidation,
            coverage: &g.coverage,
        };
        write_findings(o, f)
    }
}

impl<'a> AnalysisStream<'a> {
    /// The analysis document of an analysis and its findings, to be written as it is made.
    pub fn new(ws: &'a Workspace, a: &'a Analysis, findings: &'a findings::Findings) -> Self {
        AnalysisStream { ws, a, findings }
    }
}
