//! Roadmap tasks: owner, due date, effort, dependencies, and the effects they have when done.

use super::{Context, Pending, Registry, Selectors, at, at_span, check_non_negative, parse_date, quality_scores, resolve};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Located};
use crate::workspace::*;

/// The registered tasks with their references resolved and effects checked.
pub(super) fn validate(
    tasks: &Registry<TaskId, Pending<model::Task>>,
    cx: &Context,
    selectors: &mut Selectors,
    diags: &mut Vec<Diagnostic>,
) -> IdVec<TaskId, Task> {
    let mut out = IdVec::with_capacity(tasks.items.len());
    for p in &tasks.items {
        let t = &p.raw;
        let file = &p.file;
        let owner_ctx = format!("task `{}`", t.id.value);
        let owner = t.owner.as_ref().and_then(|o| resolve(cx.agency_ids, "agency", file, o, &format!("`owner` of {owner_ctx}"), diags));
        let due = t.due.as_ref().and_then(|d| parse_date(file, d, "`due`", diags));
        let effort = t.effort.as_ref().map_or(Some(1.0), |e| check_non_negative(file, e, "`effort`", 1e6, diags)).unwrap_or(1.0);
        let mut depends_on: Vec<TaskId> = t
            .depends_on
            .iter()
            .filter_map(|d| resolve(cx.task_ids, "task", file, d, &format!("`depends_on` of {owner_ctx}"), diags))
            .collect();
        depends_on.sort_unstable();
        depends_on.dedup();
        let effects = t.effects.iter().filter_map(|e| effect(file, e, &owner_ctx, cx, selectors, diags)).collect();
        out.push(Task {
            id: t.id.value.clone(),
            title: t.title.clone().unwrap_or_default(),
            owner,
            status: t.status.value,
            due,
            effort,
            depends_on,
            effects,
            at: at(file, &t.id),
        });
    }
    out
}

/// One effect of a task: a single change to one database, or a document unlocked.
fn effect(
    file: &str,
    located: &Located<model::Effect>,
    owner_ctx: &str,
    cx: &Context,
    selectors: &mut Selectors,
    diags: &mut Vec<Diagnostic>,
) -> Option<Effect> {
    let e = &located.value;
    let kinds = [e.status.is_some(), e.serves.is_some(), e.provides.is_some(), e.quality.is_some()].iter().filter(|&&b| b).count();
    let valid = match (&e.database, &e.unlock) {
        (Some(_), None) => kinds == 1,
        (None, Some(_)) => kinds == 0,
        _ => false,
    };
    if !valid {
        diags.push(
            Diagnostic::new(Code::InvalidEffect, format!("an effect of {owner_ctx} is not one change"), Some(at_span(file, located))).help(
                "write `{ database: ID, status|serves|provides|quality: … }` with exactly one change, or `{ unlock: DOCUMENT }` alone",
            ),
        );
        return None;
    }
    if let Some(u) = &e.unlock {
        return resolve(cx.doc_ids, "document", file, u, &format!("`unlock` of {owner_ctx}"), diags).map(Effect::Unlock);
    }
    let db = resolve(cx.db_ids, "database", file, e.database.as_ref()?, &format!("an effect of {owner_ctx}"), diags)?;
    if let Some(s) = &e.status {
        Some(Effect::Status(db, s.value))
    } else if let Some(list) = &e.serves {
        Some(Effect::Serves(db, list.iter().filter_map(|s| selectors.parse(file, s, owner_ctx, diags)).collect()))
    } else if let Some(list) = &e.provides {
        let context = format!("an effect of {owner_ctx}");
        Some(Effect::Provides(db, list.iter().filter_map(|f| resolve(cx.fact_ids, "fact", file, f, &context, diags)).collect()))
    } else {
        let q = e.quality.as_ref()?;
        Some(Effect::Quality(db, quality_scores(file, q, &format!("an effect of {owner_ctx}"), diags)))
    }
}
