//! The roadmap (docs/format.md, The roadmap): greedy, deterministic ordering of tasks by
//! submissions per year eliminated per unit of effort, phases, burn-down and progress.
//!
//! Scale: components waiting for the roadmap are grouped by reach class (what selectors can
//! tell apart: level, agency, sector, or the procedure itself when a selector names it), needed
//! facts and documents. Whether a group is covered is one bitset test for the whole group. A
//! bundle's gain is a sum over classes; after a step it is worked out again only in the
//! classes the step changed for it (or afresh when they share a database), and debug builds
//! check every gain, cached or new, against a count from scratch.
//!
//! Layout, along a plan's life: `engine` holds what the plan knows about pending components
//! (classes, groups, waiting buckets) and applies a task to it; `evaluation` works out what a
//! bundle would gain; `bundle` finds a task's bundle, or extends the bundle of the one task it
//! waits for; `plan` runs the greedy rounds and the tail; `burn_down` turns the order into
//! phases and what each step unlocks; `progress` counts tasks by status.

mod bundle;
mod burn_down;
mod engine;
mod evaluation;
mod plan;
mod progress;

pub use plan::plan;
pub use progress::{Overdue, OwnerProgress, Progress, progress};

use crate::engine::facts::Facts;
use crate::engine::lookup::State;
use crate::workspace::*;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// A component not eliminated now and not a form or empty: the roadmap may eliminate it.
#[derive(Debug, Clone)]
pub struct PendingComponent<'a> {
    /// Procedure.
    pub proc: ProcId,
    /// Index in the procedure's components.
    pub index: usize,
    /// Facts needed (borrowed from its class: a national catalog has 300,000 of them).
    pub needed: &'a Facts,
    /// Its documents (borrowed from the workspace, read while the procedure is at hand rather
    /// than looked up again when components are grouped).
    pub docs: &'a [DocId],
    /// Submissions per year (the procedure's volume).
    pub volume: u64,
    /// Money per year if eliminated.
    pub money: f64,
}

/// How a pending component was first covered and unlocked.
#[derive(Debug, Clone, PartialEq)]
pub struct Unlock {
    /// Index into the plan's steps.
    pub step: usize,
    /// Databases looked up at that moment.
    pub lookups: Vec<DbId>,
    /// Tasks credited (sorted by id).
    pub unlocked_by: Vec<TaskId>,
}

/// What a step unlocks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unlocks {
    /// Components first covered and unlocked after this step.
    pub components: u64,
    /// Distinct procedures among them.
    pub procedures: u64,
    /// Their submissions per year.
    pub submissions: u64,
    /// Their money per year.
    pub money: f64,
}

/// The running remainder after a step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Remaining {
    /// Documents still asked for (after-now total less everything unlocked so far).
    pub documents: u64,
    /// Submissions per year still made.
    pub submissions: u64,
}

/// One roadmap step: a task in its phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The task.
    pub task: TaskId,
    /// 1-based phase.
    pub phase: u32,
    /// First day of the phase.
    pub phase_start: NaiveDate,
    /// Last day of the phase.
    pub phase_end: NaiveDate,
    /// The phase ends after the task's due date.
    pub at_risk: bool,
    /// Whether it came from the greedy part (false: the by-due-date tail).
    pub greedy: bool,
    /// What it unlocks.
    pub unlocks: Unlocks,
    /// Running remainder.
    pub remaining: Remaining,
}

/// The whole plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// How components were unlocked: one entry per group of components a step made ready.
    pub unlocks: Vec<Unlock>,
    /// By pending component (the index into the `pending` list given to [`plan`]): its entry in
    /// `unlocks`, if a step unlocks it.
    pub unlock_of: Vec<Option<u32>>,
    /// The state after every step.
    pub final_state: State,
    /// Effort per phase the steps were placed with (None = unlimited).
    pub capacity: Option<f64>,
}

/// Roadmap settings.
#[derive(Debug, Clone, Default)]
pub struct RoadmapOptions {
    /// Override of `policy.capacity_per_phase` (Some(None) is not expressible: use the policy).
    pub capacity: Option<f64>,
    /// Override of `policy.phase_months`.
    pub phase_months: Option<u32>,
}

/// Whether a task takes part in the roadmap.
pub fn schedulable(t: &Task) -> bool {
    !matches!(t.status, TaskStatus::Done | TaskStatus::Routine)
}

/// Adds months to a date, keeping the day and clamping to the month's last day.
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}
