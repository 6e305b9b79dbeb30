//! Agencies and their mergers.

use super::{Pending, Registry, at, parse_date, resolve};
use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::workspace::{Agency, AgencyId, IdVec};

/// The registered agencies with their successors; a merger cycle is diagnosed and broken.
pub(super) fn validate(agencies: &Registry<AgencyId, Pending<model::Agency>>, diags: &mut Vec<Diagnostic>) -> IdVec<AgencyId, Agency> {
    let mut out = IdVec::with_capacity(agencies.items.len());
    for p in &agencies.items {
        let a = &p.raw;
        let ctx = format!("`merged_into` of agency `{}`", a.id.value);
        let merged_into = a.merged_into.as_ref().and_then(|m| resolve(&agencies.ids, "agency", &p.file, m, &ctx, diags));
        let merged_on = a.merged_on.as_ref().and_then(|d| parse_date(&p.file, d, "`merged_on`", diags));
        if a.merged_on.is_some() && a.merged_into.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::MissingKey,
                    format!("agency `{}` has `merged_on` but no `merged_into`", a.id.value),
                    Some(at(&p.file, &a.id)),
                )
                .help("name the successor agency in `merged_into`"),
            );
        }
        out.push(Agency {
            id: a.id.value.clone(),
            name: a.name.clone(),
            name_en: a.name_en.clone(),
            names: a.names.clone(),
            merged_into,
            merged_on,
            at: super::at(&p.file, &a.id),
        });
    }
    merger_cycles(agencies, &mut out, diags);
    out
}

/// Diagnoses agencies merged into each other in a cycle, once per cycle at its first member in
/// file order, and breaks each cycle there so that walks to a successor end. Each agency is
/// walked once: a chain of thousands of mergers costs its length, not its square.
fn merger_cycles(agencies: &Registry<AgencyId, Pending<model::Agency>>, out: &mut IdVec<AgencyId, Agency>, diags: &mut Vec<Diagnostic>) {
    // 0: not walked yet; 1: on the current walk; 2: its walk has ended.
    let mut state = vec![0u8; out.len()];
    for start in out.ids() {
        let mut path: Vec<AgencyId> = Vec::new();
        let mut cur = start;
        while state[cur.index()] == 0 {
            state[cur.index()] = 1;
            path.push(cur);
            match out[cur].merged_into {
                Some(next) => cur = next,
                None => break,
            }
        }
        if state[cur.index()] == 1 && out[cur].merged_into.is_some() {
            let at = path.iter().position(|&i| i == cur).expect("on the walk");
            // In the order of the mergers, from the cycle's first agency in file order.
            let mut members = path[at..].to_vec();
            let first = members.iter().enumerate().min_by_key(|&(_, &i)| i).map_or(0, |(k, _)| k);
            members.rotate_left(first);
            let names: Vec<&str> = members.iter().map(|&i| out[i].id.as_str()).collect();
            diags.push(
                Diagnostic::new(
                    Code::MergerCycle,
                    format!("agencies are merged into each other in a cycle: {}", names.join(" → ")),
                    Some(agencies.first(members[0])),
                )
                .help("one agency of the cycle must be the successor and have no `merged_into`"),
            );
            out[members[0]].merged_into = None;
        }
        for &i in &path {
            state[i.index()] = 2;
        }
    }
}
