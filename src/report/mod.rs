//! Findings as output data: the JSON documents of SPEC §6–7, built from an [`Analysis`].
//!
//! Everything here is sorted and uses ids as text; renderers in [`crate::report::text`] only format.

pub mod explain;
pub mod folder;
pub mod html;
pub mod json;
pub mod table;
pub mod text;

use crate::engine::classify::{Reason, Status};
use crate::engine::figures::Figures;
use crate::engine::roadmap::{Progress, Remaining, Unlocks};
use crate::engine::{Analysis, SCHEMA_VERSION, Totals};
use crate::findings::{self, Chain, Consolidation, Interconnected, UnmetFact};
use crate::workspace::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

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
    /// Level.
    pub level: Cow<'a, str>,
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
    /// Money saved per year now.
    #[serde(default)]
    pub money_saved_now: f64,
    /// Money saved per year after the roadmap.
    #[serde(default)]
    pub money_saved_after_roadmap: f64,
    /// Components in catalog order.
    pub components: Vec<ComponentReport<'a>>,
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
            when: c.when.as_deref().map(Cow::Borrowed),
            copy: c.copy,
        })
        .collect();
    ProcedureReport {
        id: Cow::Borrowed(&proc.id),
        name: Cow::Borrowed(proc.report_name()),
        name_en: proc.name_en.as_deref().map(Cow::Borrowed),
        agency: Cow::Borrowed(&ws.agencies[a.reach.proc_agency[p]].id),
        level: Cow::Borrowed(proc.level.as_str()),
        sector: proc.sector.map(|s| Cow::Borrowed(ws.sectors.name(s))),
        life_events: Cow::Borrowed(&proc.life_events),
        annual_volume: proc.annual_volume,
        documents_before: figures.documents_before,
        documents_after_now: figures.documents_after_now,
        documents_after_roadmap: figures.documents_after_roadmap,
        money_saved_now: figures.money_saved_now,
        money_saved_after_roadmap: figures.money_saved_after_roadmap,
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
        write_findings(o, &self.chains, &self.interconnected, &self.unmet_facts, &self.consolidation)
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

/// The fields after the procedures, and the end of the document.
fn write_findings<W: std::io::Write>(
    mut o: crate::report::json::Object<W>,
    chains: &[Chain],
    interconnected: &[Interconnected],
    unmet_facts: &[UnmetFact],
    consolidation: &[Consolidation],
) -> std::io::Result<W> {
    // Chains are few but can be large: a document asked for by half the catalog is one chain.
    o.list_of_large("chains", chains)?;
    o.field("interconnected", interconnected)?;
    o.field("unmet_facts", unmet_facts)?;
    o.field("consolidation", consolidation)?;
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
        write_findings(o, &g.chains, &g.interconnected, &g.unmet_facts, &g.consolidation)
    }
}

impl<'a> AnalysisStream<'a> {
    /// The analysis document of an analysis and its findings, to be written as it is made.
    pub fn new(ws: &'a Workspace, a: &'a Analysis, findings: &'a findings::Findings) -> Self {
        AnalysisStream { ws, a, findings }
    }
}

/// `roadmap --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapReport {
    /// Output schema version.
    pub schema_version: u32,
    /// Start of phase 1.
    pub as_of: String,
    /// Currency of money figures.
    pub currency: String,
    /// What needs only a decision to stop asking.
    pub phase0: Phase0,
    /// Steps in order.
    pub steps: Vec<StepReport>,
    /// Phases with their steps' totals.
    pub phases: Vec<PhaseReport>,
    /// Task progress.
    pub progress: ProgressReport,
}

/// Phase 0: `lookup_now` and `duplicate` components.
#[derive(Debug, Clone, Serialize)]
pub struct Phase0 {
    /// Components eliminated by a decision alone.
    pub components: u64,
    /// Of which lookups.
    pub lookup_now: u64,
    /// Of which duplicates.
    pub duplicate: u64,
    /// Distinct procedures.
    pub procedures: u64,
    /// Submissions per year.
    pub submissions: u64,
    /// Money per year.
    pub money: f64,
}

