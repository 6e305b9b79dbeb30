//! Classification of every component (SPEC §4), before/after counts and the Standard Cost Model.

use crate::engine::facts::Facts;
use crate::engine::lookup::{Reach, State, choose_lookups, covered};
use crate::engine::roadmap::{self, PendingComponent, Plan, RoadmapOptions};
use crate::workspace::*;
use rayon::prelude::*;
use serde::Serialize;

/// Output schema version of every JSON document.
pub const SCHEMA_VERSION: u32 = 1;

/// What a component became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A lookup replaces it today.
    LookupNow,
    /// Another component of the same procedure already proves it.
    Duplicate,
    /// A lookup replaces it once the roadmap is done.
    LookupAfter,
    /// Some of its facts can be looked up, not all.
    Partial,
    /// Still asked for.
    Kept,
}

impl Status {
    /// All statuses in report order.
    pub const ALL: [Status; 5] = [Status::LookupNow, Status::Duplicate, Status::LookupAfter, Status::Partial, Status::Kept];
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::LookupNow => "lookup_now",
            Status::Duplicate => "duplicate",
            Status::LookupAfter => "lookup_after",
            Status::Partial => "partial",
            Status::Kept => "kept",
        }
    }
    /// Eliminated without any task.
    pub fn eliminated_now(self) -> bool {
        matches!(self, Status::LookupNow | Status::Duplicate)
    }
}

/// Why a component is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The applicant's own form.
    Form,
    /// It needs no fact.
    NoData,
    /// The law demands the paper.
    Locked,
    /// No usable database holds its facts.
    NoSource,
}

impl Reason {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Form => "form",
            Reason::NoData => "no_data",
            Reason::Locked => "locked",
            Reason::NoSource => "no_source",
        }
    }
}

/// A classified component, on integer ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Status.
    pub status: Status,
    /// Reason, for `kept`.
    pub reason: Option<Reason>,
    /// Facts needed.
    pub needed: Facts,
    /// Databases looked up (now, or at the unlocking step).
    pub lookups: ShortList,
    /// Facts not covered now (partial, kept).
    pub missing: Facts,
    /// Index of the component it duplicates.
    pub duplicate_of: Option<usize>,
    /// Tasks that unlock it.
    pub unlocked_by: ShortList,
    /// Roadmap phase that unlocks it.
    pub phase: Option<u32>,
    /// Hours per submission saved if eliminated.
    pub hours: f64,
    /// Money per submission saved if eliminated.
    pub money: f64,
}

/// The analysis of a workspace on integer ids; [`crate::report::text`] turns it into text.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Per procedure (same order as the workspace), per component.
    pub classes: Vec<Vec<Class>>,
    /// Merger-resolved reach.
    pub reach: Reach,
    /// The roadmap.
    pub plan: Plan,
    /// Totals.
    pub totals: Totals,
}

/// Before/after totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Totals {
    /// Procedures.
    pub procedures: u64,
    /// Components.
    pub components: u64,
    /// Components looked up now.
    pub lookup_now: u64,
    /// Duplicate components.
    pub duplicate: u64,
    /// Components looked up after the roadmap.
    pub lookup_after: u64,
    /// Partly coverable components.
    pub partial: u64,
    /// Kept components.
    pub kept: u64,
    /// Components asked for today.
    pub documents_before: u64,
    /// Components still asked for once lookups are used.
    pub documents_after_now: u64,
    /// Components still asked for after the roadmap.
    pub documents_after_roadmap: u64,
    /// Document submissions per year today.
    pub submissions_before: u64,
    /// Submissions per year once lookups are used.
    pub submissions_after_now: u64,
    /// Submissions per year after the roadmap.
    pub submissions_after_roadmap: u64,
    /// Applicant hours saved per year now.
    pub hours_saved_now: f64,
    /// Money saved per year now.
    pub money_saved_now: f64,
    /// Hours saved per year after the roadmap (includes now).
    pub hours_saved_after_roadmap: f64,
    /// Money saved per year after the roadmap (includes now).
    pub money_saved_after_roadmap: f64,
}

/// Per-procedure counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Components.
    pub before: u64,
    /// After now.
    pub after_now: u64,
    /// After roadmap.
    pub after_roadmap: u64,
    /// Hours per year saved now.
    pub hours_now: f64,
    /// Money per year saved now.
    pub money_now: f64,
    /// Hours per year saved after the roadmap.
    pub hours_roadmap: f64,
    /// Money per year saved after the roadmap.
    pub money_roadmap: f64,
}

