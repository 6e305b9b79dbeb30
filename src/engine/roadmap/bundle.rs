//! A task's bundle: the task with its dependencies not yet scheduled, in dependency order;
//! bundles that extend another by one task, sharing it; and the dependency graph read
//! backwards, to find the bundles that held a step.

use crate::workspace::*;
use fixedbitset::FixedBitSet;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// A candidate's bundle as its evaluation keeps it: a task list, or the bundle of the one
/// unscheduled task the candidate depends on with the candidate after it (see [`extends`]).
/// In a chain of n tasks every bundle is the one before it and one more task: n copies of up to
/// n tasks each round were most of the time (and memory) of planning a chain of 20,000.
#[derive(Clone)]
pub(super) struct Bundle(Arc<Part>);

struct Part {
    /// The bundle this one extends.
    before: Option<Bundle>,
    /// The tasks after it, in dependency order.
    tasks: Vec<TaskId>,
    /// Tasks in all.
    len: usize,
    /// Effort in all, summed in dependency order.
    effort: f64,
}

impl Bundle {
    /// The bundle of `tasks`, in dependency order.
    pub(super) fn new(ws: &Workspace, tasks: Vec<TaskId>) -> Self {
        let effort = tasks.iter().map(|&t| ws.tasks[t].effort).sum();
        Bundle(Arc::new(Part { before: None, len: tasks.len(), tasks, effort }))
    }

    /// This bundle with `t` after it. The effort is this one's plus `t`'s: the same sum, in
    /// the same order, as over the whole list.
    pub(super) fn extended(&self, ws: &Workspace, t: TaskId) -> Self {
        let (len, effort) = (self.0.len + 1, self.0.effort + ws.tasks[t].effort);
        Bundle(Arc::new(Part { before: Some(self.clone()), tasks: vec![t], len, effort }))
    }

    /// Its effort, summed in dependency order.
    pub(super) fn effort(&self) -> f64 {
        self.0.effort
    }

    /// Its tasks in dependency order.
    pub(super) fn to_vec(&self) -> Vec<TaskId> {
        let mut parts = Vec::new();
        let mut at = Some(self);
        while let Some(Bundle(part)) = at {
            parts.push(&part.tasks);
            at = part.before.as_ref();
        }
        let mut out = Vec::with_capacity(self.0.len);
        for tasks in parts.into_iter().rev() {
            out.extend_from_slice(tasks);
        }
        out
    }
}

impl Drop for Part {
    /// Bundles nest as deep as a chain is long: dropped one inside the other, they would
    /// recurse that deep.
    fn drop(&mut self) {
        let mut next = self.before.take();
        while let Some(Bundle(part)) = next {
            next = Arc::try_unwrap(part).ok().and_then(|mut p| p.before.take());
        }
    }
}

/// The one task not yet scheduled that `t` (not scheduled) depends on, if there is exactly one
/// (listed once or more), in a workspace without dependency cycles (`acyclic`). The bundle of
/// `t` is then that task's bundle with `t` after it: every other task of that bundle comes
/// before that task, so the order of [`bundle`] places them as it does in that task's bundle,
/// then the task, then `t`, the only task left.
pub(super) fn extends(ws: &Workspace, t: TaskId, scheduled: &IdVec<TaskId, bool>, acyclic: bool) -> Option<TaskId> {
    if !acyclic {
        return None;
    }
    let mut deps = ws.tasks[t].depends_on.iter().copied().filter(|&d| !scheduled[d]);
    let d = deps.next()?;
    deps.all(|e| e == d).then_some(d)
}

/// Per task, the tasks that depend on it (once per listing).
pub(super) fn dependents(ws: &Workspace) -> IdVec<TaskId, Vec<TaskId>> {
    let mut out: IdVec<TaskId, Vec<TaskId>> = IdVec::from_elem(Vec::new(), ws.tasks.len());
    for (t, task) in ws.tasks.iter_enumerated() {
        for &d in &task.depends_on {
            out[d].push(t);
        }
    }
    out
}

/// Whether the tasks' dependencies have no cycle (a load error, but a plan must stay total).
pub(super) fn acyclic(ws: &Workspace, dependents: &IdVec<TaskId, Vec<TaskId>>) -> bool {
    let mut waiting: IdVec<TaskId, usize> = ws.tasks.iter().map(|t| t.depends_on.len()).collect();
    let mut ready: Vec<TaskId> = ws.tasks.ids().filter(|&t| waiting[t] == 0).collect();
    let mut placed = 0;
    while let Some(x) = ready.pop() {
        placed += 1;
        for &y in &dependents[x] {
            waiting[y] -= 1;
            if waiting[y] == 0 {
                ready.push(y);
            }
        }
    }
    placed == ws.tasks.len()
}

