//! The engine: which databases each procedure may read ([`lookup`]), each component's status
//! ([`classify`]) and the roadmap of tasks ([`roadmap`]), run in that order by [`analyze`].

pub mod classify;
pub(crate) mod facts;
pub mod figures;
pub mod lookup;
pub mod roadmap;

use crate::workspace::*;
use classify::{Class, Reason, Status};
use figures::Figures;
use lookup::{Reach, State};
use rayon::prelude::*;
use roadmap::{PendingComponent, Plan, RoadmapOptions};
use serde::Serialize;

/// Output schema version of every JSON document.
pub const SCHEMA_VERSION: u32 = 1;

/// The analysis of a workspace on integer ids; [`crate::report::text`] turns it into text.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Per procedure (same order as the workspace), per component.
    pub classes: IdVec<ProcId, Vec<Class>>,
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
    /// Of the kept, those whose document is not yet mapped to an evidence type.
    #[serde(default)]
    pub unmapped: u64,
    /// Of the kept, the applicant's own forms.
    #[serde(default)]
    pub forms: u64,
    /// Procedures whose `annual_volume` is stated; the others count 0 submissions.
    #[serde(default)]
    pub procedures_with_volume: u64,
    /// Documents, submissions and savings.
    #[serde(flatten)]
    pub figures: Figures,
}

impl Analysis {
    /// Procedure `p`'s figures.
    pub fn figures(&self, ws: &Workspace, p: ProcId) -> Figures {
        let proc = &ws.procedures[p];
        let (mut documents, mut submissions, mut hours, mut money) = ([0u64; 3], [0u64; 3], [0.0; 2], [0.0; 2]);
        for (cl, c) in self.classes[p].iter().zip(&proc.components) {
            let volume = proc.volume_of(c);
            let vol = volume as f64;
            let mut count = |stage: usize| {
                documents[stage] += 1;
                submissions[stage] = submissions[stage].saturating_add(volume);
            };
            count(0);
            if cl.status.eliminated_now() {
                hours[0] += vol * cl.hours;
                money[0] += vol * cl.money;
            } else {
                count(1);
            }
            if cl.status.eliminated_now() || cl.status == Status::LookupAfter {
                hours[1] += vol * cl.hours;
                money[1] += vol * cl.money;
            } else {
                count(2);
            }
        }
        Figures::of_stages(documents, submissions, hours, money)
    }
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
        let task = ws.tasks[t].clone();
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
        ws.tasks[t].status = TaskStatus::Done;
    }
}

/// Classifies every component against today's databases, plans the roadmap over those that
/// wait for it, marks the components it unlocks, and sums the counts.
pub fn analyze(ws: &Workspace, opts: &AnalyzeOptions) -> Analysis {
    let reach = Reach::new(ws);
    let mut classes = classify::classify(ws, &reach, &State::initial(ws));
    let (pending, first_pending) = pending_components(ws, &classes);
    let (docs_after_now, subs_after_now) = classes
        .par_iter()
        .zip(ws.procedures.par_iter())
        .map(|(cls, proc)| {
            let left = cls.iter().zip(&proc.components).filter(|(c, _)| !c.status.eliminated_now());
            left.fold((0u64, 0u64), |(n, s), (_, c)| (n + 1, s.saturating_add(proc.volume_of(c))))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1.saturating_add(b.1)));
    let plan = roadmap::plan(ws, &reach, &pending, (docs_after_now, subs_after_now), &opts.roadmap);
    let index_of: Vec<u32> = pending.iter().map(|pc| pc.index as u32).collect();
    drop(pending);
    mark_unlocked(&plan, &first_pending, &index_of, &mut classes);
    let mut a = Analysis { classes, reach, plan, totals: Totals::default() };
    a.totals = totals(ws, &a);
    a
}

/// The components that may wait for the roadmap, in procedure order, and where each
/// procedure's run of them starts (`first[p]`; `first[p + 1]` ends it). Without a task to
/// schedule no component can wait for the roadmap, and the list (tens of megabytes on a
/// national catalog) is not made.
fn pending_components<'a>(ws: &'a Workspace, classes: &'a IdVec<ProcId, Vec<Class>>) -> (Vec<PendingComponent<'a>>, Vec<u32>) {
    let waits = |c: &Class| !c.status.eliminated_now() && !matches!(c.reason, Some(Reason::Unmapped | Reason::Form | Reason::NoData));
    let mut first = vec![0u32; ws.procedures.len() + 1];
    if ws.tasks.iter().any(roadmap::schedulable) {
        let counts: Vec<u32> = classes.par_iter().map(|cls| cls.iter().filter(|c| waits(c)).count() as u32).collect();
        for (p, n) in counts.into_iter().enumerate() {
            first[p + 1] = first[p] + n;
        }
    }
    let mut pending: Vec<PendingComponent<'_>> = Vec::with_capacity(*first.last().unwrap_or(&0) as usize);
    for (p, cls) in classes.iter_enumerated().filter(|&(p, _)| first[p.index() + 1] > first[p.index()]) {
        let proc = &ws.procedures[p];
        pending.extend(cls.iter().enumerate().filter(|(_, c)| waits(c)).map(|(index, c)| {
            let volume = proc.volume_of(&proc.components[index]);
            PendingComponent {
                proc: p,
                index,
                needed: &c.needed,
                docs: &proc.components[index].documents,
                volume,
                money: volume as f64 * c.money,
            }
        }));
    }
    (pending, first)
}

/// Components the roadmap unlocks become lookups after it. Pending components come in
/// procedure order, so each procedure marks its own run of them, in parallel.
fn mark_unlocked(plan: &Plan, first_pending: &[u32], index_of: &[u32], classes: &mut [Vec<Class>]) {
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
}

/// Before/after totals of the whole catalog.
fn totals(ws: &Workspace, a: &Analysis) -> Totals {
    let mut t = Totals { procedures: ws.procedures.len() as u64, ..Default::default() };
    // Money summed in procedure order: a fixed order keeps floating-point output identical.
    for (p, cls) in a.classes.iter_enumerated() {
        t.procedures_with_volume += u64::from(ws.procedures[p].volume_stated);
        for c in cls {
            t.components += 1;
            match c.status {
                Status::LookupNow => t.lookup_now += 1,
                Status::Duplicate => t.duplicate += 1,
                Status::LookupAfter => t.lookup_after += 1,
                Status::Partial => t.partial += 1,
                Status::Kept => t.kept += 1,
            }
            match c.reason {
                Some(Reason::Unmapped) => t.unmapped += 1,
                Some(Reason::Form) => t.forms += 1,
                _ => {}
            }
        }
        t.figures += &a.figures(ws, p);
    }
    t
}
