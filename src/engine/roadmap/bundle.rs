//! A task's bundle: the task with its dependencies not yet scheduled, in dependency order.

use crate::workspace::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Transitive dependencies of `t` not yet scheduled, plus `t`, in dependency order (ties by id).
///
/// Bundles are built for every candidate in every round, so a chain of n dependent tasks
/// builds n bundles of up to n tasks each round: a line of tasks is read off directly, and
/// anything else goes through Kahn's algorithm with a heap. Picking by rescanning every task
/// left (quadratic per bundle, cubic per round) took half a minute for a chain of 2,000.
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
