//! The comparison as CSV for a spreadsheet: one row per change with the same columns
//! throughout, blank where a column does not apply to the row's kind of change.

use super::{Diff, FieldChange, Figures, ProcedureChange, ProcedureEntry};
use crate::report::text::csv_row;

type Writer = csv::Writer<Vec<u8>>;

/// Every row has these columns, whatever its kind of change.
const HEADER: [&str; 19] = [
    "change",
    "procedure",
    "name",
    "agency",
    "sector",
    "document",
    "of",
    "old_status",
    "new_status",
    "old_annual_volume",
    "new_annual_volume",
    "old_documents_before",
    "new_documents_before",
    "old_documents_after_now",
    "new_documents_after_now",
    "old_documents_after_roadmap",
    "new_documents_after_roadmap",
    "old_submissions_before",
    "new_submissions_before",
];

fn s(v: u64) -> String {
    v.to_string()
}

/// The `total` row: only the document and submission counts apply to the whole catalog.
fn total(w: &mut Writer, t: &Figures) {
    let _ = csv_row(
        w,
        [
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            s(t.documents_before.old),
            s(t.documents_before.new),
            s(t.documents_after_now.old),
            s(t.documents_after_now.new),
            s(t.documents_after_roadmap.old),
            s(t.documents_after_roadmap.new),
            s(t.submissions_before.old),
            s(t.submissions_before.new),
        ],
    );
}

/// A procedure only one side has: its counts go in that side's columns, the other's stay blank.
fn entry(w: &mut Writer, kind: &str, p: &ProcedureEntry, added: bool) {
    let pick = |v: u64| if added { (String::new(), v.to_string()) } else { (v.to_string(), String::new()) };
    let (ov, nv) = pick(p.annual_volume);
    let (ob, nb) = pick(p.documents_before);
    let (on, nn) = pick(p.documents_after_now);
    let (or, nr) = pick(p.documents_after_roadmap);
    let (os, ns) = pick(p.submissions_before);
    let _ = csv_row(
        w,
        [
            kind,
            &p.id,
            &p.name,
            &p.agency,
            p.sector.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            &ov,
            &nv,
            &ob,
            &nb,
            &on,
            &nn,
            &or,
            &nr,
            &os,
            &ns,
        ],
    );
}

/// A changed procedure's own row with both sides' counts.
fn changed(w: &mut Writer, c: &ProcedureChange) {
    let _ = csv_row(
        w,
        [
            "procedure_changed",
            &c.id,
            &c.name,
            &c.agency,
            c.sector.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            &s(c.annual_volume.old),
            &s(c.annual_volume.new),
            &s(c.documents_before.old),
            &s(c.documents_before.new),
            &s(c.documents_after_now.old),
            &s(c.documents_after_now.new),
            &s(c.documents_after_roadmap.old),
            &s(c.documents_after_roadmap.new),
            &s(c.submissions_before.old),
            &s(c.submissions_before.new),
        ],
    );
}

/// A component row of a changed procedure: it repeats the procedure so each row stands alone
/// when filtered, and leaves the counts blank (they belong to the procedure's row).
fn document(w: &mut Writer, c: &ProcedureChange, kind: &str, document: &str, of: Option<&str>, old: &str, new: &str) {
    let blank = ["", "", "", "", "", "", "", "", "", ""];
    let mut row = vec![
        kind,
        c.id.as_str(),
        c.name.as_str(),
        c.agency.as_str(),
        c.sector.as_deref().unwrap_or(""),
        document,
        of.unwrap_or(""),
        old,
        new,
    ];
    row.extend(blank);
    let _ = csv_row(w, row);
}

/// A field of a changed procedure that moved: its name in `document`, its old and new values in
/// `old_status` and `new_status` (the columns of "what it was" and "what it is").
fn field(w: &mut Writer, c: &ProcedureChange, f: &FieldChange) {
    let (old, new) = (f.old.as_deref().unwrap_or(""), f.new.as_deref().unwrap_or(""));
    document(w, c, &format!("{}_changed", f.field), f.field, None, old, new);
}

/// One CSV row per change: a `total` row, then procedures added, removed, changed, and the
/// documents added, removed or with another status inside changed procedures.
pub fn csv(d: &Diff) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = csv_row(&mut w, HEADER);
    total(&mut w, &d.totals);
    for p in &d.added {
        entry(&mut w, "procedure_added", p, true);
    }
    for p in &d.removed {
        entry(&mut w, "procedure_removed", p, false);
    }
    for c in &d.changed {
        changed(&mut w, c);
        for a in &c.documents_added {
            document(&mut w, c, "document_added", &a.document, a.of.as_deref(), "", a.status.as_str());
        }
        for r in &c.documents_removed {
            document(&mut w, c, "document_removed", &r.document, r.of.as_deref(), r.status.as_str(), "");
        }
        for st in &c.status_changes {
            document(&mut w, c, "status_changed", &st.document, st.of.as_deref(), st.old.as_str(), st.new.as_str());
        }
        for f in &c.fields_changed {
            field(&mut w, c, f);
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 csv")
}