/// One step.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// Task id.
    pub task: String,
    /// Title.
    pub title: String,
    /// Owner agency id.
    pub owner: String,
    /// Status.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<String>,
    /// Effort.
    pub effort: f64,
    /// Phase.
    pub phase: u32,
    /// Phase start.
    pub phase_start: String,
    /// Phase end.
    pub phase_end: String,
    /// Phase ends after due.
    pub at_risk: bool,
    /// From the greedy order (false: the by-due-date tail that unlocks nothing alone).
    pub greedy: bool,
    /// What it unlocks.
    pub unlocks: Unlocks,
    /// Running remainder.
    pub remaining: Remaining,
}

/// One phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseReport {
    /// Number.
    pub phase: u32,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Effort of its steps.
    pub effort: f64,
    /// Its steps' task ids.
    pub tasks: Vec<String>,
    /// Components unlocked.
    pub components: u64,
    /// Submissions per year unlocked.
    pub submissions: u64,
    /// Money per year unlocked.
    pub money: f64,
    /// Documents remaining after it.
    pub remaining_documents: u64,
    /// Submissions remaining after it.
    pub remaining_submissions: u64,
}

/// Progress with shares.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressReport {
    /// All tasks.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Routine.
    pub routine: u64,
    /// Not started.
    pub not_started: u64,
    /// Shares of the total by status, in [0, 1].
    pub shares: BTreeMap<String, f64>,
    /// Per owner.
    pub by_owner: Vec<crate::engine::roadmap::OwnerProgress>,
    /// Overdue tasks, oldest first.
    pub overdue: Vec<crate::engine::roadmap::Overdue>,
}

impl From<Progress> for ProgressReport {
    fn from(p: Progress) -> Self {
        let share = |n: u64| if p.total == 0 { 0.0 } else { n as f64 / p.total as f64 };
        let shares = [("done", p.done), ("in_progress", p.in_progress), ("routine", p.routine), ("not_started", p.not_started)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), share(v)))
            .collect();
        ProgressReport {
            total: p.total,
            done: p.done,
            in_progress: p.in_progress,
            routine: p.routine,
            not_started: p.not_started,
            shares,
            by_owner: p.by_owner,
            overdue: p.overdue,
        }
    }
}

/// Builds the roadmap document.
pub fn roadmap_report(ws: &Workspace, a: &Analysis) -> RoadmapReport {
    let mut phase0 = Phase0 { components: 0, lookup_now: 0, duplicate: 0, procedures: 0, submissions: 0, money: 0.0 };
    for (p, cls) in a.classes.iter_enumerated() {
        let vol = ws.procedures[p].annual_volume;
        let mut any = false;
        for c in cls.iter().filter(|c| c.status.eliminated_now()) {
            any = true;
            phase0.components += 1;
            match c.status {
                Status::LookupNow => phase0.lookup_now += 1,
                _ => phase0.duplicate += 1,
            }
            phase0.submissions += vol;
            phase0.money += vol as f64 * c.money;
        }
        phase0.procedures += u64::from(any);
    }
    let steps: Vec<StepReport> = a
        .plan
        .steps
        .iter()
        .map(|s| {
            let t = &ws.tasks[s.task];
            StepReport {
                task: t.id.clone(),
                title: t.title.clone(),
                owner: t.owner.map(|o| ws.agencies[o].id.clone()).unwrap_or_default(),
                status: t.status,
                due: t.due.map(|d| d.to_string()),
                effort: t.effort,
                phase: s.phase,
                phase_start: s.phase_start.to_string(),
                phase_end: s.phase_end.to_string(),
                at_risk: s.at_risk,
                greedy: s.greedy,
                unlocks: s.unlocks.clone(),
                remaining: s.remaining.clone(),
            }
        })
        .collect();
    let mut phases: Vec<PhaseReport> = Vec::new();
    for s in &steps {
        if phases.last().is_none_or(|p| p.phase != s.phase) {
            phases.push(PhaseReport {
                phase: s.phase,
                start: s.phase_start.clone(),
                end: s.phase_end.clone(),
                effort: 0.0,
                tasks: Vec::new(),
                components: 0,
                submissions: 0,
                money: 0.0,
                remaining_documents: 0,
                remaining_submissions: 0,
            });
        }
        let p = phases.last_mut().expect("pushed");
        p.effort += s.effort;
        p.tasks.push(s.task.clone());
        p.components += s.unlocks.components;
        p.submissions += s.unlocks.submissions;
        p.money += s.unlocks.money;
        p.remaining_documents = s.remaining.documents;
        p.remaining_submissions = s.remaining.submissions;
    }
    RoadmapReport {
        schema_version: SCHEMA_VERSION,
        as_of: ws.policy.as_of.to_string(),
        currency: ws.policy.currency.clone(),
        phase0,
        steps,
        phases,
        progress: crate::engine::roadmap::progress(ws).into(),
    }
}

