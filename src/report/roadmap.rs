//! The roadmap document (`roadmap --format json`, `roadmap.json`): phase 0, the steps and
//! phases with their burn-down, and progress.

use crate::engine::classify::Status;
use crate::engine::roadmap::{Progress, Remaining, Unlocks};
use crate::engine::{Analysis, SCHEMA_VERSION};
use crate::workspace::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// `roadmap --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapReport {
    /// Output schema version.
    pub schema_version: u32,
    /// Start of phase 1.
    pub as_of: String,
    /// Currency of money figures.
    pub currency: String,
    /// Effort per phase (null: unlimited).
    pub capacity_per_phase: Option<f64>,
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
        let proc = &ws.procedures[p];
        let mut any = false;
        for (c, comp) in cls.iter().zip(&proc.components).filter(|(c, _)| c.status.eliminated_now()) {
            let vol = proc.volume_of(comp);
            any = true;
            phase0.components += 1;
            match c.status {
                Status::LookupNow => phase0.lookup_now += 1,
                _ => phase0.duplicate += 1,
            }
            phase0.submissions = phase0.submissions.saturating_add(vol);
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
        capacity_per_phase: a.plan.capacity,
        phase0,
        steps,
        phases,
        progress: crate::engine::roadmap::progress(ws).into(),
    }
}
