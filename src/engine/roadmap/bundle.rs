//! A task's bundle: the task with its dependencies not yet scheduled, in dependency order.

use crate::workspace::*;
use std::collections::BTreeSet;

/// Transitive dependencies of `t` not yet scheduled, plus `t`, in dependency order (ties by id).
pub(super) fn bundle(ws: &Workspace, t: TaskId, scheduled: &[bool]) -> Vec<TaskId> {
    let mut set = BTreeSet::new();
    let mut stack = vec![t];
    while let Some(x) = stack.pop() {
        if scheduled[x as usize] || !set.insert(x) {
            continue;
        }
        stack.extend(ws.tasks[x as usize].depends_on.iter().copied());
    }
    // Kahn's algorithm, smallest id first among the ready ones.
    let mut order = Vec::with_capacity(set.len());
    let mut left: BTreeSet<TaskId> = set;
    while !left.is_empty() {
        let next = left
            .iter()
            .copied()
            .filter(|&x| ws.tasks[x as usize].depends_on.iter().all(|d| !left.contains(d)))
            .min_by(|a, b| ws.tasks[*a as usize].id.cmp(&ws.tasks[*b as usize].id));
        // Cycles are load errors; should one slip through, take the smallest id to stay total.
        let next = next
            .unwrap_or_else(|| *left.iter().min_by(|a, b| ws.tasks[**a as usize].id.cmp(&ws.tasks[**b as usize].id)).expect("non-empty"));
        left.remove(&next);
        order.push(next);
    }
    order
}