/// Grouping for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// One row per procedure.
    #[default]
    Procedure,
    /// By agency (after mergers as of `as_of`).
    Agency,
    /// By sector.
    Sector,
    /// By level.
    Level,
    /// By life event (a procedure counts under each of its events).
    LifeEvent,
}

/// One summary row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupRow {
    /// Group key (procedure id, agency, ...).
    pub key: String,
    /// Display label.
    pub label: String,
    /// Procedures.
    pub procedures: u64,
    /// Documents, submissions and savings of its procedures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// What the summaries read of one procedure's result: the same of its owned report as of its
/// result read off the analysis, so that `analyze` can print its summary without making the
/// owned report.
pub trait ProcedureRow: Sync {
    /// Id.
    fn id(&self) -> &str;
    /// Name (catalog language).
    fn name(&self) -> &str;
    /// English name.
    fn name_en(&self) -> Option<&str>;
    /// Agency it is attributed to.
    fn agency(&self) -> &str;
    /// Level.
    fn level(&self) -> &str;
    /// Sector.
    fn sector(&self) -> Option<&str>;
    /// Life events.
    fn life_events(&self) -> &[String];
    /// Dossiers per year.
    fn annual_volume(&self) -> u64;
    /// Documents, submissions and savings (the owned report holds no hours: they count 0).
    fn figures(&self) -> Figures;
    /// Each component's document and status, in catalog order.
    fn components(&self) -> impl Iterator<Item = (&str, Status)>;
}

impl ProcedureRow for ProcedureReport<'_> {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn name_en(&self) -> Option<&str> {
        self.name_en.as_deref()
    }
    fn agency(&self) -> &str {
        &self.agency
    }
    fn level(&self) -> &str {
        &self.level
    }
    fn sector(&self) -> Option<&str> {
        self.sector.as_deref()
    }
    fn life_events(&self) -> &[String] {
        &self.life_events
    }
    fn annual_volume(&self) -> u64 {
        self.annual_volume
    }
    fn figures(&self) -> Figures {
        let documents = [self.documents_before, self.documents_after_now, self.documents_after_roadmap];
        Figures::of_procedure(self.annual_volume, documents, [0.0; 2], [self.money_saved_now, self.money_saved_after_roadmap])
    }
    fn components(&self) -> impl Iterator<Item = (&str, Status)> {
        self.components.iter().map(|c| (&*c.document, c.status))
    }
}

/// A procedure's result read straight off the analysis, for the summaries: nothing is made
/// for its components, which a national catalog has half a million of.
pub struct ProcedureResult<'a> {
    ws: &'a Workspace,
    a: &'a Analysis,
    p: ProcId,
    figures: Figures,
}

