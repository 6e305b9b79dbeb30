//! The YAML file types (docs/format.md, Procedures and Rules), exactly as written by people, with
//! value spans.
//!
//! These are raw: references are still strings and nothing is checked beyond the YAML types.
//! [`crate::load`] validates them into the interned [`crate::workspace::Workspace`].

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value with the place it was written: 1-based line and column, and its bytes in the file.
///
/// From YAML it is read through serde-saphyr's spans. In binary formats (the parse cache) it is
/// the tuple `(value, line, column, offset, len)`, so cached files keep their locations.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// Byte offset of the value in its file.
    pub offset: u32,
    /// Length in bytes of the value as written (0 when unknown).
    pub len: u32,
}

/// Alias kept short because it is everywhere in the model.
pub type Spanned<T> = Located<T>;

/// A string value with the place it was written.
pub type Text = Located<String>;

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
            let to_u32 = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
            let span = s.referenced.span();
            // Byte offsets are known for text sources, which every workspace file is.
            let (offset, len) = span.byte_offset().zip(span.byte_len()).map_or((0, 0), |(o, l)| (to_u32(o), to_u32(l)));
            Ok(Located { line: to_u32(s.referenced.line()), column: to_u32(s.referenced.column()), offset, len, value: s.value })
        } else {
            let (value, line, column, offset, len) = <(T, u32, u32, u32, u32)>::deserialize(d)?;
            Ok(Located { value, line, column, offset, len })
        }
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            self.value.serialize(s)
        } else {
            (&self.value, self.line, self.column, self.offset, self.len).serialize(s)
        }
    }
}

/// One file under `procedures/`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "paperwork procedure file")]
pub struct ProcedureFile {
    /// The catalog's procedures.
    pub procedures: Vec<Procedure>,
}

/// One file under `rules/`: any of the lists, and at most one workspace-wide `policy`.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "paperwork rules file")]
pub struct RulesFile {
    /// Pieces of information procedures need to verify.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Evidence types and forms, with the facts each proves.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The state's data sources as of `policy.as_of`.
    #[serde(default)]
    pub databases: Vec<Database>,
    /// Agencies and their mergers.
    #[serde(default)]
    pub agencies: Vec<Agency>,
    /// The roadmap's building blocks.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Sectors' names (a procedure may name a sector that is not listed: its id is its name).
    #[serde(default)]
    pub sectors: Vec<Sector>,
    /// Workspace-wide settings (one file at most).
    #[serde(default)]
    #[schemars(with = "Option<Policy>")]
    pub policy: Option<Spanned<Policy>>,
}

/// A sector of government business, named for reports.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// Sector id, as procedures' `sector` and `sector:` selectors write it.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it.
    #[serde(default)]
    pub names: Vec<String>,
}

/// A fact: one piece of information, dotted id with the subject first.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Dotted id, e.g. `person.date_of_birth`.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
}

/// Whether a document is evidence (replaceable by a lookup) or the applicant's own form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Evidence of facts, replaceable by a lookup.
    #[default]
    Evidence,
    /// The applicant's request or declaration: never replaced.
    Form,
    /// A name as a catalog writes it, not yet mapped to an evidence type: kept, and counted
    /// as unmapped so that coverage is never hidden.
    Unknown,
}

impl DocumentKind {
    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Evidence => "evidence",
            DocumentKind::Form => "form",
            DocumentKind::Unknown => "unknown",
        }
    }
}

/// Standard Cost Model burden of one submission.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Burden {
    /// Applicant's hours per submission.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub hours: Option<Spanned<f64>>,
    /// Out-of-pocket cost per submission, in `policy.currency`.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub cost: Option<Spanned<f64>>,
}

/// A legal requirement for the paper itself.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// The legal basis, e.g. "Law on Land 2024, art. 133".
    pub basis: String,
    /// Why the paper is needed.
    #[serde(default)]
    pub reason: Option<String>,
}

/// An evidence type or form.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Document id.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it, matched after Unicode NFC, case and whitespace
    /// folding.
    #[serde(default)]
    pub names: Vec<String>,
    /// National result codes of the procedure results that are this document, e.g.
    /// `KQ.G15.000032`.
    #[serde(default)]
    pub result_codes: Vec<String>,
    /// `evidence` (default), `form` or `unknown`.
    #[serde(default)]
    #[schemars(with = "Option<DocumentKind>")]
    pub kind: Option<Spanned<DocumentKind>>,
    /// Facts this document proves.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub proves: Vec<Text>,
    /// Burden of one submission.
    #[serde(default)]
    pub burden: Option<Burden>,
    /// The law demands the paper itself.
    #[serde(default)]
    pub lock: Option<Lock>,
}