impl Analysis {
    /// Counts for one procedure.
    pub fn counts(&self, ws: &Workspace, p: usize) -> Counts {
        let vol = ws.procedures[p].annual_volume as f64;
        let mut c = Counts::default();
        for cl in &self.classes[p] {
            c.before += 1;
            if cl.status.eliminated_now() {
                c.hours_now += vol * cl.hours;
                c.money_now += vol * cl.money;
            } else {
                c.after_now += 1;
            }
            if cl.status.eliminated_now() || cl.status == Status::LookupAfter {
                c.hours_roadmap += vol * cl.hours;
                c.money_roadmap += vol * cl.money;
            } else {
                c.after_roadmap += 1;
            }
        }
        c
    }
}

/// Classifies one procedure's components against `state`, leaving roadmap-dependent ones as
/// `Kept`/`Partial` for [`analyze`] to finish.
/// `doc_facts[d]` is what document `d` proves.
fn classify_now(ws: &Workspace, reach: &Reach, state: &State, doc_facts: &[Facts], p: ProcId) -> Vec<Class> {
    let proc = &ws.procedures[p as usize];
    let usable = reach.usable_dbs(ws, state, p);
    let cov = covered(ws, state, &usable);
    let nfacts = ws.facts.len();
    let cov_facts = Facts::of(&cov, nfacts);
    // What `Workspace::needed_facts` gives, as inline sets: a component's own `proves`, else
    // what all its alternatives prove.
    let needed: Vec<Facts> = proc
        .components
        .iter()
        .map(|c| match &c.proves {
            Some(p) => Facts::of(p, nfacts),
            None => {
                let mut docs = c.documents.iter().map(|&d| &doc_facts[d as usize]);
                let mut set = docs.next().cloned().unwrap_or_else(|| Facts::empty(nfacts));
                docs.for_each(|f| set.intersect_with(f));
                set
            }
        })
        .collect();
    let forms: Vec<bool> = proc.components.iter().map(|c| ws.is_form(c)).collect();
    let mut out: Vec<Class> = Vec::with_capacity(proc.components.len());
    for (i, c) in proc.components.iter().enumerate() {
        let (hours, cost) = ws.burden(c, ws.policy.hourly_value);
        let n = &needed[i];
        let mut class = Class {
            status: Status::Kept,
            reason: None,
            needed: n.clone(),
            lookups: ShortList::new(),
            missing: Facts::empty(nfacts),
            duplicate_of: None,
            unlocked_by: ShortList::new(),
            phase: None,
            hours,
            money: hours * ws.policy.hourly_value + cost,
        };
        if forms[i] {
            class.reason = Some(Reason::Form);
        } else if n.is_empty() {
            class.reason = Some(Reason::NoData);
        } else if !state.is_locked(c) && n.is_subset(&cov_facts) {
            class.status = Status::LookupNow;
            class.lookups = choose_lookups(ws, state, &usable, n.to_set(nfacts));
        } else {
            class.missing.copy_from(&class.needed);
            class.missing.difference_with(&cov_facts);
            let missing = class.missing.count();
            // Partial means some facts are covered and some are not; all covered but locked is kept.
            class.status = if missing > 0 && missing < n.count() { Status::Partial } else { Status::Kept };
            class.reason = (class.status == Status::Kept).then(|| if state.is_locked(c) { Reason::Locked } else { Reason::NoSource });
        }
        out.push(class);
    }
    // Duplicates: another non-form component of the same person proves at least as much.
    let same_subject = |a: usize, b: usize| proc.components[a].of == proc.components[b].of;
    let contains = |i: usize, j: usize| {
        j != i && !forms[j] && same_subject(i, j) && needed[i].is_subset(&needed[j]) && (needed[i] != needed[j] || j < i)
    };
    let is_dup: Vec<bool> = (0..out.len())
        .map(|i| {
            !matches!(out[i].reason, Some(Reason::Form | Reason::NoData))
                && out[i].status != Status::LookupNow
                && (0..out.len()).any(|j| contains(i, j))
        })
        .collect();
    for i in 0..out.len() {
        if is_dup[i] {
            let of = (0..out.len()).find(|&j| contains(i, j) && !is_dup[j]);
            let c = &mut out[i];
            c.status = Status::Duplicate;
            c.reason = None;
            c.duplicate_of = of;
            c.missing.clear();
        }
    }
    out
}

/// Analysis settings.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    /// Tasks treated as done before analysing (what-if).
    pub assume: Vec<TaskId>,
    /// Roadmap overrides.
    pub roadmap: RoadmapOptions,
}

/// Applies `--assume`: the tasks (and nothing else) become done, their effects part of `as_of`.
pub fn assume_done(ws: &mut Workspace, tasks: &[TaskId]) {
    for &t in tasks {
        let task = ws.tasks[t as usize].clone();
        let mut state = State::initial(ws);
        state.apply_task(&task);
        for (db, s) in ws.databases.iter_mut().zip(state.dbs) {
            db.status = s.status;
            db.provides = s.provides;
            db.serves = s.serves;
            db.quality = s.quality;
        }
        for (i, d) in ws.documents.iter_mut().enumerate() {
            if !state.locked.contains(i) {
                d.lock = None;
            }
        }
        ws.tasks[t as usize].status = TaskStatus::Done;
    }
}