impl<'a> ProcedureResult<'a> {
    /// Procedure `p`'s result.
    pub fn new(ws: &'a Workspace, a: &'a Analysis, p: ProcId) -> Self {
        ProcedureResult { ws, a, p, figures: a.figures(ws, p) }
    }
}

impl ProcedureRow for ProcedureResult<'_> {
    fn id(&self) -> &str {
        &self.ws.procedures[self.p].id
    }
    fn name(&self) -> &str {
        self.ws.procedures[self.p].report_name()
    }
    fn name_en(&self) -> Option<&str> {
        self.ws.procedures[self.p].name_en.as_deref()
    }
    fn agency(&self) -> &str {
        &self.ws.agencies[self.a.reach.proc_agency[self.p]].id
    }
    fn level(&self) -> &str {
        self.ws.procedures[self.p].level.as_str()
    }
    fn sector(&self) -> Option<&str> {
        self.ws.procedures[self.p].sector.map(|s| self.ws.sectors.name(s))
    }
    fn life_events(&self) -> &[String] {
        &self.ws.procedures[self.p].life_events
    }
    fn annual_volume(&self) -> u64 {
        self.ws.procedures[self.p].annual_volume
    }
    fn figures(&self) -> Figures {
        self.figures
    }
    fn components(&self) -> impl Iterator<Item = (&str, Status)> {
        let ws = self.ws;
        ws.procedures[self.p]
            .components
            .iter()
            .zip(&self.a.classes[self.p])
            .map(|(c, cl)| (ws.documents[c.documents[0]].id.as_str(), cl.status))
    }
}

/// Summaries grouped by `by`, sorted by key.
pub fn group_rows<P: ProcedureRow>(ws: &Workspace, procedures: &[P], by: GroupBy, lang: Lang) -> Vec<GroupRow> {
    let mut rows: BTreeMap<&str, GroupRow> = BTreeMap::new();
    for p in procedures {
        let keys: Vec<&str> = match by {
            GroupBy::Procedure => vec![p.id()],
            GroupBy::Agency => vec![p.agency()],
            GroupBy::Sector => vec![p.sector().unwrap_or("(none)")],
            GroupBy::Level => vec![p.level()],
            GroupBy::LifeEvent if p.life_events().is_empty() => vec!["(none)"],
            GroupBy::LifeEvent => p.life_events().iter().map(String::as_str).collect(),
        };
        // Labels are made once per group.
        let label = |key: &str| match by {
            GroupBy::Procedure => Workspace::label(p.id(), Some(p.name()), p.name_en(), lang).to_string(),
            GroupBy::Agency => ws
                .agency_ids
                .get(key)
                .map(|i| {
                    let a = &ws.agencies[i];
                    Workspace::label(&a.id, a.name.as_deref(), a.name_en.as_deref(), lang).to_string()
                })
                .unwrap_or_else(|| key.to_string()),
            _ => key.to_string(),
        };
        let figures = p.figures();
        for key in keys {
            let row = rows.entry(key).or_insert_with(|| GroupRow { key: key.to_string(), label: label(key), ..Default::default() });
            row.procedures += 1;
            row.figures += &figures;
        }
    }
    rows.into_values().collect()
}

/// A top opportunity: one document asked for across procedures, ranked by submissions removable.
#[derive(Debug, Clone, Serialize)]
pub struct Opportunity {
    /// Document id.
    pub document: String,
    /// Status of the components counted.
    pub status: Status,
    /// Components.
    pub components: u64,
    /// Procedures.
    pub procedures: u64,
    /// Submissions per year.
    pub submissions: u64,
}

