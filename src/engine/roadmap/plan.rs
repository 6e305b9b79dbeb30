//! The order of the tasks: greedy rounds that each take the bundle removing the most
//! submissions per unit of effort, then a tail of what unlocks nothing, by due date.

use super::bundle::{Bundle, acyclic, bundle, dependents, extends, holding};
use super::burn_down::BurnDown;
use super::engine::Engine;
use super::evaluation::{Evaluation, Fold};
use super::*;
use crate::engine::lookup::{Reach, State};
use fixedbitset::FixedBitSet;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Builds the roadmap for the pending components.
///
/// `after_now` is the total (documents, submissions) still asked for after what is eliminated now.
pub fn plan(ws: &Workspace, reach: &Reach, pending: &[PendingComponent<'_>], after_now: (u64, u64), opts: &RoadmapOptions) -> Plan {
    // Without a task to schedule there is no step: the engine's classes and groups (a tenth of
    // a second on a national catalog) would go unused.
    if !ws.tasks.iter().any(schedulable) {
        return Plan {
            steps: Vec::new(),
            unlocks: Vec::new(),
            unlock_of: vec![None; pending.len()],
            final_state: State::initial(ws),
            capacity: opts.capacity.or(ws.policy.capacity_per_phase),
        };
    }
    let mut schedule = Schedule::new(ws, Engine::new(ws, reach, pending));
    while let Some(best) = schedule.best_bundle() {
        schedule.take_bundle(best);
    }
    schedule.take_tail();
    let Schedule { engine, order, made_ready, .. } = schedule;
    let mut burn_down = BurnDown::new(ws, reach, &engine, pending, &order);
    let steps = burn_down.steps(&made_ready, after_now, opts);
    let (unlocks, unlock_of) = burn_down.finish();
    Plan { steps, unlocks, unlock_of, final_state: engine.state, capacity: opts.capacity.or(ws.policy.capacity_per_phase) }
}

/// The due date a task is ordered by: absent sorts last.
fn due_key(ws: &Workspace, t: TaskId) -> NaiveDate {
    ws.tasks[t].due.unwrap_or(NaiveDate::MAX)
}

/// The order being built, with the engine's state after it and the evaluations of the
/// candidates kept between rounds.
struct Schedule<'a> {
    ws: &'a Workspace,
    engine: Engine<'a>,
    scheduled: IdVec<TaskId, bool>,
    /// Tasks in order, and whether the greedy part took them.
    order: Vec<(TaskId, bool)>,
    /// By step of `order`: the groups it made ready.
    made_ready: Vec<Vec<usize>>,
    /// Cached evaluation per candidate.
    cache: IdVec<TaskId, Option<Evaluation>>,
    /// Per candidate, the classes whose gain its cached evaluation must work out again.
    dirty: IdVec<TaskId, Option<FixedBitSet>>,
    /// Per task, the tasks that depend on it.
    dependents: IdVec<TaskId, Vec<TaskId>>,
    /// Whether dependencies have no cycle: bundles may then extend each other.
    acyclic: bool,
}

/// What the steps of one bundle changed, as far as the kept evaluations care.
struct Applied {
    steps: Vec<TaskId>,
    /// Classes whose locks, live groups or needed coverage changed.
    changed: FixedBitSet,
    /// Classes whose coverage shrank.
    shrunk: FixedBitSet,
    /// Classes with the same coverage from changed sources, with those databases.
    sources: BTreeMap<usize, FixedBitSet>,
    /// Databases the steps change.
    changed_dbs: FixedBitSet,
    /// Whether a step lifts a lock.
    lifts_locks: bool,
}

impl<'a> Schedule<'a> {
    fn new(ws: &'a Workspace, engine: Engine<'a>) -> Self {
        let n = ws.tasks.len();
        let dependents = dependents(ws);
        Schedule {
            ws,
            engine,
            scheduled: ws.tasks.iter().map(|t| !schedulable(t)).collect(),
            order: Vec::new(),
            made_ready: Vec::new(),
            cache: (0..n).map(|_| None).collect(),
            dirty: IdVec::from_elem(None, n),
            acyclic: acyclic(ws, &dependents),
            dependents,
        }
    }