/// Lifecycle of a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseStatus {
    /// Decided, not built.
    Planned,
    /// Being built or filled.
    Building,
    /// In use: lookups work.
    Operational,
}

/// The four data criteria "correct, sufficient, clean, live" (đúng, đủ, sạch, sống).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quality {
    /// Matches the source documents and reality.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub correct: Option<Spanned<f64>>,
    /// Every required field filled.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub sufficient: Option<Spanned<f64>>,
    /// Standardised, deduplicated, consistent.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub clean: Option<Spanned<f64>>,
    /// Updated promptly as events happen.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub live: Option<Spanned<f64>>,
}

impl Quality {
    /// The criteria in fixed order, with their names.
    pub fn criteria(&self) -> [(&'static str, Option<&Spanned<f64>>); 4] {
        [
            ("correct", self.correct.as_ref()),
            ("sufficient", self.sufficient.as_ref()),
            ("clean", self.clean.as_ref()),
            ("live", self.live.as_ref()),
        ]
    }
}

/// A data source.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Database id.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Agency id of the custodian.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub custodian: Option<Text>,
    /// planned | building | operational.
    #[schemars(with = "DatabaseStatus")]
    pub status: Spanned<DatabaseStatus>,
    /// Facts it holds.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub provides: Vec<Text>,
    /// Selectors of the procedures it serves: `all`, `level:`, `agency:`, `sector:`, `procedure:`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub serves: Vec<Text>,
    /// How lookups travel (free text).
    #[serde(default)]
    pub channel: Option<String>,
    /// Assessed quality; an unstated criterion counts 0.
    #[serde(default)]
    pub quality: Option<Quality>,
}

/// An agency, possibly merged into a successor.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Agency id.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it.
    #[serde(default)]
    pub names: Vec<String>,
    /// Successor agency id.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub merged_into: Option<Text>,
    /// Date of the merger, YYYY-MM-DD.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub merged_on: Option<Text>,
}

/// Progress status of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Not begun.
    NotStarted,
    /// Under way.
    InProgress,
    /// Recurring work: counted in progress, never scheduled.
    Routine,
    /// History: effects already show in the databases.
    Done,
}

impl TaskStatus {
    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Routine => "routine",
            TaskStatus::Done => "done",
        }
    }
}

/// One change a task makes to a database or a lock. Exactly one kind per entry.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    /// The database changed.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub database: Option<Text>,
    /// New status.
    #[serde(default)]
    #[schemars(with = "Option<DatabaseStatus>")]
    pub status: Option<Spanned<DatabaseStatus>>,
    /// Selectors added.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub serves: Option<Vec<Text>>,
    /// Facts added.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub provides: Option<Vec<Text>>,
    /// Criteria raised to at least these values.
    #[serde(default)]
    pub quality: Option<Quality>,
    /// A document whose lock is lifted.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unlock: Option<Text>,
}

/// A roadmap building block.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Task id.
    #[schemars(with = "String")]
    pub id: Text,
    /// What is to be done.
    #[serde(default)]
    pub title: Option<String>,
    /// Agency id that answers for it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub owner: Option<Text>,
    /// not_started | in_progress | routine | done.
    #[schemars(with = "TaskStatus")]
    pub status: Spanned<TaskStatus>,
    /// Due date, YYYY-MM-DD.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub due: Option<Text>,
    /// Effort in one unit across the file (absent = 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub effort: Option<Spanned<f64>>,
    /// Tasks that must come first.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub depends_on: Vec<Text>,
    /// What it changes.
    #[serde(default)]
    #[schemars(with = "Vec<Effect>")]
    pub effects: Vec<Spanned<Effect>>,
}

/// Minimum quality per criterion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Date the databases file describes, YYYY-MM-DD.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub as_of: Option<Text>,
    /// Minimum per quality criterion (default 0: no gating).
    #[serde(default)]
    pub min_quality: Option<Quality>,
    /// Value of one hour of the applicant's time.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub hourly_value: Option<Spanned<f64>>,
    /// Currency of costs.
    #[serde(default)]
    pub currency: Option<String>,
    /// Roadmap phase length in months.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub phase_months: Option<Spanned<i64>>,
    /// Effort per phase (absent = unlimited).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub capacity_per_phase: Option<Spanned<f64>>,
}

