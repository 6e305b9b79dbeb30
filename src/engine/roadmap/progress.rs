//! Task progress by status and owner, and overdue tasks.

use crate::workspace::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Task progress as a national progress report states it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
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
    /// Per owner, sorted by owner id.
    pub by_owner: Vec<OwnerProgress>,
    /// Due before `as_of` and not done, oldest first.
    pub overdue: Vec<Overdue>,
}

/// Progress of one owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnerProgress {
    /// Owner agency id (empty when none).
    pub owner: String,
    /// All its tasks.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Routine.
    pub routine: u64,
    /// Not started.
    pub not_started: u64,
    /// Overdue.
    pub overdue: u64,
}

/// An overdue task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    /// Task id.
    pub task: String,
    /// Owner agency id.
    pub owner: String,
    /// Due date.
    pub due: String,
    /// Status.
    pub status: TaskStatus,
    /// Days past due as of `as_of`.
    pub days_overdue: i64,
}

/// Counts tasks by status and owner, and lists overdue ones.
pub fn progress(ws: &Workspace) -> Progress {
    let as_of = ws.policy.as_of;
    let mut p = Progress::default();
    let mut owners: BTreeMap<String, OwnerProgress> = BTreeMap::new();
    let mut overdue = Vec::new();
    for t in &ws.tasks {
        let owner = t.owner.map(|o| ws.agencies[o].id.clone()).unwrap_or_default();
        let o = owners.entry(owner.clone()).or_insert_with(|| OwnerProgress { owner: owner.clone(), ..Default::default() });
        p.total += 1;
        o.total += 1;
        let (a, b) = match t.status {
            TaskStatus::Done => (&mut p.done, &mut o.done),
            TaskStatus::InProgress => (&mut p.in_progress, &mut o.in_progress),
            TaskStatus::Routine => (&mut p.routine, &mut o.routine),
            TaskStatus::NotStarted => (&mut p.not_started, &mut o.not_started),
        };
        *a += 1;
        *b += 1;
        if let Some(due) = t.due
            && due < as_of
            && t.status != TaskStatus::Done
        {
            o.overdue += 1;
            overdue.push(Overdue {
                task: t.id.clone(),
                owner,
                due: due.to_string(),
                status: t.status,
                days_overdue: (as_of - due).num_days(),
            });
        }
    }
    overdue.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.task.cmp(&b.task)));
    p.by_owner = owners.into_values().collect();
    p.overdue = overdue;
    p
}