/// Classifies every component, plans the roadmap and sums the counts.
pub fn analyze(ws: &Workspace, opts: &AnalyzeOptions) -> Analysis {
    let reach = Reach::new(ws);
    let state = State::initial(ws);
    let doc_facts: Vec<Facts> = ws.documents.iter().map(|d| Facts::of(&d.proves, ws.facts.len())).collect();
    let mut classes: Vec<Vec<Class>> =
        (0..ws.procedures.len() as u32).into_par_iter().map(|p| classify_now(ws, &reach, &state, &doc_facts, p)).collect();

    // Pending components, in procedure order: `first_pending[p]` is procedure `p`'s first. Without
    // a task to schedule no component can wait for the roadmap, and the list (tens of megabytes
    // on a national catalog) is not made.
    let waits = |c: &Class| !c.status.eliminated_now() && !matches!(c.reason, Some(Reason::Form | Reason::NoData));
    let mut first_pending = vec![0u32; ws.procedures.len() + 1];
    if ws.tasks.iter().any(roadmap::schedulable) {
        let counts: Vec<u32> = classes.par_iter().map(|cls| cls.iter().filter(|c| waits(c)).count() as u32).collect();
        for (p, n) in counts.into_iter().enumerate() {
            first_pending[p + 1] = first_pending[p] + n;
        }
    }
    let mut pending: Vec<PendingComponent<'_>> = Vec::with_capacity(*first_pending.last().unwrap_or(&0) as usize);
    for (p, cls) in classes.iter().enumerate().filter(|&(p, _)| first_pending[p + 1] > first_pending[p]) {
        let proc = &ws.procedures[p];
        let volume = proc.annual_volume;
        pending.extend(cls.iter().enumerate().filter(|(_, c)| waits(c)).map(|(index, c)| PendingComponent {
            proc: p as ProcId,
            index,
            needed: &c.needed,
            docs: &proc.components[index].documents,
            volume,
            money: volume as f64 * c.money,
        }));
    }
    let (docs_after_now, subs_after_now) = classes
        .par_iter()
        .enumerate()
        .map(|(p, cls)| {
            let left = cls.iter().filter(|c| !c.status.eliminated_now()).count() as u64;
            (left, left * ws.procedures[p].annual_volume)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let plan = roadmap::plan(ws, &reach, &pending, (docs_after_now, subs_after_now), &opts.roadmap);
    // Components the roadmap unlocks become lookups after it. Pending components come in
    // procedure order, so each procedure marks its own run of them, in parallel.
    let index_of: Vec<u32> = pending.iter().map(|pc| pc.index as u32).collect();
    drop(pending);
    classes.par_iter_mut().enumerate().for_each(|(p, cls)| {
        for k in first_pending[p] as usize..first_pending[p + 1] as usize {
            let Some(u) = plan.unlock_of[k].map(|i| &plan.unlocks[i as usize]) else { continue };
            let c = &mut cls[index_of[k] as usize];
            c.status = Status::LookupAfter;
            c.reason = None;
            c.lookups = ShortList::from_slice(&u.lookups);
            c.unlocked_by = ShortList::from_slice(&u.unlocked_by);
            c.phase = Some(plan.steps[u.step].phase);
            c.missing.clear();
        }
    });
    let mut a = Analysis { classes, reach, plan, totals: Totals::default() };
    a.totals = totals(ws, &a);
    a
}

fn totals(ws: &Workspace, a: &Analysis) -> Totals {
    let mut t = Totals { procedures: ws.procedures.len() as u64, ..Default::default() };
    // Money summed in procedure order: a fixed order keeps floating-point output identical.
    for (p, cls) in a.classes.iter().enumerate() {
        let vol = ws.procedures[p].annual_volume;
        for c in cls {
            t.components += 1;
            match c.status {
                Status::LookupNow => t.lookup_now += 1,
                Status::Duplicate => t.duplicate += 1,
                Status::LookupAfter => t.lookup_after += 1,
                Status::Partial => t.partial += 1,
                Status::Kept => t.kept += 1,
            }
        }
        let c = a.counts(ws, p);
        t.documents_before += c.before;
        t.documents_after_now += c.after_now;
        t.documents_after_roadmap += c.after_roadmap;
        t.submissions_before += c.before * vol;
        t.submissions_after_now += c.after_now * vol;
        t.submissions_after_roadmap += c.after_roadmap * vol;
        t.hours_saved_now += c.hours_now;
        t.money_saved_now += c.money_now;
        t.hours_saved_after_roadmap += c.hours_roadmap;
        t.money_saved_after_roadmap += c.money_roadmap;
    }
    t
}
