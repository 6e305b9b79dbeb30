//! Databases: status, the facts they provide, whom they serve, and the quality of their data.

use super::{Context, Pending, Registry, Selectors, at, fact_set, quality_scores, resolve};
use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::workspace::{Database, DbId, IdVec};

/// The registered databases with their references resolved and quality checked.
pub(super) fn validate(
    dbs: &Registry<DbId, Pending<model::Database>>,
    cx: &Context,
    selectors: &mut Selectors,
    diags: &mut Vec<Diagnostic>,
) -> IdVec<DbId, Database> {
    let mut out = IdVec::with_capacity(dbs.items.len());
    for p in &dbs.items {
        let d = &p.raw;
        let owner = format!("database `{}`", d.id.value);
        let custodian =
            d.custodian.as_ref().and_then(|c| resolve(cx.agency_ids, "agency", &p.file, c, &format!("`custodian` of {owner}"), diags));
        let provides = fact_set(cx.fact_ids, &p.file, &d.provides, &format!("`provides` of {owner}"), diags);
        let serves = d.serves.iter().filter_map(|s| selectors.parse(&p.file, s, &owner, diags)).collect();
        let (quality, assessed) = quality(&p.file, d, &owner, diags);
        out.push(Database {
            id: d.id.value.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            custodian,
            status: d.status.value,
            provides,
            serves,
            channel: d.channel.clone(),
            quality,
            assessed,
            at: at(&p.file, &d.id),
        });
    }
    out
}

/// The four quality scores and which were assessed; a database without an assessment counts 0.
fn quality(file: &str, d: &model::Database, owner: &str, diags: &mut Vec<Diagnostic>) -> ([f64; 4], [bool; 4]) {
    let mut quality = [0.0; 4];
    let mut assessed = [false; 4];
    match &d.quality {
        Some(q) => {
            let s = quality_scores(file, q, &format!("quality of {owner}"), diags);
            for i in 0..4 {
                assessed[i] = q.criteria()[i].1.is_some();
                quality[i] = s[i].unwrap_or(0.0);
            }
        }
        None => diags.push(
            Diagnostic::new(
                Code::UnassessedQuality,
                format!("{owner} has no quality assessment; every criterion counts 0"),
                Some(at(file, &d.id)),
            )
            .help("add `quality: { correct: …, sufficient: …, clean: …, live: … }` with the latest assessment"),
        ),
    }
    (quality, assessed)
}
