//! Portal records → procedures of a new workspace: each dossier row recognized against the
//! rules, the documents, agencies and sectors the rules lack created, and every row accounted
//! for in the import report.

use super::dossier::{self, Row};
use super::recognize::{Entry, How, Kind, Recognizer, fold};
use super::record::{Record, Warning};
use super::volumes::Volumes;
use crate::interop::sheet::{ImportedCase, ImportedComponent, ImportedProcedure};
use crate::model::{DocumentKind, Level};
use crate::workspace::{SectorId, Workspace};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A rules file a previous import wrote: its items are recreated, not copied or matched.
pub const IMPORTED_RULES: &str = "imported.yaml";

/// A document, agency or sector the rules lacked.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// Id.
    pub id: String,
    /// Name as the catalog writes it.
    pub name: String,
    /// For documents: `form` or `unknown`.
    pub kind: Option<DocumentKind>,
}

/// One line of `import-report.csv`: what became of one dossier row.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// The record's code.
    pub record: String,
    /// Row number in the record's dossier, from 1.
    pub row: usize,
    /// The row as written.
    pub raw: String,
    /// The document's wording.
    pub name: String,
    /// How it is handed in (`original`, `copy`, `certified_copy`, `presented`), empty for a note.
    pub copy: &'static str,
    /// The case it belongs to, empty when common.
    pub case: String,
    /// The document ids it became, `|`-separated; empty for a note.
    pub document: String,
    /// How it was matched: exact, name, fuzzy, alternatives, form, unknown, or note.
    pub how: &'static str,
    /// The match's score (1 for exact and name matches).
    pub score: f64,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Records read (good and bad).
    pub records: usize,
    /// Procedures written.
    pub procedures: usize,
    /// Dossier rows that are documents (components).
    pub components: usize,
    /// Of them, recognized as known documents (exact, name, fuzzy, alternatives).
    pub mapped: usize,
    /// Of them, forms (known or recognized by their wording).
    pub forms: usize,
    /// Of them, unknown.
    pub unknown: usize,
    /// Rows that are notes, not documents.
    pub notes: usize,
    /// Procedures given a volume from the volumes file.
    pub with_volume: usize,
    /// The most frequent unknown wordings with their counts, most frequent first.
    pub top_unknown: Vec<(String, usize)>,
}

/// What an import makes.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Procedures by output file name (the input folder or file they came from), in order.
    pub files: BTreeMap<String, Vec<ImportedProcedure>>,
    /// The basis of each volume the volumes file gives, by procedure code.
    pub bases: BTreeMap<String, String>,
    /// Documents created.
    pub documents: Vec<Created>,
    /// Agencies created.
    pub agencies: Vec<Created>,
    /// Sectors created.
    pub sectors: Vec<Created>,
    /// Every dossier row.
    pub rows: Vec<ReportRow>,
    /// Records that were not imported, and why.
    pub warnings: Vec<Warning>,
    /// Counts.
    pub summary: Summary,
}

/// Creates ids for what the rules lack, once per folded wording, never reusing a taken id.
#[derive(Default)]
struct Registry {
    by_key: HashMap<String, usize>,
    taken: HashSet<String>,
    items: Vec<Created>,
}

impl Registry {
    fn new(taken: impl Iterator<Item = String>) -> Self {
        Registry { taken: taken.collect(), ..Default::default() }
    }

    /// The id for `name`, created on first sight.
    fn id(&mut self, name: &str, kind: Option<DocumentKind>) -> String {
        let key = fold(name);
        if let Some(&i) = self.by_key.get(&key) {
            return self.items[i].id.clone();
        }
        let base = slug(name);
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        self.by_key.insert(key, self.items.len());
        self.items.push(Created { id: id.clone(), name: name.to_string(), kind });
        id
    }
}

