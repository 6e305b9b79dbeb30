//! Procedures: resolved file by file as they are parsed (see [`crate::load::load`]), then
//! registered in path order: the first definition of an id wins, and a duplicate is dropped
//! with the diagnostics of its own references.

use super::registry::{duplicate_id, refused_id};
use super::{Context, at, at_span, fact_set, merged_warning, resolve_in};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Located, Text};
use crate::workspace::*;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A procedure resolved against the rules, waiting to be registered under its id.
pub(in crate::load) struct ResolvedProc {
    file: Arc<str>,
    id: Text,
    sector: Option<Text>,
    /// None when its agency is unknown.
    procedure: Option<Procedure>,
    /// What resolving it found; dropped with it if its id turns out to be taken.
    diags: Vec<Diagnostic>,
}

/// Resolves one parsed procedure's references. Procedures are independent of each other, so
/// each file's are resolved on the core that parsed it.
pub(in crate::load) fn resolve(cx: &Context, file: &Arc<str>, r: model::Procedure) -> ResolvedProc {
    let mut diags = Vec::new();
    let diags = &mut diags;
    // Written only for a diagnostic.
    let ctx = || format!("procedure `{}`", r.id.value);
    let agency = resolve_in(cx.agency_ids, "agency", file, &r.agency, || format!("`agency` of {}", ctx()), diags);
    if let Some(a) = agency {
        merged_warning(file, &r.agency, a, cx.agencies, ctx, cx.as_of, diags);
    }
    let ministry =
        r.ministry.as_ref().and_then(|m| resolve_in(cx.agency_ids, "agency", file, m, || format!("`ministry` of {}", ctx()), diags));
    let annual_volume = volume(file, &r, diags);
    let levels = levels(file, &r, diags);
    let cases = super::cases::cases(file, &r, annual_volume.unwrap_or(0), diags);
    let mut components = Vec::with_capacity(r.documents.len() + r.cases.iter().map(|k| k.value.documents.len()).sum::<usize>());
    for located in r.documents {
        components.extend(component(cx, file, &r.id.value, located, None, diags));
    }
    for (k, case) in r.cases.into_iter().enumerate() {
        for located in case.value.documents {
            components.extend(component(cx, file, &r.id.value, located, Some(k as u32), diags));
        }
    }
    let produces = r
        .produces
        .iter()
        .filter_map(|d| resolve_in(cx.doc_ids, "document", file, d, || format!("`produces` of {}", ctx()), diags))
        .collect();
    let records_to = r
        .records_to
        .iter()
        .filter_map(|d| resolve_in(cx.db_ids, "database", file, d, || format!("`records_to` of {}", ctx()), diags))
        .collect();
    let at = at(file, &r.id);
    let about = (r.applicants.is_some() || !r.legal_basis.is_empty() || r.decision.is_some() || r.source_url.is_some())
        .then(|| Box::new(About { applicants: r.applicants, legal_basis: r.legal_basis, decision: r.decision, source_url: r.source_url }));
    let procedure = agency.map(|agency| Procedure {
        // The id and the sector are set once every file is registered (see `finish`).
        id: String::new(),
        name: r.name,
        name_en: r.name_en,
        agency,
        ministry,
        levels,
        sector: None,
        life_events: r.life_events,
        annual_volume: annual_volume.unwrap_or(0),
        volume_stated: annual_volume.is_some(),
        components,
        cases,
        produces,
        records_to,
        about,
        at,
    });
    ResolvedProc { file: file.clone(), id: r.id, sector: r.sector, procedure, diags: std::mem::take(diags) }
}

/// `annual_volume`, a whole number of zero or more; invalid counts 0, diagnosed; missing is
/// None, diagnosed once for the whole catalog (see [`finish`]).
fn volume(file: &str, r: &model::Procedure, diags: &mut Vec<Diagnostic>) -> Option<u64> {
    Some(match &r.annual_volume {
        None => return None,
        Some(v) if v.value < 0.0 || !v.value.is_finite() || v.value.fract() != 0.0 => {
            diags.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`annual_volume` of procedure `{}` is {}; it must be a whole number of zero or more", r.id.value, v.value),
                    Some(at_span(file, v)),
                )
                .help("write the dossiers per year as a whole number"),
            );
            0
        }
        Some(v) if v.value > MAX_VOLUME as f64 => {
            diags.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!(
                        "`annual_volume` of procedure `{}` is {}, over the largest accepted, {MAX_VOLUME}",
                        r.id.value,
                        super::shown(v.value)
                    ),
                    Some(at_span(file, v)),
                )
                .help("check the value for a digit too many"),
            );
            0
        }
        Some(v) => v.value as u64,
    })
}