    /// The candidate whose bundle the next greedy round takes: the best submissions per unit
    /// of effort, then the most components, the earliest due date and the smallest id. None
    /// once every task is scheduled or no bundle makes anything ready.
    fn best_bundle(&mut self) -> Option<TaskId> {
        let candidates: Vec<TaskId> = self.ws.tasks.ids().filter(|&t| !self.scheduled[t]).collect();
        if candidates.is_empty() {
            return None;
        }
        self.evaluate_stale(&candidates);
        // Debug builds (every test) check that no cached gain went stale.
        #[cfg(debug_assertions)]
        for &t in &candidates {
            let (e, tasks) = self.cache[t].as_ref().map(|e| (e, e.bundle.to_vec())).expect("evaluated");
            assert_eq!(e.gain, self.engine.evaluate_naive(&tasks), "cached gain of bundle {:?}", tasks);
        }
        let ws = self.ws;
        let scored: Vec<(TaskId, (f64, u64))> = candidates.iter().map(|&t| (t, self.score(t))).collect();
        let best = scored.iter().max_by(|(a, (sa, ca)), (b, (sb, cb))| {
            sa.total_cmp(sb)
                .then(ca.cmp(cb))
                .then_with(|| due_key(ws, *b).cmp(&due_key(ws, *a)))
                .then_with(|| ws.tasks[*b].id.cmp(&ws.tasks[*a].id))
        });
        let &(best, (_, best_components)) = best?;
        (best_components > 0).then_some(best)
    }

    /// Evaluates the candidates with no evaluation or dirty classes, in parallel: a kept
    /// evaluation is worked out again only in its dirty classes.
    fn evaluate_stale(&mut self, candidates: &[TaskId]) {
        let fresh = self.fresh_bundles(candidates);
        let mut kept: Vec<(TaskId, Evaluation, FixedBitSet)> = Vec::new();
        for &t in candidates {
            if let Some(classes) = self.dirty[t].take() {
                kept.push((t, self.cache[t].take().expect("a dirty candidate is evaluated"), classes));
            }
        }
        let engine = &self.engine;
        #[cfg(debug_assertions)]
        let (ws, scheduled) = (self.ws, &self.scheduled);
        let evaluated: Vec<(TaskId, Evaluation)> = fresh
            .into_par_iter()
            .map(|(t, bundle, fold)| (t, engine.evaluate_folded(bundle, fold)))
            .chain(kept.into_par_iter().map(|(t, old, classes)| (t, engine.reevaluate(old, &classes))))
            .map(|(t, e)| {
                #[cfg(debug_assertions)]
                {
                    e.check_against(&engine.evaluate(Bundle::new(ws, bundle(ws, t, scheduled))));
                    let tasks = e.bundle.to_vec();
                    assert_eq!(e.gain, engine.evaluate_naive(&tasks), "incremental gain of bundle {tasks:?}");
                }
                (t, e)
            })
            .collect();
        for (t, e) in evaluated {
            self.cache[t] = Some(e);
            self.dirty[t] = None;
        }
    }

    /// The bundles of the candidates with no kept evaluation, each with what it leaves from the
    /// current state. A candidate that depends on one unscheduled task ([`extends`]) takes that
    /// task's bundle, kept or built here first, with itself after it, and what that bundle
    /// leaves with its own effects applied: a chain's bundles cost one task each, not the chain
    /// up to them.
    fn fresh_bundles(&self, candidates: &[TaskId]) -> Vec<(TaskId, Bundle, Fold)> {
        let (ws, state, scheduled) = (self.ws, &self.engine.state, &self.scheduled);
        let mut out: Vec<(TaskId, Bundle, Fold)> = Vec::new();
        let mut at: IdVec<TaskId, usize> = IdVec::from_elem(usize::MAX, ws.tasks.len());
        let pending = |t: TaskId, at: &IdVec<TaskId, usize>| self.cache[t].is_none() && at[t] == usize::MAX;
        for &t in candidates {
            let mut stack = vec![t];
            while let Some(&x) = stack.last() {
                if !pending(x, &at) {
                    stack.pop();
                    continue;
                }
                let base = extends(ws, x, scheduled, self.acyclic);
                if let Some(d) = base
                    && pending(d, &at)
                {
                    stack.push(d);
                    continue;
                }
                let (bundle, fold) = match base {
                    Some(d) => {
                        let (before, mut fold) = match &self.cache[d] {
                            Some(e) => (&e.bundle, e.prepared.touched.fold()),
                            None => (&out[at[d]].1, out[at[d]].2.clone()),
                        };
                        fold.apply(ws, state, x);
                        (before.extended(ws, x), fold)
                    }
                    None => {
                        let tasks = bundle(ws, x, scheduled);
                        let fold = Fold::of(ws, state, &tasks);
                        (Bundle::new(ws, tasks), fold)
                    }
                };
                at[x] = out.len();
                out.push((x, bundle, fold));
                stack.pop();
            }
        }
        out
    }

