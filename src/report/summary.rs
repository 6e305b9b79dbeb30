//! The summaries of an analysis: rows grouped by procedure, agency, sector, level or life
//! event, the top opportunities, and the overview the text report prints.

use super::analysis::{AnalysisReport, ComponentReport, ProcedureReport};
use crate::engine::classify::Status;
use crate::engine::figures::Figures;
use crate::engine::{Analysis, Totals};
use crate::findings::{self, Chain, Coverage, UnmetFact};
use crate::workspace::*;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// Each component's document, status and submissions per year, in catalog order.
    fn components(&self) -> impl Iterator<Item = (&str, Status, u64)>;
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
        Figures::of_stages(documents, self.submissions(), [0.0; 2], [self.money_saved_now, self.money_saved_after_roadmap])
    }
    fn components(&self) -> impl Iterator<Item = (&str, Status, u64)> {
        let volume = |c: &ComponentReport| c.case.and_then(|k| self.cases.get(k as usize)).map_or(self.annual_volume, |k| k.volume);
        self.components.iter().map(move |c| (&*c.document, c.status, volume(c)))
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
        self.ws.procedures[self.p].level().as_str()
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
    fn components(&self) -> impl Iterator<Item = (&str, Status, u64)> {
        let (ws, proc) = (self.ws, &self.ws.procedures[self.p]);
        proc.components
            .iter()
            .zip(&self.a.classes[self.p])
            .map(|(c, cl)| (ws.documents[c.documents[0]].id.as_str(), cl.status, proc.volume_of(c)))
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
            GroupBy::Agency => agency_label(ws, key, lang),
            GroupBy::Sector => ws.sectors.get(key).map_or_else(|| key.to_string(), |s| ws.sector_label(s, lang).to_string()),
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
        for (document, status, volume) in p.components() {
            if matches!(status, Status::LookupNow | Status::Duplicate | Status::LookupAfter) {
                let e = acc.entry((document, status)).or_insert((0, 0, 0, usize::MAX));
                e.0 += 1;
                if e.3 != i {
                    e.1 += 1;
                    e.3 = i;
                }
                e.2 += volume;
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
    /// How much of the catalog the rules understand.
    pub coverage: std::borrow::Cow<'a, Coverage>,
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
            coverage: std::borrow::Cow::Borrowed(&r.coverage),
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
        coverage: std::borrow::Cow::Owned(g.coverage),
    }
}

/// An agency's name in the chosen language, or the id as written when no agency has it.
pub fn agency_label(ws: &Workspace, id: &str, lang: Lang) -> String {
    ws.agency_ids
        .get(id)
        .map(|a| {
            let a = &ws.agencies[a];
            Workspace::label(&a.id, a.name.as_deref(), a.name_en.as_deref(), lang).to_string()
        })
        .unwrap_or_else(|| id.to_string())
}

/// One line of the coverage table: a ministry (or the whole catalog) and its shares.
pub struct MappingRow<'a> {
    /// The ministry's name, or "all" for the whole catalog.
    pub label: String,
    /// Its counts.
    pub m: &'a crate::findings::Mapping,
    /// Share of components mapped to a known type of evidence ("–" when there is none).
    pub mapped: String,
    /// Share of forms.
    pub forms: String,
    /// Share of unmapped wordings.
    pub unmapped: String,
}

/// The coverage table: the ministries with most components first, then the whole catalog.
pub fn mapping_rows<'a>(ws: &Workspace, c: &'a Coverage, lang: Lang) -> Vec<MappingRow<'a>> {
    let pct = |n: u64, of: u64| if of == 0 { "–".to_string() } else { format!("{:.1}%", 100.0 * n as f64 / of as f64) };
    let mut by: Vec<&crate::findings::Mapping> = c.by_ministry.iter().collect();
    by.sort_by(|x, y| y.components.cmp(&x.components).then_with(|| x.ministry.cmp(&y.ministry)));
    by.into_iter()
        .chain(std::iter::once(&c.overall))
        .map(|m| MappingRow {
            label: if m.ministry.is_empty() { "all".to_string() } else { agency_label(ws, &m.ministry, lang) },
            m,
            mapped: pct(m.mapped, m.components),
            forms: pct(m.forms, m.components),
            unmapped: pct(m.unmapped, m.components),
        })
        .collect()
}
