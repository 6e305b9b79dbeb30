//! The parsed files → a [`Workspace`]: every id registered, every reference resolved, every
//! value checked, each kind in its own module against the [`Context`] of the kinds before it.
//! What is invalid is diagnosed and left out; the rest is still built.

mod agencies;
mod cases;
mod checks;
mod databases;
mod documents;
mod facts;
mod policy;
pub(super) mod procedures;
mod registry;
mod selectors;
mod tasks;

use crate::diag::{Code, Diagnostic, Location};
use crate::model::{self, Located, Text};
use crate::workspace::*;
use chrono::NaiveDate;
use procedures::ResolvedProc;
use registry::{Pending, Registry};
use selectors::Selectors;
use std::sync::Arc;

/// The rules' ids of every kind, and what later kinds need of the kinds validated before them.
pub(crate) struct Context<'a> {
    pub(super) fact_ids: &'a Interner<FactId>,
    pub(super) doc_ids: &'a Interner<DocId>,
    pub(super) db_ids: &'a Interner<DbId>,
    pub(super) agency_ids: &'a Interner<AgencyId>,
    pub(super) task_ids: &'a Interner<TaskId>,
    /// Agencies with their mergers, for the merged-agency warning.
    pub(super) agencies: &'a IdVec<AgencyId, Agency>,
    /// The date mergers are attributed as of.
    pub(super) as_of: NaiveDate,
}

/// The rules' items registered by kind, their references not yet resolved.
struct Rules {
    facts: Registry<FactId, Pending<model::Fact>>,
    documents: Registry<DocId, Pending<model::Document>>,
    databases: Registry<DbId, Pending<model::Database>>,
    agencies: Registry<AgencyId, Pending<model::Agency>>,
    tasks: Registry<TaskId, Pending<model::Task>>,
    sectors: Registry<SectorId, Pending<model::Sector>>,
    /// The one `policy` and its file.
    policy: Option<(String, Located<model::Policy>)>,
}

/// Registers the ids of every kind, in path order.
fn register(files: Vec<(String, model::RulesFile)>, diags: &mut Vec<Diagnostic>) -> Rules {
    let mut r = Rules {
        facts: Registry::new("fact"),
        documents: Registry::new("document"),
        databases: Registry::new("database"),
        agencies: Registry::new("agency"),
        tasks: Registry::new("task"),
        sectors: Registry::new("sector"),
        policy: None,
    };
    for (file, rf) in files {
        let file: Arc<str> = file.into();
        for f in rf.facts {
            r.facts.add(&file, Pending { file: file.clone(), raw: f }, |x| &x.raw.id, diags);
        }
        for d in rf.documents {
            r.documents.add(&file, Pending { file: file.clone(), raw: d }, |x| &x.raw.id, diags);
        }
        for d in rf.databases {
            r.databases.add(&file, Pending { file: file.clone(), raw: d }, |x| &x.raw.id, diags);
        }
        for a in rf.agencies {
            r.agencies.add(&file, Pending { file: file.clone(), raw: a }, |x| &x.raw.id, diags);
        }
        for t in rf.tasks {
            r.tasks.add(&file, Pending { file: file.clone(), raw: t }, |x| &x.raw.id, diags);
        }
        for s in rf.sectors {
            r.sectors.add(&file, Pending { file: file.clone(), raw: s }, |x| &x.raw.id, diags);
        }
        if let Some(p) = rf.policy {
            match &r.policy {
                None => r.policy = Some((file.to_string(), p)),
                Some((first_file, first)) => diags.push(
                    Diagnostic::new(Code::DuplicatePolicy, "a second `policy` is defined", Some(at_span(&file, &p)))
                        .related(at_span(first_file, first), "first `policy` here")
                        .help("keep one `policy` mapping for the whole workspace"),
                ),
            }
        }
    }
    r
}

