//! Document types: the facts each proves, its burden, and a legal lock.

use super::{Context, Pending, Registry, at, check_non_negative, fact_set};
use crate::diag::Diagnostic;
use crate::model;
use crate::workspace::{DocId, Document, IdVec, Lock};

/// The registered documents with their facts resolved and burdens checked.
pub(super) fn validate(
    docs: &Registry<DocId, Pending<model::Document>>,
    cx: &Context,
    diags: &mut Vec<Diagnostic>,
) -> IdVec<DocId, Document> {
    let mut out = IdVec::with_capacity(docs.items.len());
    for p in &docs.items {
        let d = &p.raw;
        let ctx = format!("`proves` of document `{}`", d.id.value);
        let proves = fact_set(cx.fact_ids, &p.file, &d.proves, &ctx, diags);
        let (mut hours, mut cost) = (0.0, 0.0);
        if let Some(b) = &d.burden {
            if let Some(h) = &b.hours {
                hours = check_non_negative(&p.file, h, "`burden.hours`", 1e4, diags).unwrap_or(0.0);
            }
            if let Some(c) = &b.cost {
                cost = check_non_negative(&p.file, c, "`burden.cost`", 1e12, diags).unwrap_or(0.0);
            }
        }
        out.push(Document {
            id: d.id.value.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            names: d.names.clone(),
            result_codes: d.result_codes.clone(),
            kind: d.kind.as_ref().map_or(model::DocumentKind::Evidence, |k| k.value),
            proves,
            hours,
            cost,
            lock: d.lock.as_ref().map(|l| Lock { basis: l.basis.clone(), reason: l.reason.clone() }),
            at: at(&p.file, &d.id),
        });
    }
    out
}
