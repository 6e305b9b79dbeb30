//! Matching the two sides: a procedure's components by document and occurrence, and the sums
//! of a side's procedures in total and by agency or sector.

use super::{Change, ComponentChange, FieldChange, Figures, GroupDiff, ProcedureChange, ProcedureEntry, StatusChange};
use crate::report::{AnalysisReport, ComponentReport, ProcedureReport, ProcedureRow};
use std::collections::BTreeMap;

/// What one side's procedures add up to.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    procedures: u64,
    figures: crate::engine::figures::Figures,
}

impl Sums {
    fn add(&mut self, p: &ProcedureReport) {
        self.procedures = self.procedures.saturating_add(1);
        self.figures += &p.figures();
    }

    fn figures(old: Sums, new: Sums) -> Figures {
        let (o, n) = (&old.figures, &new.figures);
        Figures {
            procedures: Change::new(old.procedures, new.procedures),
            documents_before: Change::new(o.documents_before, n.documents_before),
            documents_after_now: Change::new(o.documents_after_now, n.documents_after_now),
            documents_after_roadmap: Change::new(o.documents_after_roadmap, n.documents_after_roadmap),
            submissions_before: Change::new(o.submissions_before, n.submissions_before),
            submissions_after_now: Change::new(o.submissions_after_now, n.submissions_after_now),
            submissions_after_roadmap: Change::new(o.submissions_after_roadmap, n.submissions_after_roadmap),
        }
    }
}

impl From<&ProcedureReport<'_>> for ProcedureEntry {
    fn from(p: &ProcedureReport<'_>) -> Self {
        ProcedureEntry {
            id: p.id.to_string(),
            name: p.name.to_string(),
            name_en: p.name_en.as_ref().map(|n| n.to_string()),
            agency: p.agency.to_string(),
            sector: p.sector.as_ref().map(|n| n.to_string()),
            annual_volume: p.annual_volume,
            documents_before: p.documents_before,
            documents_after_now: p.documents_after_now,
            documents_after_roadmap: p.documents_after_roadmap,
            submissions_before: p.submissions()[0],
            documents: p.components.iter().map(|c| c.document.to_string()).collect(),
        }
    }
}

type ComponentKey = (String, Option<String>, Vec<String>);

fn key(c: &ComponentReport<'_>) -> ComponentKey {
    (c.document.to_string(), c.of.as_ref().map(|o| o.to_string()), c.alternatives.iter().map(|a| a.to_string()).collect())
}

fn component_change(c: &ComponentReport<'_>) -> ComponentChange {
    let (document, of, alternatives) = key(c);
    ComponentChange { document, of, alternatives, status: c.status }
}

/// The fields of a procedure that moved between its two versions, in a fixed order.
fn fields_changed(o: &ProcedureReport<'_>, n: &ProcedureReport<'_>) -> Vec<FieldChange> {
    let text = |v: Option<&str>| v.map(str::to_string);
    [
        ("name", Some(&*o.name), Some(&*n.name)),
        ("name_en", o.name_en.as_deref(), n.name_en.as_deref()),
        ("agency", Some(&*o.agency), Some(&*n.agency)),
        ("level", Some(&*o.level), Some(&*n.level)),
        ("sector", o.sector.as_deref(), n.sector.as_deref()),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(field, old, new)| FieldChange { field, old: text(old), new: text(new) })
    .collect()
}

/// Compares one procedure's two versions; `None` when they are the same.
pub(super) fn procedure(o: &ProcedureReport, n: &ProcedureReport) -> Option<ProcedureChange> {
    // Components are matched by (document, of, alternatives) and occurrence: the k-th
    // `health_cert` of the old side pairs with the k-th of the new side.
    let mut olds: BTreeMap<ComponentKey, Vec<&ComponentReport>> = BTreeMap::new();
    for c in &o.components {
        olds.entry(key(c)).or_default().push(c);
    }
    let mut news: BTreeMap<ComponentKey, Vec<&ComponentReport>> = BTreeMap::new();
    for c in &n.components {
        news.entry(key(c)).or_default().push(c);
    }
    let (mut added, mut removed, mut status_changes) = (Vec::new(), Vec::new(), Vec::new());
    for c in &n.components {
        let k = key(c);
        let nth = news[&k].iter().position(|x| std::ptr::eq(*x, c)).expect("indexed");
        match olds.get(&k).and_then(|v| v.get(nth)) {
            None => added.push(component_change(c)),
            Some(oc) if oc.status != c.status => status_changes.push(StatusChange {
                document: c.document.to_string(),
                of: c.of.as_ref().map(|o| o.to_string()),
                old: oc.status,
                new: c.status,
            }),
            Some(_) => {}
        }
    }
    for c in &o.components {
        let k = key(c);
        let nth = olds[&k].iter().position(|x| std::ptr::eq(*x, c)).expect("indexed");
        if news.get(&k).and_then(|v| v.get(nth)).is_none() {
            removed.push(component_change(c));
        }
    }
    let ch = ProcedureChange {
        id: n.id.to_string(),
        name: n.name.to_string(),
        name_en: n.name_en.as_ref().map(|x| x.to_string()),
        agency: n.agency.to_string(),
        sector: n.sector.as_ref().map(|x| x.to_string()),
        annual_volume: Change::new(o.annual_volume, n.annual_volume),
        documents_before: Change::new(o.documents_before, n.documents_before),
        documents_after_now: Change::new(o.documents_after_now, n.documents_after_now),
        documents_after_roadmap: Change::new(o.documents_after_roadmap, n.documents_after_roadmap),
        submissions_before: Change::new(o.submissions()[0], n.submissions()[0]),
        asks_more: n.documents_before > o.documents_before || n.documents_after_now > o.documents_after_now,
        documents_added: added,
        documents_removed: removed,
        status_changes,
        fields_changed: fields_changed(o, n),
    };
    let same = !ch.annual_volume.changed()
        && !ch.documents_before.changed()
        && !ch.documents_after_now.changed()
        && !ch.documents_after_roadmap.changed()
        && !ch.submissions_before.changed()
        && ch.documents_added.is_empty()
        && ch.documents_removed.is_empty()
        && ch.status_changes.is_empty()
        && ch.fields_changed.is_empty();
    (!same).then_some(ch)
}

/// Each group's figures on both sides, by key; only groups whose figures moved.
pub(super) fn groups(old: &AnalysisReport, new: &AnalysisReport, by: impl Fn(&ProcedureReport<'_>) -> String) -> Vec<GroupDiff> {
    let mut acc: BTreeMap<String, (Sums, Sums)> = BTreeMap::new();
    for p in &old.procedures {
        acc.entry(by(p)).or_default().0.add(p);
    }
    for p in &new.procedures {
        acc.entry(by(p)).or_default().1.add(p);
    }
    acc.into_iter().map(|(key, (o, n))| GroupDiff { key, figures: Sums::figures(o, n) }).filter(|g| g.figures.changed()).collect()
}

/// The figures of every procedure of each side.
pub(super) fn totals(old: &AnalysisReport, new: &AnalysisReport) -> Figures {
    let (mut so, mut sn) = (Sums::default(), Sums::default());
    old.procedures.iter().for_each(|p| so.add(p));
    new.procedures.iter().for_each(|p| sn.add(p));
    Sums::figures(so, sn)
}