/// An id from a Vietnamese wording: diacritics dropped, lower case, words joined by `_`, at
/// most 60 characters cut at a word.
pub fn slug(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect();
    let mut out = String::new();
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + word.len() >= 60 {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() { "unnamed".to_string() } else { out }
}

/// Entries for the recognizer from the workspace's documents, leaving out those a previous
/// import created (they are made again, so that ids follow the wordings).
fn document_entries(ws: &Workspace) -> Vec<Entry> {
    ws.documents
        .iter()
        .filter(|d| !from_previous_import(&d.at.file))
        .map(|d| Entry {
            id: d.id.clone(),
            name: d.name.clone(),
            names: d.names.clone(),
            result_codes: d.result_codes.clone(),
            kind: match d.kind {
                DocumentKind::Evidence => Kind::Evidence,
                DocumentKind::Form => Kind::Form,
                DocumentKind::Unknown => Kind::Unknown,
            },
        })
        .collect()
}

/// Whether sector `s` is listed in a previous import's rules file.
fn imported_sector(ws: &Workspace, s: SectorId) -> bool {
    ws.sector_names[s].at.as_ref().is_some_and(|at| from_previous_import(&at.file))
}

/// Whether a rules file is one a previous import wrote.
pub fn from_previous_import(file: &str) -> bool {
    std::path::Path::new(file).file_name().is_some_and(|n| n == IMPORTED_RULES)
}

/// Builds procedures from `records` against the workspace's rules.
pub fn build(ws: &Workspace, records: Vec<Record>, warnings: Vec<Warning>, volumes: &Volumes) -> Imported {
    let docs = Recognizer::new(document_entries(ws));
    let agencies = Recognizer::new(
        ws.agencies
            .iter()
            .filter(|a| !from_previous_import(&a.at.file))
            .map(|a| Entry {
                id: a.id.clone(),
                name: a.name.clone(),
                names: a.names.clone(),
                result_codes: Vec::new(),
                kind: Kind::Evidence,
            })
            .collect(),
    );
    let sectors = Recognizer::new(
        ws.sectors
            .ids()
            .filter(|&s| !imported_sector(ws, s))
            .map(|s| {
                let n = &ws.sector_names[s];
                Entry {
                    id: ws.sectors.name(s).to_string(),
                    name: n.name.clone(),
                    names: n.names.clone(),
                    result_codes: Vec::new(),
                    kind: Kind::Evidence,
                }
            })
            .collect(),
    );
    let mut b = Builder {
        docs,
        forms: ws.documents.iter().filter(|d| d.kind == DocumentKind::Form).map(|d| d.id.clone()).collect(),
        recognized: HashMap::new(),
        agency_slugs: ws
            .agencies
            .iter()
            .filter(|a| !from_previous_import(&a.at.file))
            .flat_map(|a| a.name.iter().chain(&a.names).map(|n| (slug(n), a.id.clone())))
            .collect(),
        agencies,
        sectors,
        // A previous import's ids are free again: the same wordings get the same ids.
        new_docs: Registry::new(ws.documents.iter().filter(|d| !from_previous_import(&d.at.file)).map(|d| d.id.clone())),
        new_agencies: Registry::new(ws.agencies.iter().filter(|a| !from_previous_import(&a.at.file)).map(|a| a.id.clone())),
        new_sectors: Registry::new(ws.sectors.ids().filter(|&s| !imported_sector(ws, s)).map(|s| ws.sectors.name(s).to_string())),
        out: Imported { warnings, ..Default::default() },
        unknown_counts: HashMap::new(),
    };
    b.out.summary.records = records.len() + b.out.warnings.len();
    for r in &records {
        let p = b.procedure(ws, r, volumes);
        b.out.summary.with_volume += usize::from(p.annual_volume.is_some());
        b.out.files.entry(r.group.to_string_lossy().into_owned()).or_default().push(p);
    }
    b.finish()
}

struct Builder {
    docs: Recognizer,
    /// The rules' documents of kind `form`.
    forms: HashSet<String>,
    /// What each wording was recognized as.
    recognized: HashMap<String, super::recognize::Match>,
    /// Agency ids by the slug of each of their names, for input folders named after them.
    agency_slugs: HashMap<String, String>,
    agencies: Recognizer,
    sectors: Recognizer,
    new_docs: Registry,
    new_agencies: Registry,
    new_sectors: Registry,
    out: Imported,
    unknown_counts: HashMap<String, (String, usize)>,
}

impl Builder {
    fn procedure(&mut self, ws: &Workspace, r: &Record, volumes: &Volumes) -> ImportedProcedure {
        let split = dossier::split(&r.dossier);
        let mut common = Vec::new();
        let mut cases: Vec<ImportedCase> =
            split.cases.iter().map(|c| ImportedCase { name: c.clone(), share: None, documents: Vec::new() }).collect();
        for row in &split.rows {
            let case_name = row.case.and_then(|k| split.cases.get(k)).cloned().unwrap_or_default();
            let Some(c) = self.component(r, row, case_name) else { continue };
            match row.case.and_then(|k| cases.get_mut(k)) {
                Some(case) => case.documents.push(c),
                None => common.push(c),
            }
        }
        if common.is_empty() && cases.iter().all(|c| c.documents.is_empty()) {
            // A table with its header and no row: the procedure is kept, and said to be empty.
            self.out.warnings.push(Warning {
                file: r.file.clone(),
                item: None,
                reason: format!(
                    "procedure {}: its dossier lists no document (a table with no rows?), so it has no components to analyse",
                    r.code
                ),
            });
        }
        let ministry = self.ministry(r);
        // The competent agency, else the one that handles the dossier, else the ministry that
        // publishes the procedure: some records name neither agency.
        let agency = match (r.competent_agency.as_deref().or(r.performing_agency.as_deref()), &ministry) {
            (Some(n), _) => self.agency(n),
            (None, Some(m)) => m.clone(),
            (None, None) => self.new_agencies.id("Cơ quan không được nêu", None),
        };
        let sector = r.sector.as_deref().map(|s| match self.sectors.by_name(s) {
            Some(id) => id.to_string(),
            None => self.new_sectors.id(s, None),
        });
        let mut produces: Vec<String> = Vec::new();
        for res in &r.results {
            let known = res.code.as_deref().and_then(|c| self.docs.by_result_code(c)).or_else(|| self.docs.by_name(&res.name));
            if let Some(id) = known
                && !produces.iter().any(|p| p == id)
            {
                produces.push(id.to_string());
            }
        }
        self.out.summary.procedures += 1;
        // What the portal does not publish is kept from the workspace's procedure of the same
        // code: its volume estimate, English name, life events and where it records its result.
        let kept = ws.proc_ids.get(&r.code).map(|p| &ws.procedures[p]);
        if let Some(k) = kept {
            for &d in &k.produces {
                let id = &ws.documents[d].id;
                if !produces.contains(id) {
                    produces.push(id.clone());
                }
            }
        }
        let annual_volume = match volumes.get(&r.code) {
            Some((v, basis)) => {
                if let Some(b) = basis {
                    self.out.bases.insert(r.code.clone(), b.clone());
                }
                Some(*v)
            }
            None => kept.filter(|k| k.volume_stated).map(|k| k.annual_volume),
        };
        ImportedProcedure {
            id: r.code.clone(),
            name: Some(r.name.clone()),
            name_en: kept.and_then(|k| k.name_en.clone()),
            life_events: kept.map(|k| k.life_events.clone()).unwrap_or_default(),
            records_to: kept.map(|k| k.records_to.iter().map(|&d| ws.databases[d].id.clone()).collect()).unwrap_or_default(),
            agency,
            ministry,
            levels: if r.levels.is_empty() { vec![Level::Other] } else { r.levels.clone() },
            sector,
            annual_volume,
            documents: common,
            cases,
            produces,
            applicants: r.applicants.clone(),
            legal_basis: r.legal_basis.clone(),
            decision: r.decision.clone(),
            source_url: r.url.clone(),
        }
    }

    /// The ministry that publishes the record: the agency its decision's publisher code names
    /// (`BTP` in `163/QĐ-BTP`), else the agency the input folder is named after (`bo-tu-phap`
    /// for Bộ Tư pháp), else the publisher code as a new agency.
    fn ministry(&mut self, r: &Record) -> Option<String> {
        let code = r.decision.as_deref().and_then(publisher);
        if let Some(id) = code.and_then(|c| self.agencies.by_name(c)) {
            return Some(id.to_string());
        }
        let folder = r.group.file_name().map(|g| slug(&g.to_string_lossy()));
        if let Some(id) = folder.and_then(|f| self.agency_slugs.get(&f)) {
            return Some(id.clone());
        }
        code.map(|c| self.new_agencies.id(c, None))
    }

    /// An agency by its name or other names, else created.
    fn agency(&mut self, name: &str) -> String {
        match self.agencies.by_name(name) {
            Some(id) => id.to_string(),
            None => self.new_agencies.id(name, None),
        }
    }

    /// One dossier row as a component, or None for a note; either way a line of the report.
    fn component(&mut self, r: &Record, row: &Row, case: String) -> Option<ImportedComponent> {
        let mut line = ReportRow {
            record: r.code.clone(),
            row: row.number,
            raw: row.raw.clone(),
            name: row.name.clone(),
            copy: "",
            case,
            document: String::new(),
            how: "note",
            score: 0.0,
        };
        if row.note {
            self.out.summary.notes += 1;
            self.out.rows.push(line);
            return None;
        }
        // Catalogs repeat their wordings (a provincial variant of a procedure, the same ID card
        // in hundreds of dossiers): each is recognized once.
        let m = match self.recognized.get(&row.name) {
            Some(m) => m.clone(),
            None => {
                let m = self.docs.recognize(&row.name);
                self.recognized.insert(row.name.clone(), m.clone());
                m
            }
        };
        let s = &mut self.out.summary;
        s.components += 1;
        let documents = match m.how {
            How::Exact | How::Name | How::Fuzzy | How::Alternatives => {
                if m.documents.iter().all(|d| self.forms.contains(d)) {
                    s.forms += 1;
                } else {
                    s.mapped += 1;
                }
                m.documents.clone()
            }
            How::Form => {
                s.forms += 1;
                vec![self.new_docs.id(&m.wording, Some(DocumentKind::Form))]
            }
            How::Unknown => {
                s.unknown += 1;
                let e = self.unknown_counts.entry(fold(&m.wording)).or_insert_with(|| (m.wording.clone(), 0));
                e.1 += 1;
                vec![self.new_docs.id(&m.wording, Some(DocumentKind::Unknown))]
            }
        };
        let copy = row.copy();
        line.copy = copy.map_or("", crate::interop::sheet::copy_word);
        line.document = documents.join("|");
        line.how = how_word(m.how);
        line.score = m.score;
        self.out.rows.push(line);
        Some(ImportedComponent { documents, of: None, proves: None, when: None, copy })
    }

    fn finish(mut self) -> Imported {
        let mut top: Vec<(String, usize)> = self.unknown_counts.into_values().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(20);
        self.out.summary.top_unknown = top;
        self.out.documents = self.new_docs.items;
        self.out.agencies = self.new_agencies.items;
        self.out.sectors = self.new_sectors.items;
        self.out
    }
}

/// The word `import-report.csv` uses for a match.
fn how_word(h: How) -> &'static str {
    match h {
        How::Exact => "exact",
        How::Name => "name",
        How::Fuzzy => "fuzzy",
        How::Alternatives => "alternatives",
        How::Form => "form",
        How::Unknown => "unknown",
    }
}