/// `level`: one level or a list of at least one.
fn levels(file: &str, r: &model::Procedure, diags: &mut Vec<Diagnostic>) -> Levels {
    let levels = Levels::of(&r.level.value.0);
    if levels.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::WrongType,
                format!("`level` of procedure `{}` is an empty list", r.id.value),
                Some(at_span(file, &r.level)),
            )
            .help("write at least one of central, province, commune and other"),
        );
    }
    levels
}

/// The largest `annual_volume` accepted: ten billion dossiers a year, a hundred per person of
/// the most populous country. Up to it a volume read as a number is an exact integer, and no
/// sum of submissions over any workspace the size caps admit can overflow.
pub(crate) const MAX_VOLUME: u64 = 10_000_000_000;

/// One warning for the procedures without `annual_volume`, at the first of them: an imported
/// catalog may lack every volume, and a warning per procedure would bury the others.
fn missing_volumes(procedures: &IdVec<ProcId, Procedure>, diags: &mut Vec<Diagnostic>) {
    let mut missing = procedures.iter().filter(|p| !p.volume_stated);
    let Some(first) = missing.next() else { return };
    let n = 1 + missing.count();
    let message = if n == 1 {
        format!("procedure `{}` has no `annual_volume`; it counts 0 submissions a year", first.id)
    } else {
        format!("{n} of {} procedures have no `annual_volume`, `{}` the first; they count 0 submissions a year", procedures.len(), first.id)
    };
    diags.push(
        Diagnostic::new(Code::MissingVolume, message, Some(first.at.clone()))
            .help("add `annual_volume:` with the dossiers per year (an estimate with its basis in a comment is fine), or import with `--volumes FILE`"),
    );
}