/// Government level of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Ministries and national bodies.
    Central,
    /// Provinces.
    Province,
    /// Communes, wards and towns.
    Commune,
    /// Any other body ("Cơ quan khác" in the portal): courts, embassies, state enterprises.
    Other,
}

impl Level {
    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::Commune => "commune",
            Level::Other => "other",
        }
    }
}

/// How a paper is handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// The original.
    Original,
    /// A plain copy.
    Copy,
    /// A certified copy.
    CertifiedCopy,
    /// Shown at the counter, not handed in (still counted as a component).
    Presented,
}

/// A procedure of the catalog.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Code in the national procedure database, or a readable slug.
    #[schemars(with = "String")]
    pub id: Text,
    /// Name in the catalog's language.
    #[serde(default)]
    pub name: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Agency id.
    #[schemars(with = "String")]
    pub agency: Text,
    /// central | province | commune | other, or a list of them.
    #[schemars(with = "LevelList")]
    pub level: Spanned<LevelList>,
    /// Sector id.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub sector: Option<Text>,
    /// Life events it belongs to.
    #[serde(default)]
    pub life_events: Vec<String>,
    /// Dossiers per year (absent = 0, with a warning).
    #[serde(default)]
    #[schemars(with = "Option<u64>")]
    pub annual_volume: Option<Spanned<f64>>,
    /// The document components asked for in every case, in catalog order.
    #[serde(default)]
    #[schemars(with = "Vec<Component>")]
    pub documents: Vec<Spanned<Component>>,
    /// The applicant's cases, each with its own components (an applicant is in exactly one).
    #[serde(default)]
    #[schemars(with = "Vec<Case>")]
    pub cases: Vec<Spanned<Case>>,
    /// Documents this procedure issues.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub produces: Vec<Text>,
    /// Databases it records its result into.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub records_to: Vec<Text>,
    /// The ministry that publishes the procedure in the national catalog and answers for its
    /// sector, when that is not `agency` (agency id): reports group coverage by it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ministry: Option<Text>,
    /// Who applies, as the catalog says.
    #[serde(default)]
    pub applicants: Option<String>,
    /// The legal documents it rests on, e.g. `123/2015/NĐ-CP`.
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// The decision that published it, e.g. `163/QĐ-BTP`.
    #[serde(default)]
    pub decision: Option<String>,
    /// Where it is published.
    #[serde(default)]
    pub source_url: Option<String>,
}

/// One case of a procedure: the components asked for from applicants in it.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case as the catalog words it.
    pub name: String,
    /// Fraction of the procedure's dossiers in this case, in (0, 1]; cases without one share
    /// what the others leave.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub share: Option<Spanned<f64>>,
    /// Its components, in catalog order.
    #[serde(default)]
    #[schemars(with = "Vec<Component>")]
    pub documents: Vec<Spanned<Component>>,
}

/// One level or several: `level: commune` or `level: [commune, province]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelList(pub Vec<Level>);

impl<'de> Deserialize<'de> for LevelList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            // The parse cache writes a list always: postcard cannot tell one from the other.
            return Vec::<Level>::deserialize(d).map(LevelList);
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(Level),
            Many(Vec<Level>),
        }
        let list = match OneOrMany::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a level (central, province, commune or other) or a list of them"))?
        {
            OneOrMany::One(l) => vec![l],
            OneOrMany::Many(l) => l,
        };
        Ok(LevelList(list))
    }
}

impl Serialize for LevelList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] if s.is_human_readable() => one.serialize(s),
            list => list.serialize(s),
        }
    }
}

impl JsonSchema for LevelList {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LevelList".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let level = g.subschema_for::<Level>();
        schemars::json_schema!({
            "description": "One level, or a list of levels.",
            "anyOf": [level, { "type": "array", "items": level, "minItems": 1 }]
        })
    }
}

/// A required document component: one `document`, or `one_of` alternatives.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The document type.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub document: Option<Text>,
    /// Alternatives: any one will do (at least two).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub one_of: Option<Vec<Text>>,
    /// Whose document, e.g. `parent`.
    #[serde(default)]
    pub of: Option<String>,
    /// Narrows the facts needed from it.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub proves: Option<Vec<Text>>,
    /// Condition under which it is asked (still counted).
    #[serde(default)]
    pub when: Option<String>,
    /// original | copy | certified_copy | presented.
    #[serde(default)]
    pub copy: Option<CopyKind>,
}
