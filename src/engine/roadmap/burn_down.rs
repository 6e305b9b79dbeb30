//! Phases and the burn-down: the ordered tasks placed in phases up to the capacity, with what
//! each step unlocks, the tasks credited for it, and what remains after it.

use super::engine::Engine;
use super::*;
use crate::engine::lookup::{Reach, State, choose_lookups};
use fixedbitset::FixedBitSet;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

/// Phases filled in step order: a step that would take the current phase over the capacity
/// opens the next one, unless the phase is still empty (a task larger than the capacity gets
/// a phase of its own rather than none).
struct Phases {
    capacity: Option<f64>,
    months: u32,
    as_of: NaiveDate,
    phase: u32,
    effort: f64,
    empty: bool,
}

impl Phases {
    fn new(ws: &Workspace, opts: &RoadmapOptions) -> Self {
        let capacity = opts.capacity.or(ws.policy.capacity_per_phase);
        let months = opts.phase_months.unwrap_or(ws.policy.phase_months).max(1);
        Phases { capacity, months, as_of: ws.policy.as_of, phase: 1, effort: 0.0, empty: true }
    }

    /// The phase of the next step, of `effort`, with its first and last day.
    fn place(&mut self, effort: f64) -> (u32, NaiveDate, NaiveDate) {
        if let Some(cap) = self.capacity
            && !self.empty
            && self.effort + effort > cap
        {
            self.phase += 1;
            self.effort = 0.0;
        }
        self.effort += effort;
        self.empty = false;
        let start = add_months(self.as_of, (self.phase - 1) * self.months);
        let end = add_months(self.as_of, self.phase * self.months).pred_opt().unwrap_or(NaiveDate::MIN);
        (self.phase, start, end)
    }
}

/// The order replayed step by step: the state after each step says which databases a group
/// made ready looks up, and so which tasks are credited for it.
pub(super) struct BurnDown<'a, 'p> {
    ws: &'a Workspace,
    reach: &'a Reach,
    engine: &'a Engine<'a>,
    pending: &'a [PendingComponent<'p>],
    order: &'a [(TaskId, bool)],
    replay: State,
    in_roadmap: FixedBitSet,
    /// The step that last counted a procedure, so each step counts its procedures once.
    counted_at: IdVec<ProcId, usize>,
    unlocks: Vec<Unlock>,
    unlock_of: Vec<Option<u32>>,
}

impl<'a, 'p> BurnDown<'a, 'p> {
    pub(super) fn new(
        ws: &'a Workspace,
        reach: &'a Reach,
        engine: &'a Engine<'a>,
        pending: &'a [PendingComponent<'p>],
        order: &'a [(TaskId, bool)],
    ) -> Self {
        BurnDown {
            ws,
            reach,
            engine,
            pending,
            order,
            replay: State::initial(ws),
            in_roadmap: FixedBitSet::with_capacity(ws.tasks.len()),
            counted_at: IdVec::from_elem(usize::MAX, ws.procedures.len()),
            unlocks: Vec::new(),
            unlock_of: vec![None; pending.len()],
        }
    }

    /// The steps of the order, given the groups each made ready and the total still asked for
    /// after what is eliminated now.
    pub(super) fn steps(&mut self, made_ready: &[Vec<usize>], after_now: (u64, u64), opts: &RoadmapOptions) -> Vec<Step> {
        let mut phases = Phases::new(self.ws, opts);
        let (mut docs_left, mut subs_left) = after_now;
        let mut steps = Vec::with_capacity(self.order.len());
        for (k, (&(task, greedy), ready)) in self.order.iter().zip(made_ready).enumerate() {
            let t = &self.ws.tasks[task];
            let (phase, phase_start, phase_end) = phases.place(t.effort);
            self.in_roadmap.insert(task.index());
            self.replay.apply_task(t);
            let unlocks = self.unlocks_of_step(k, ready);
            docs_left = docs_left.saturating_sub(unlocks.components);
            subs_left = subs_left.saturating_sub(unlocks.submissions);
            steps.push(Step {
                task,
                phase,
                phase_start,
                phase_end,
                at_risk: t.due.is_some_and(|d| phase_end > d),
                greedy,
                unlocks,
                remaining: Remaining { documents: docs_left, submissions: subs_left },
            });
        }
        steps
    }

    /// Records how step `k` unlocked the groups it made ready, and sums them up.
    fn unlocks_of_step(&mut self, k: usize, ready: &[usize]) -> Unlocks {
        let (ws, engine) = (self.ws, self.engine);
        let mut u = Unlocks::default();
        // Within one step, groups of a class share usable databases, and groups with the same
        // lookups and documents share the credited tasks.
        let mut usable_of: HashMap<usize, Vec<DbId>> = HashMap::default();
        let mut credit_of: HashMap<(ShortList<DbId>, &[DocId]), Vec<TaskId>> = HashMap::default();
        for &g in ready {
            let grp = &engine.groups[g];
            let usable =
                usable_of.entry(grp.class).or_insert_with(|| self.reach.usable_dbs(ws, &self.replay, engine.classes.rep[grp.class]));
            let lookups = choose_lookups(ws, &self.replay, usable, grp.needed.to_set(ws.facts.len()));
            let credited = credit_of
                .entry((lookups.clone(), &grp.docs))
                .or_insert_with(|| credit(ws, &self.order[..=k], &self.in_roadmap, &lookups, &grp.docs))
                .clone();
            for &m in &grp.members {
                let p = self.pending[m].proc;
                if self.counted_at[p] != k {
                    self.counted_at[p] = k;
                    u.procedures += 1;
                }
                self.unlock_of[m] = Some(self.unlocks.len() as u32);
            }
            self.unlocks.push(Unlock { step: k, lookups: lookups.to_vec(), unlocked_by: credited });
            u.components += grp.members.len() as u64;
            u.submissions += grp.volume;
            u.money += grp.money;
        }
        u
    }

    /// How components were unlocked, and by pending component its entry there.
    pub(super) fn finish(self) -> (Vec<Unlock>, Vec<Option<u32>>) {
        (self.unlocks, self.unlock_of)
    }
}

/// The tasks scheduled so far that change a database among `lookups` or lift a lock of `docs`,
/// with their dependencies that are roadmap steps, sorted by id.
/// `in_roadmap` holds the tasks of `so_far` (kept by the caller, not rebuilt for every group).
fn credit(ws: &Workspace, so_far: &[(TaskId, bool)], in_roadmap: &FixedBitSet, lookups: &[DbId], docs: &[DocId]) -> Vec<TaskId> {
    let mut out = BTreeSet::new();
    for &(t, _) in so_far {
        let hits = ws.tasks[t].effects.iter().any(|e| match e {
            Effect::Unlock(d) => docs.contains(d),
            other => other.database().is_some_and(|d| lookups.contains(&d)),
        });
        if hits {
            let mut stack = vec![t];
            while let Some(x) = stack.pop() {
                if in_roadmap.contains(x.index()) && out.insert(x) {
                    stack.extend(ws.tasks[x].depends_on.iter().copied());
                }
            }
        }
    }
    let mut v: Vec<TaskId> = out.into_iter().collect();
    v.sort_by(|a, b| ws.tasks[*a].id.cmp(&ws.tasks[*b].id));
    v
}