/// One component of procedure `id`, or None (diagnosed) when it names no valid document.
fn component(
    cx: &Context,
    file: &str,
    id: &str,
    located: Located<model::Component>,
    case: Option<u32>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Component> {
    // Made only for a diagnostic: half a million components are resolved.
    let place = Located { value: (), line: located.line, column: located.column, offset: located.offset, len: located.len };
    let loc = || at_span(file, &place);
    let c = located.value;
    let invalid = |diags: &mut Vec<Diagnostic>, message: String, help: &str| {
        diags.push(Diagnostic::new(Code::InvalidComponent, message, Some(loc())).help(help));
        None
    };
    let refs: &[Text] = match (&c.document, &c.one_of) {
        (Some(d), None) => std::slice::from_ref(d),
        (None, Some(list)) if list.len() >= 2 => list,
        (None, Some(list)) => {
            let entries = if list.len() == 1 { "y" } else { "ies" };
            let message = format!("`one_of` in procedure `{id}` has {} entr{entries}; alternatives need at least two", list.len());
            return invalid(diags, message, "write a single document as `document: ID`");
        }
        (Some(_), Some(_)) => {
            let message = format!("a component of procedure `{id}` has both `document` and `one_of`");
            return invalid(diags, message, "list every acceptable document in `one_of`, or keep only `document`");
        }
        (None, None) => {
            return invalid(
                diags,
                format!("a component of procedure `{id}` names no document"),
                "add `document: ID` or `one_of: [ID, ID]`",
            );
        }
    };
    if c.one_of.is_some() {
        repeated_alternatives(file, id, refs, diags);
    }
    let documents: Vec<DocId> = refs
        .iter()
        .filter_map(|d| resolve_in(cx.doc_ids, "document", file, d, || format!("the documents of procedure `{id}`"), diags))
        .collect();
    if documents.len() != refs.len() {
        return None;
    }
    let proves = c.proves.as_ref().map(|list| fact_set(cx.fact_ids, file, list, &format!("a component of procedure `{id}`"), diags));
    Some(Component { one_of: c.one_of.is_some(), case, documents, of: c.of, proves, when: c.when, copy: c.copy })
}

/// A `one_of` that names a document twice: a warning at each repetition. The alternatives
/// are kept as written; the repetition adds no choice for the applicant.
fn repeated_alternatives(file: &str, id: &str, refs: &[Text], diags: &mut Vec<Diagnostic>) {
    for (k, r) in refs.iter().enumerate() {
        let Some(first) = refs[..k].iter().find(|f| f.value == r.value) else { continue };
        let distinct = refs.iter().enumerate().filter(|(j, d)| !refs[..*j].iter().any(|e| e.value == d.value)).count();
        let help = if distinct == 1 {
            format!("list each alternative once; with one document left, write `document: {}`", r.value)
        } else {
            "list each alternative once".to_string()
        };
        diags.push(
            Diagnostic::new(
                Code::RepeatedAlternative,
                format!("`one_of` in procedure `{id}` lists document `{}` twice", r.value),
                Some(at(file, r)),
            )
            .related(at(file, first), "first listed here")
            .help(help),
        );
    }
}

/// The catalog's procedures in path order, which of them are registered, and their ids.
pub(super) struct Catalog {
    all: Vec<Option<ResolvedProc>>,
    /// Indexes into `all` of the registered procedures, in id order.
    registered: Vec<u32>,
    /// Ids of the registered procedures.
    pub(super) ids: Interner<ProcId>,
}

/// Registers every file's procedures: an empty or padded id is refused, and of the definitions
/// of one id the first in path order wins. Also returns the sectors the registered procedures
/// name, in procedure id order.
pub(super) fn register(files: Vec<(Vec<ResolvedProc>, Vec<Diagnostic>)>, diags: &mut Vec<Diagnostic>) -> (Catalog, Interner<SectorId>) {
    let mut all: Vec<Option<ResolvedProc>> = Vec::with_capacity(files.iter().map(|f| f.0.len()).sum());
    for (list, problems) in files {
        all.extend(list.into_iter().map(Some));
        diags.extend(problems);
    }
    // Registered by sorting (id, place in path order) pairs on every core. The registered ones
    // come out sorted byte-wise by id, so indexes follow output order.
    let mut keys: Vec<(&str, u32)> = all.iter().enumerate().filter_map(|(i, p)| Some((p.as_ref()?.id.value.as_str(), i as u32))).collect();
    keys.par_sort_unstable();
    let mut registered: Vec<u32> = Vec::with_capacity(keys.len());
    for group in keys.chunk_by(|a, b| a.0 == b.0) {
        let Some(first) = &all[group[0].1 as usize] else { continue };
        if refused_id("procedure", &first.file, &first.id).is_some() {
            // The same id for the whole group: every definition is refused.
            diags.extend(
                group.iter().filter_map(|&(_, i)| all[i as usize].as_ref()).filter_map(|p| refused_id("procedure", &p.file, &p.id)),
            );
            continue;
        }
        registered.push(group[0].1);
        for &(_, i) in &group[1..] {
            if let Some(p) = &all[i as usize] {
                diags.push(duplicate_id("procedure", at(&p.file, &p.id), at(&first.file, &first.id), &p.id.value));
            }
        }
    }
    drop(keys);
    if registered.is_empty() && !diags.iter().any(|d| d.code == Code::MissingFolder) {
        diags.push(
            Diagnostic::new(Code::NoProcedures, "the catalog holds no procedure", None)
                .help("add YAML files with a `procedures:` list under `procedures/`"),
        );
    }
    let mut ids = Interner::default();
    let mut sectors = Interner::default();
    for p in registered.iter().filter_map(|&i| all[i as usize].as_ref()) {
        ids.intern(&p.id.value);
        if let Some(s) = &p.sector {
            sectors.intern(&s.value);
        }
    }
    (Catalog { all, registered, ids }, sectors)
}

/// The registered procedures in id order, with their sectors, and their ids. Procedures
/// dropped for a dangling agency leave gaps: ids are interned again so that a `ProcId` stays
/// an index, and selectors naming them are renumbered.
pub(super) fn finish(
    mut catalog: Catalog,
    sectors: &Interner<SectorId>,
    databases: &mut [Database],
    tasks: &mut [Task],
    diags: &mut Vec<Diagnostic>,
) -> (IdVec<ProcId, Procedure>, Interner<ProcId>) {
    let mut out = IdVec::with_capacity(catalog.registered.len());
    for r in catalog.registered.iter().filter_map(|&i| catalog.all[i as usize].take()) {
        diags.extend(r.diags);
        if let Some(mut p) = r.procedure {
            p.id = r.id.value;
            p.sector = r.sector.and_then(|s| sectors.get(&s.value));
            out.push(p);
        }
    }
    missing_volumes(&out, diags);
    if out.len() == catalog.ids.len() {
        return (out, catalog.ids);
    }
    let mut ids = Interner::default();
    for p in &out {
        ids.intern(&p.id);
    }
    let remap: HashMap<ProcId, ProcId> =
        catalog.ids.ids().zip(catalog.ids.names()).filter_map(|(old, name)| ids.get(name).map(|new| (old, new))).collect();
    let renumber = |sels: &mut Vec<Selector>| {
        sels.retain_mut(|s| match s {
            Selector::Procedure(p) => remap.get(p).map(|n| *p = *n).is_some(),
            _ => true,
        })
    };
    for db in databases {
        renumber(&mut db.serves);
    }
    for t in tasks {
        for e in &mut t.effects {
            if let Effect::Serves(_, sels) = e {
                renumber(sels);
            }
        }
    }
    (out, ids)
}