/// The publisher's code in a publishing decision: `BTP` in `163/QĐ-BTP`, `NHNN` in
/// `1234/QĐ-NHNN`. Ministries are found by it among the agencies' `names`.
pub fn publisher(decision: &str) -> Option<&str> {
    let after = decision.rsplit_once("QĐ-").map(|(_, a)| a)?;
    let code = after.split(|c: char| !(c.is_alphanumeric())).next()?;
    (!code.is_empty()).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_words() {
        assert_eq!(slug("Tờ khai đăng ký khai sinh"), "to_khai_dang_ky_khai_sinh");
        assert_eq!(slug("Ủy ban Nhân dân xã, phường, thị trấn."), "uy_ban_nhan_dan_xa_phuong_thi_tran");
        assert_eq!(slug("Đơn đề nghị (Mẫu 01)"), "don_de_nghi_mau_01");
        assert_eq!(slug("…"), "unnamed");
        assert!(slug(&"dài ".repeat(40)).len() < 60);
    }

    #[test]
    fn the_publisher_is_read_off_the_decision() {
        assert_eq!(publisher("163/QĐ-BTP"), Some("BTP"));
        assert_eq!(publisher("1234/QĐ-NHNN ngày 1/2/2025"), Some("NHNN"));
        assert_eq!(publisher("Quyết định 5"), None);
    }

    #[test]
    fn created_ids_are_reused_by_wording_and_never_taken_twice() {
        let mut r = Registry::new(["to_khai".to_string()].into_iter());
        let a = r.id("Tờ khai", Some(DocumentKind::Form));
        assert_eq!(a, "to_khai_2");
        assert_eq!(r.id("tờ  KHAI", Some(DocumentKind::Form)), a);
        assert_eq!(r.id("Tờ khải", Some(DocumentKind::Form)), "to_khai_3");
        assert_eq!(r.items.len(), 2);
    }
}
