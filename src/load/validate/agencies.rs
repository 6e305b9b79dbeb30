//! Agencies and their mergers.

use super::{Pending, Registry, at, parse_date, resolve};
use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::workspace::{Agency, AgencyId, IdVec};
use std::collections::BTreeSet;

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
        out.push(Agency { id: a.id.value.clone(), name: a.name.clone(), name_en: a.name_en.clone(), merged_into, merged_on });
    }
    merger_cycles(agencies, &mut out, diags);
    out
}

/// Diagnoses agencies merged into each other in a cycle, and breaks each cycle so that walks
/// to a successor end.
fn merger_cycles(agencies: &Registry<AgencyId, Pending<model::Agency>>, out: &mut IdVec<AgencyId, Agency>, diags: &mut Vec<Diagnostic>) {
    for start in out.ids() {
        let mut seen = BTreeSet::new();
        let mut cur = start;
        while let Some(next) = out[cur].merged_into {
            if !seen.insert(cur) {
                break;
            }
            cur = next;
            if cur == start {
                let members: Vec<&str> = seen.iter().map(|&i| out[i].id.as_str()).collect();
                if members.iter().min() == Some(&out[start].id.as_str()) {
                    diags.push(
                        Diagnostic::new(
                            Code::MergerCycle,
                            format!("agencies are merged into each other in a cycle: {}", members.join(" → ")),
                            Some(agencies.first(start)),
                        )
                        .help("one agency of the cycle must be the successor and have no `merged_into`"),
                    );
                }
                out[start].merged_into = None;
                break;
            }
        }
    }
}