/// The names of every sector, listed or not; listed sectors no procedure names are added.
fn sector_names(listed: &Registry<SectorId, Pending<model::Sector>>, sectors: &mut Interner<SectorId>) -> IdVec<SectorId, Sector> {
    for id in listed.ids.names() {
        sectors.intern(id);
    }
    sectors
        .names()
        .map(|id| {
            listed.ids.get(id).map_or_else(Sector::default, |i| {
                let s = &listed.items[i].raw;
                Sector {
                    name: s.name.clone(),
                    name_en: s.name_en.clone(),
                    names: s.names.clone(),
                    at: Some(at(&listed.items[i].file, &s.id)),
                }
            })
        })
        .collect()
}

/// Builds the workspace from the rules files and the procedure files, which `procedure_files`
/// parses and resolves against the rules' [`Context`] once it is known.
pub(super) fn build(
    root: &std::path::Path,
    as_of: Option<NaiveDate>,
    rules: Vec<(String, model::RulesFile)>,
    procedure_files: impl FnOnce(&Context) -> Vec<(Vec<ResolvedProc>, Vec<Diagnostic>)>,
    diags: &mut Vec<Diagnostic>,
) -> Workspace {
    let r = register(rules, diags);
    // Policy first: `as_of` decides merger attribution.
    let policy = policy::validate(r.policy.as_ref(), as_of, diags);
    let facts = facts::validate(&r.facts);
    let agencies = agencies::validate(&r.agencies, diags);
    let cx = Context {
        fact_ids: &r.facts.ids,
        doc_ids: &r.documents.ids,
        db_ids: &r.databases.ids,
        agency_ids: &r.agencies.ids,
        task_ids: &r.tasks.ids,
        agencies: &agencies,
        as_of: policy.as_of,
    };
    let documents = documents::validate(&r.documents, &cx, diags);
    let (catalog, sectors) = procedures::register(procedure_files(&cx), diags);
    let mut selectors = Selectors::new(&cx, &catalog.ids, sectors);
    let mut databases = databases::validate(&r.databases, &cx, &mut selectors, diags);
    let mut tasks = tasks::validate(&r.tasks, &cx, &mut selectors, diags);
    checks::dependency_cycles(&tasks, diags);
    let mut sectors = selectors.into_sectors();
    let (procedures, proc_ids) = procedures::finish(catalog, &sectors, &mut databases, &mut tasks, diags);
    let sector_names = sector_names(&r.sectors, &mut sectors);
    let ws = Workspace {
        root: root.to_path_buf(),
        fact_ids: r.facts.ids,
        facts,
        doc_ids: r.documents.ids,
        documents,
        db_ids: r.databases.ids,
        databases,
        agency_ids: r.agencies.ids,
        agencies,
        task_ids: r.tasks.ids,
        tasks,
        sectors,
        sector_names,
        procedures,
        proc_ids,
        policy,
    };
    checks::done_tasks_reflected(&ws, diags);
    checks::unused(&ws, diags);
    ws
}

/// Where a text value stands in its file.
fn at(file: &str, t: &Text) -> Location {
    at_span(file, t)
}

/// Where a located value stands in its file.
fn at_span<T>(file: &str, t: &Located<T>) -> Location {
    Location::at(file, t.line.into(), t.column.into()).with_span(t.offset, t.len)
}

/// Resolves references of one kind, diagnosing dangling ones with a did-you-mean.
fn resolve<I: Id>(ids: &Interner<I>, kind: &str, file: &str, r: &Text, context: &str, diags: &mut Vec<Diagnostic>) -> Option<I> {
    resolve_in(ids, kind, file, r, || context.to_string(), diags)
}