/// Eliminable components grouped by document and status, largest first.
pub fn opportunities<P: ProcedureRow>(procedures: &[P]) -> Vec<Opportunity> {
    // Components, procedures, submissions, and the last procedure counted: procedures come one
    // after another with unique ids, so one is counted once by remembering the last. The order
    // is the final sort's, whose keys are unique, so a hash map serves.
    let mut acc: rustc_hash::FxHashMap<(&str, Status), (u64, u64, u64, usize)> = Default::default();
    for (i, p) in procedures.iter().enumerate() {
        for (document, status) in p.components() {
            if matches!(status, Status::LookupNow | Status::Duplicate | Status::LookupAfter) {
                let e = acc.entry((document, status)).or_insert((0, 0, 0, usize::MAX));
                e.0 += 1;
                if e.3 != i {
                    e.1 += 1;
                    e.3 = i;
                }
                e.2 += p.annual_volume();
            }
        }
    }
    let mut v: Vec<Opportunity> = acc
        .into_iter()
        .map(|((document, status), (components, procedures, submissions, _))| Opportunity {
            document: document.to_string(),
            status,
            components,
            procedures,
            submissions,
        })
        .collect();
    v.sort_by(|a, b| b.submissions.cmp(&a.submissions).then_with(|| a.document.cmp(&b.document)).then(a.status.cmp(&b.status)));
    v
}

/// What the text summary of an analysis shows: made from the analysis document, or straight
/// from the analysis without the document's millions of small strings.
pub struct Overview<'a> {
    /// Date of the databases' state.
    pub as_of: String,
    /// Currency of money figures.
    pub currency: String,
    /// Totals.
    pub totals: Totals,
    /// The grouping of `groups`.
    pub by: GroupBy,
    /// Summaries grouped by `by`, sorted by key.
    pub groups: Vec<GroupRow>,
    /// Eliminable components by document and status, largest first.
    pub opportunities: Vec<Opportunity>,
    /// Unmet data demand.
    pub unmet_facts: std::borrow::Cow<'a, [UnmetFact]>,
    /// Procedure chains.
    pub chains: std::borrow::Cow<'a, [Chain]>,
}

impl<'a> Overview<'a> {
    /// The overview of an analysis document.
    pub fn of_report(ws: &Workspace, r: &'a AnalysisReport, by: GroupBy, lang: Lang) -> Self {
        Overview {
            as_of: r.as_of.clone(),
            currency: r.currency.clone(),
            totals: r.totals.clone(),
            by,
            groups: group_rows(ws, &r.procedures, by, lang),
            opportunities: opportunities(&r.procedures),
            unmet_facts: r.unmet_facts.as_slice().into(),
            chains: r.chains.as_slice().into(),
        }
    }
}

/// The overview of an analysis, the same as [`Overview::of_report`] of its [`analysis_report`]
/// (a test holds them equal): the procedures' results are read straight off the analysis, and
/// The summary of an analysis and its findings, grouped by `by`.
pub fn overview(ws: &Workspace, a: &Analysis, g: findings::Findings, by: GroupBy, lang: Lang) -> Overview<'static> {
    let (groups, opportunities) = rows(ws, a, by, lang);
    overview_of(ws, a, by, groups, opportunities, g)
}

/// The summary's group rows and top opportunities.
fn rows(ws: &Workspace, a: &Analysis, by: GroupBy, lang: Lang) -> (Vec<GroupRow>, Vec<Opportunity>) {
    let results: Vec<ProcedureResult<'_>> =
        (0..ws.procedures.len()).into_par_iter().map(|p| ProcedureResult::new(ws, a, ProcId::new(p))).collect();
    rayon::join(|| group_rows(ws, &results, by, lang), || opportunities(&results))
}

fn overview_of(
    ws: &Workspace,
    a: &Analysis,
    by: GroupBy,
    groups: Vec<GroupRow>,
    opportunities: Vec<Opportunity>,
    g: findings::Findings,
) -> Overview<'static> {
    Overview {
        as_of: ws.policy.as_of.to_string(),
        currency: ws.policy.currency.clone(),
        totals: a.totals.clone(),
        by,
        groups,
        opportunities,
        unmet_facts: g.unmet_facts.into(),
        chains: g.chains.into(),
    }
}