    /// Submissions per unit of effort of a candidate's bundle (infinite when it costs nothing
    /// and makes something ready), and the components it makes ready.
    fn score(&self, t: TaskId) -> (f64, u64) {
        let e = self.cache[t].as_ref().expect("evaluated");
        let effort = e.bundle.effort();
        let per_effort = if effort > 0.0 {
            e.gain.submissions as f64 / effort
        } else if e.gain.components > 0 {
            f64::INFINITY
        } else {
            0.0
        };
        (per_effort, e.gain.components)
    }

    /// Schedules the bundle of `best` as greedy steps and marks what the kept evaluations
    /// must work out again.
    fn take_bundle(&mut self, best: TaskId) {
        let steps = self.cache[best].as_ref().expect("evaluated").bundle.to_vec();
        let applied = self.apply_steps(steps);
        self.mark_stale(&applied);
    }

    /// Applies greedy steps in order and gathers what they changed.
    fn apply_steps(&mut self, steps: Vec<TaskId>) -> Applied {
        let ws = self.ws;
        let classes = self.engine.classes.rep.len();
        let mut applied = Applied {
            steps: Vec::new(),
            changed: FixedBitSet::with_capacity(classes),
            shrunk: FixedBitSet::with_capacity(classes),
            sources: BTreeMap::new(),
            changed_dbs: FixedBitSet::with_capacity(ws.databases.len()),
            lifts_locks: false,
        };
        for &s in &steps {
            self.scheduled[s] = true;
            let change = self.engine.apply(s, true);
            applied.changed.union_with(&change.classes);
            applied.shrunk.union_with(&change.shrunk);
            for (c, dbs) in change.sources {
                applied.sources.entry(c).or_default().union_with(&dbs);
            }
            let effects = &ws.tasks[s].effects;
            applied.changed_dbs.extend(effects.iter().filter_map(Effect::database).map(DbId::index));
            applied.lifts_locks |= effects.iter().any(|e| matches!(e, Effect::Unlock(_)));
            self.order.push((s, true));
            self.made_ready.push(change.ready);
        }
        applied.steps = steps;
        applied
    }

    /// What the applied steps may have changed. A bundle that shares a database with them, or
    /// contains one of them, is evaluated afresh. Otherwise its gain is a sum over the classes
    /// it makes hot, each depending only on that class; it changes in a hot class whose
    /// coverage, locks or live groups changed, or whose sources changed where the bundle
    /// touches one of them, and a class it reaches turns hot only when coverage shrinks. Only
    /// those classes are worked out again.
    fn mark_stale(&mut self, applied: &Applied) {
        let classes = self.engine.classes.rep.len();
        let holding = holding(&self.dependents, &applied.steps, &self.scheduled);
        for (t, entry) in self.cache.iter_mut().enumerate() {
            let t = TaskId::new(t);
            let Some(e) = entry else { continue };
            if !e.dbs().is_disjoint(&applied.changed_dbs) || holding.contains(t.index()) {
                *entry = None;
                self.dirty[t] = None;
                continue;
            }
            if applied.lifts_locks {
                self.engine.refresh_locks(&mut e.prepared);
            }
            let mut d = e.hot.clone();
            d.intersect_with(&applied.changed);
            let mut turned = e.reached().clone();
            turned.intersect_with(&applied.shrunk);
            d.union_with(&turned);
            for (&c, dbs) in &applied.sources {
                if e.hot.contains(c) && !dbs.is_disjoint(e.dbs()) {
                    d.insert(c);
                }
            }
            if !d.is_clear() {
                self.dirty[t].get_or_insert_with(|| FixedBitSet::with_capacity(classes)).union_with(&d);
            }
        }
    }

    /// The tail: tasks that make nothing ready on their own, by due date (absent last), then
    /// id, each after its unscheduled dependencies.
    fn take_tail(&mut self) {
        let ws = self.ws;
        let mut tail: Vec<TaskId> = ws.tasks.ids().filter(|&t| !self.scheduled[t]).collect();
        tail.sort_by(|&a, &b| due_key(ws, a).cmp(&due_key(ws, b)).then_with(|| ws.tasks[a].id.cmp(&ws.tasks[b].id)));
        for t in tail {
            if self.scheduled[t] {
                continue;
            }
            for s in bundle(ws, t, &self.scheduled) {
                self.scheduled[s] = true;
                self.order.push((s, false));
                self.made_ready.push(self.engine.apply(s, false).ready);
            }
        }
    }
}