/// [`resolve`], with the context written only for a diagnostic: a national catalog resolves
/// millions of references, nearly all of them known.
fn resolve_in<I: Id>(
    ids: &Interner<I>,
    kind: &str,
    file: &str,
    r: &Text,
    context: impl FnOnce() -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<I> {
    if let Some(i) = ids.get(&r.value) {
        return Some(i);
    }
    let context = context();
    let help = ids.did_you_mean(&r.value).unwrap_or_else(|| {
        let folder = if kind == "procedure" { "procedures/" } else { "rules/" };
        format!("define {kind} `{}` under `{folder}`, or fix the name", r.value)
    });
    diags.push(Diagnostic::new(Code::UnknownReference, format!("unknown {kind} `{}` in {context}", r.value), Some(at(file, r))).help(help));
    None
}

/// A `YYYY-MM-DD` date, or a diagnostic.
fn parse_date(file: &str, t: &Text, what: &str, diags: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
    let date = crate::load::date(&t.value);
    if date.is_none() {
        diags.push(
            Diagnostic::new(Code::InvalidDate, format!("{what} `{}` is not a valid date", t.value), Some(at(file, t)))
                .help("write dates as YYYY-MM-DD between 1900 and 2200, e.g. 2025-12-31"),
        );
    }
    date
}

/// A fraction in [0, 1], or a diagnostic.
fn check_fraction(file: &str, v: &Located<f64>, what: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    if (0.0..=1.0).contains(&v.value) {
        Some(v.value)
    } else {
        diags.push(
            Diagnostic::new(Code::OutOfRange, format!("{what} is {}, outside [0, 1]", v.value), Some(at_span(file, v)))
                .help("quality criteria are fractions: 0.95 means 95%"),
        );
        None
    }
}

/// A finite number of zero or more, or a diagnostic.
fn check_non_negative(file: &str, v: &Located<f64>, what: &str, max: f64, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    if v.value > max {
        // Far above any real value: a digit too many, and sums of such values would lose their
        // precision or become infinite.
        diags.push(
            Diagnostic::new(
                Code::OutOfRange,
                format!("{what} is {}, over the largest accepted, {}", shown(v.value), shown(max)),
                Some(at_span(file, v)),
            )
            .help("check the value for a digit too many"),
        );
        None
    } else if v.value.is_finite() && v.value >= 0.0 {
        Some(v.value)
    } else {
        diags.push(
            Diagnostic::new(Code::OutOfRange, format!("{what} is {}, but must be zero or more", v.value), Some(at_span(file, v)))
                .help("write a number of zero or more"),
        );
        None
    }
}

/// A number as a message shows it: whole numbers below 10^15 as they are, others in scientific
/// notation (a value of 300 digits says less than `1e300`).
fn shown(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v}") } else { format!("{v:e}") }
}

/// The four quality criteria, each checked as a fraction.
fn quality_scores(file: &str, q: &model::Quality, what: &str, diags: &mut Vec<Diagnostic>) -> [Option<f64>; 4] {
    let mut out = [None; 4];
    for (i, (name, v)) in q.criteria().into_iter().enumerate() {
        if let Some(v) = v {
            out[i] = check_fraction(file, v, &format!("{what} `{name}`"), diags);
        }
    }
    out
}

/// The set of facts a list names, each checked against the rules.
fn fact_set(fact_ids: &Interner<FactId>, file: &str, list: &[Text], context: &str, diags: &mut Vec<Diagnostic>) -> FactSet {
    let mut s = FactSet::with_capacity(fact_ids.len());
    for f in list {
        if let Some(i) = resolve(fact_ids, "fact", file, f, context, diags) {
            s.insert(i.index());
        }
    }
    s
}

/// Warns that a reference names an agency merged into another.
fn merged_warning(
    file: &str,
    t: &Text,
    agency: AgencyId,
    agencies: &IdVec<AgencyId, Agency>,
    context: impl FnOnce() -> String,
    as_of: NaiveDate,
    diags: &mut Vec<Diagnostic>,
) {
    let a = &agencies[agency];
    let Some(next) = a.merged_into else { return };
    // Written only now: nearly every agency named is not merged.
    let context = context();
    let succ = &agencies[next].id;
    let when = a.merged_on.map(|d| format!(" on {d}")).unwrap_or_default();
    let note = match a.merged_on {
        Some(d) if d > as_of => format!("; it answers until then and is attributed to `{succ}` from {d}"),
        _ => format!("; it is attributed to `{succ}`"),
    };
    diags.push(
        Diagnostic::new(
            Code::MergedAgency,
            format!("{context} names agency `{}`, merged into `{succ}`{when}{note}", a.id),
            Some(at(file, t)),
        )
        .help(format!("name `{succ}` once the catalog is updated for the merger")),
    );
}