/// The tasks whose bundle, as it was just before `steps` were scheduled, held one of them: the
/// steps, and the tasks that depend on one through tasks that were not scheduled then. A
/// bundle is its task's unscheduled dependencies, found through unscheduled tasks only.
/// `scheduled` includes the steps.
pub(super) fn holding(dependents: &IdVec<TaskId, Vec<TaskId>>, steps: &[TaskId], scheduled: &IdVec<TaskId, bool>) -> FixedBitSet {
    let mut held = FixedBitSet::with_capacity(dependents.len());
    held.extend(steps.iter().map(|s| s.index()));
    let mut stack = steps.to_vec();
    while let Some(x) = stack.pop() {
        for &y in &dependents[x] {
            if !scheduled[y] && !held.put(y.index()) {
                stack.push(y);
            }
        }
    }
    held
}

/// Transitive dependencies of `t` not yet scheduled, plus `t`, in dependency order (ties by id).
///
/// The greedy part builds most bundles by extending another ([`extends`]); the others, and the
/// tail's, come from here: a line of tasks is read off directly, and anything else goes through
/// Kahn's algorithm with a heap. Picking by rescanning every task left (quadratic per bundle,
/// cubic per round) took half a minute for a chain of 2,000.
pub(super) fn bundle(ws: &Workspace, t: TaskId, scheduled: &IdVec<TaskId, bool>) -> Vec<TaskId> {
    line(ws, t, scheduled).unwrap_or_else(|| kahn(ws, t, scheduled))
}

/// The bundle when `t` and its unscheduled dependencies form a line, each depending on
/// exactly one unscheduled task but the first: dependency order is then the line read
/// backwards, whatever the ids. None otherwise (or on a cycle).
fn line(ws: &Workspace, t: TaskId, scheduled: &IdVec<TaskId, bool>) -> Option<Vec<TaskId>> {
    if scheduled[t] {
        return Some(Vec::new());
    }
    let mut line = vec![t];
    let mut x = t;
    loop {
        let mut deps = ws.tasks[x].depends_on.iter().copied().filter(|&d| !scheduled[d]);
        let Some(d) = deps.next() else { break };
        if deps.any(|e| e != d) || line.len() >= ws.tasks.len() {
            return None;
        }
        line.push(d);
        x = d;
    }
    line.reverse();
    Some(line)
}

/// The bundle by Kahn's algorithm, with the ready tasks in a heap by (id, number) and a count
/// of unplaced dependencies per task: smallest id first among the ready ones.
fn kahn(ws: &Workspace, t: TaskId, scheduled: &IdVec<TaskId, bool>) -> Vec<TaskId> {
    let members = unscheduled_closure(ws, t, scheduled);
    let at: HashMap<TaskId, usize> = members.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    // Per member, its distinct dependencies in the bundle (a dependency listed twice counts
    // once) and the members that depend on it.
    let mut waiting_on = vec![0usize; members.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (i, &x) in members.iter().enumerate() {
        let deps = &ws.tasks[x].depends_on;
        for (k, d) in deps.iter().enumerate() {
            if let Some(&j) = at.get(d)
                && !deps[..k].contains(d)
            {
                waiting_on[i] += 1;
                dependents[j].push(i);
            }
        }
    }
    let key = |i: usize| Reverse((ws.tasks[members[i]].id.as_str(), members[i]));
    let mut ready: BinaryHeap<_> = (0..members.len()).filter(|&i| waiting_on[i] == 0).map(key).collect();
    let mut placed = vec![false; members.len()];
    let mut order = Vec::with_capacity(members.len());
    while order.len() < members.len() {
        let i = match ready.pop() {
            Some(Reverse((_, x))) => at[&x],
            // Cycles are load errors; should one slip through, take the smallest id to stay total.
            None => (0..members.len()).filter(|&i| !placed[i]).min_by_key(|&i| key(i).0).expect("a task left"),
        };
        placed[i] = true;
        order.push(members[i]);
        for &j in &dependents[i] {
            waiting_on[j] -= 1;
            if waiting_on[j] == 0 && !placed[j] {
                ready.push(key(j));
            }
        }
    }
    order
}

/// `t` and its transitive dependencies not yet scheduled, by task number.
fn unscheduled_closure(ws: &Workspace, t: TaskId, scheduled: &IdVec<TaskId, bool>) -> Vec<TaskId> {
    let mut seen: HashSet<TaskId> = HashSet::default();
    let mut stack = vec![t];
    while let Some(x) = stack.pop() {
        if scheduled[x] || !seen.insert(x) {
            continue;
        }
        stack.extend(ws.tasks[x].depends_on.iter().copied());
    }
    let mut members: Vec<TaskId> = seen.into_iter().collect();
    members.sort_unstable();
    members
}
