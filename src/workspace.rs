//! The validated, interned workspace: every reference is an index, every fact set a bitset.

use crate::diag::Location;
pub use crate::id::{Id, IdVec};
pub use crate::model::{CopyKind, DatabaseStatus, DocumentKind, Level, TaskStatus};
use chrono::NaiveDate;
use fixedbitset::FixedBitSet;
use std::path::PathBuf;

crate::id::id_types! {
    /// Index of a fact.
    FactId;
    /// Index of a document type.
    DocId;
    /// Index of a database.
    DbId;
    /// Index of an agency.
    AgencyId;
    /// Index of a task.
    TaskId;
    /// Index of a procedure (procedures are sorted by id).
    ProcId;
    /// Index of a sector name.
    SectorId;
}

/// A short list of ids (databases, tasks), inline up to four: nearly every component is looked
/// up in one or two databases and unlocked by one or two tasks, and half a million heap
/// allocations for them were a measurable part of classifying a national catalog.
pub type ShortList<I> = smallvec::SmallVec<[I; 4]>;

/// A set of facts, one bit per fact.
pub type FactSet = FixedBitSet;

/// Maps string ids to dense ids of kind `I` and back.
#[derive(Debug, Clone)]
pub struct Interner<I> {
    ids: IdVec<I, String>,
    // FxHash: ids come from the workspace's own files, and interning is on the load's hot path.
    index: rustc_hash::FxHashMap<String, I>,
    /// For the did-you-mean of a large set, made at its first use.
    nearby: std::sync::OnceLock<crate::diag::NameIndex>,
}

impl<I> Default for Interner<I> {
    fn default() -> Self {
        Interner { ids: IdVec::default(), index: rustc_hash::FxHashMap::default(), nearby: std::sync::OnceLock::new() }
    }
}

impl<I: Id> Interner<I> {
    /// The id of `id`, adding it if new.
    pub fn intern(&mut self, id: &str) -> I {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        assert!(u32::try_from(self.ids.len()).is_ok(), "fewer than 2^32 ids");
        self.nearby = std::sync::OnceLock::new();
        let i = self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        i
    }
    /// The id of `id`, if known.
    pub fn get(&self, id: &str) -> Option<I> {
        self.index.get(id).copied()
    }
    /// The string id of `i`.
    pub fn name(&self, i: I) -> &str {
        &self.ids[i]
    }
    /// "did you mean `…`?" for an id not among these, as [`crate::diag::did_you_mean`] gives it;
    /// a large set is narrowed by an index first, so that thousands of wrong ids cost seconds.
    pub fn did_you_mean(&self, wrong: &str) -> Option<String> {
        let n = self.ids.len();
        if n <= crate::diag::INDEXED_ABOVE {
            return crate::diag::did_you_mean(wrong, self.names());
        }
        let index = self.nearby.get_or_init(|| crate::diag::NameIndex::new(self.names()));
        let found = index.candidates(wrong, n);
        crate::diag::did_you_mean(wrong, found.into_iter().map(|i| self.name(I::new(i as usize))))
    }

    /// All string ids, in id order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }
    /// All ids, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + Clone + use<I> {
        self.ids.ids()
    }
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A fact.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Dotted id.
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Where it is defined.
    pub at: Location,
}

/// A legal lock on a document.
#[derive(Debug, Clone)]
pub struct Lock {
    /// Legal basis.
    pub basis: String,
    /// Why.
    pub reason: Option<String>,
}

/// An evidence type or form.
#[derive(Debug, Clone)]
pub struct Document {
    /// Id.
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it.
    pub names: Vec<String>,
    /// National result codes of the procedure results that are this document.
    pub result_codes: Vec<String>,
    /// Evidence, the applicant's own form (never replaced), or a wording not yet mapped.
    pub kind: DocumentKind,
    /// Facts it proves.
    pub proves: FactSet,
    /// Applicant's hours per submission.
    pub hours: f64,
    /// Out-of-pocket cost per submission.
    pub cost: f64,
    /// The law demands the paper itself.
    pub lock: Option<Lock>,
    /// Where it is defined.
    pub at: Location,
}

/// A `serves` selector, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// Every procedure.
    All,
    /// Procedures of one level.
    Level(Level),
    /// Procedures of one agency (taken to its successor as of `as_of`).
    Agency(AgencyId),
    /// Procedures of one sector.
    Sector(SectorId),
    /// One procedure.
    Procedure(ProcId),
}

/// Quality criteria in fixed order: correct, sufficient, clean, live.
pub type QualityScores = [f64; 4];
/// Names of the quality criteria, in [`QualityScores`] order.
pub const CRITERIA: [&str; 4] = ["correct", "sufficient", "clean", "live"];

/// A data source as of `as_of`.
#[derive(Debug, Clone)]
pub struct Database {
    /// Id.
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Custodian agency.
    pub custodian: Option<AgencyId>,
    /// Lifecycle.
    pub status: DatabaseStatus,
    /// Facts held.
    pub provides: FactSet,
    /// Procedures served.
    pub serves: Vec<Selector>,
    /// How lookups travel.
    pub channel: Option<String>,
    /// Quality; unstated criteria are 0.
    pub quality: QualityScores,
    /// Which criteria were stated.
    pub assessed: [bool; 4],
    /// Where it is defined.
    pub at: Location,
}

/// A sector's names.
#[derive(Debug, Clone, Default)]
pub struct Sector {
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it.
    pub names: Vec<String>,
    /// Where it is listed, if it is.
    pub at: Option<Location>,
}

/// An agency.
#[derive(Debug, Clone)]
pub struct Agency {
    /// Id.
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Other wordings catalogs use for it.
    pub names: Vec<String>,
    /// Successor.
    pub merged_into: Option<AgencyId>,
    /// Date of the merger (absent = already merged).
    pub merged_on: Option<NaiveDate>,
    /// Where it is defined.
    pub at: Location,
}

/// One change a task makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Sets a database's status.
    Status(DbId, DatabaseStatus),
    /// Adds selectors to a database's reach.
    Serves(DbId, Vec<Selector>),
    /// Adds facts to a database.
    Provides(DbId, Vec<FactId>),
    /// Raises quality criteria to at least these values.
    Quality(DbId, [Option<f64>; 4]),
    /// Lifts a document's lock.
    Unlock(DocId),
}

impl Effect {
    /// The database changed, if any.
    pub fn database(&self) -> Option<DbId> {
        match self {
            Effect::Status(d, _) | Effect::Serves(d, _) | Effect::Provides(d, _) | Effect::Quality(d, _) => Some(*d),
            Effect::Unlock(_) => None,
        }
    }
}

/// A roadmap building block.
#[derive(Debug, Clone)]
pub struct Task {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Agency that answers for it.
    pub owner: Option<AgencyId>,
    /// Progress.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Effort (absent = 1).
    pub effort: f64,
    /// Dependencies, sorted.
    pub depends_on: Vec<TaskId>,
    /// Changes.
    pub effects: Vec<Effect>,
    /// Where it is defined.
    pub at: Location,
}

/// Workspace-wide settings with defaults applied.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Date of the databases' state.
    pub as_of: NaiveDate,
    /// Minimum quality per criterion.
    pub min_quality: QualityScores,
    /// Value of an hour.
    pub hourly_value: f64,
    /// Currency.
    pub currency: String,
    /// Roadmap phase length in months.
    pub phase_months: u32,
    /// Effort per phase (None = unlimited).
    pub capacity_per_phase: Option<f64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            as_of: chrono::Utc::now().date_naive(),
            min_quality: [0.0; 4],
            hourly_value: 0.0,
            currency: String::new(),
            phase_months: 3,
            capacity_per_phase: None,
        }
    }
}

/// A required document component.
#[derive(Debug, Clone)]
pub struct Component {
    /// The document, or the alternatives of `one_of` (first one reported as `document`).
    pub documents: Vec<DocId>,
    /// Whether written as `one_of`.
    pub one_of: bool,
    /// The procedure's case it belongs to (an index into [`Procedure::cases`]), or None for a
    /// component asked for in every case.
    pub case: Option<u32>,
    /// Whose document.
    pub of: Option<String>,
    /// Narrowed facts.
    pub proves: Option<FactSet>,
    /// Condition.
    pub when: Option<String>,
    /// How handed in.
    pub copy: Option<CopyKind>,
}

/// A procedure.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// Id (national code or slug).
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Agency as written.
    pub agency: AgencyId,
    /// The ministry that publishes it, when stated (as written).
    pub ministry: Option<AgencyId>,
    /// Levels, at least one.
    pub levels: Levels,
    /// Sector.
    pub sector: Option<SectorId>,
    /// Life events.
    pub life_events: Vec<String>,
    /// Dossiers per year (0 when not stated).
    pub annual_volume: u64,
    /// Whether `annual_volume` was stated.
    pub volume_stated: bool,
    /// Components in catalog order: the common ones, then each case's in case order.
    pub components: Vec<Component>,
    /// Cases, with the share of the dossiers each takes.
    pub cases: Vec<Case>,
    /// Documents it issues.
    pub produces: Vec<DocId>,
    /// Databases it records into.
    pub records_to: Vec<DbId>,
    /// What the catalog publishes beside the dossier (who applies, legal basis, source).
    pub about: Option<Box<About>>,
    /// Where it is defined.
    pub at: Location,
}

/// The optional facts a catalog publishes about a procedure, carried to the reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    /// Who applies.
    pub applicants: Option<String>,
    /// Legal documents it rests on.
    pub legal_basis: Vec<String>,
    /// The decision that published it.
    pub decision: Option<String>,
    /// Where it is published.
    pub source_url: Option<String>,
}

impl Case {
    /// Whether stated shares summing to `sum` are more than one whole. Shares written to three
    /// decimals may add to a hair over 1, which is allowed.
    pub fn shares_exceed_one(sum: f64) -> bool {
        sum > 1.0 + 1e-9
    }

    /// A sum of shares rounded for reading: 0.7 + 0.6 is 1.2999999999999998 in binary.
    pub fn readable_share(sum: f64) -> f64 {
        (sum * 1e6).round() / 1e6
    }
}

/// One case of a procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case as the catalog words it.
    pub name: String,
    /// Fraction of the procedure's dossiers: as stated, or what the stated ones leave, split
    /// equally.
    pub share: f64,
    /// Whether the share was stated.
    pub stated: bool,
    /// Dossiers per year in this case: `annual_volume` apportioned among the cases by their
    /// shares with the largest-remainder method, so that the cases' volumes add up exactly.
    pub volume: u64,
}

/// A set of levels, iterated in the order central, province, commune, other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Levels(u8);

impl Levels {
    const ORDER: [Level; 4] = [Level::Central, Level::Province, Level::Commune, Level::Other];

    /// The set of `levels`.
    pub fn of(levels: &[Level]) -> Levels {
        Levels(levels.iter().fold(0, |bits, &l| bits | Self::bit(l)))
    }
    fn bit(l: Level) -> u8 {
        1 << Self::ORDER.iter().position(|&o| o == l).unwrap_or(0)
    }
    /// Whether `l` is one of them.
    pub fn contains(self, l: Level) -> bool {
        self.0 & Self::bit(l) != 0
    }
    /// The levels in order.
    pub fn iter(self) -> impl Iterator<Item = Level> {
        Self::ORDER.into_iter().filter(move |&l| self.contains(l))
    }
    /// The first level in order (central before province before commune before other).
    pub fn first(self) -> Level {
        self.iter().next().unwrap_or(Level::Other)
    }
    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Procedure {
    /// The first of its levels, which reports show as its `level`.
    pub fn level(&self) -> Level {
        self.levels.first()
    }

    /// Dossiers per year that carry component `c`: its case's volume, or the procedure's.
    pub fn volume_of(&self, c: &Component) -> u64 {
        c.case.and_then(|k| self.cases.get(k as usize)).map_or(self.annual_volume, |k| k.volume)
    }

    /// The name reports give it: its local name, else its English name, else its id.
    pub fn report_name(&self) -> &str {
        self.name.as_deref().or(self.name_en.as_deref()).unwrap_or(&self.id)
    }
}

/// The whole validated workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Folder the workspace was read from.
    pub root: PathBuf,
    /// Fact ids.
    pub fact_ids: Interner<FactId>,
    /// Facts, by [`FactId`].
    pub facts: IdVec<FactId, Fact>,
    /// Document ids.
    pub doc_ids: Interner<DocId>,
    /// Documents, by [`DocId`].
    pub documents: IdVec<DocId, Document>,
    /// Database ids.
    pub db_ids: Interner<DbId>,
    /// Databases, by [`DbId`].
    pub databases: IdVec<DbId, Database>,
    /// Agency ids.
    pub agency_ids: Interner<AgencyId>,
    /// Agencies, by [`AgencyId`].
    pub agencies: IdVec<AgencyId, Agency>,
    /// Task ids.
    pub task_ids: Interner<TaskId>,
    /// Tasks, by [`TaskId`].
    pub tasks: IdVec<TaskId, Task>,
    /// Sector ids.
    pub sectors: Interner<SectorId>,
    /// Sectors' names, by [`SectorId`] (empty for a sector no rules file lists).
    pub sector_names: IdVec<SectorId, Sector>,
    /// Procedures sorted by id (byte order), by [`ProcId`].
    pub procedures: IdVec<ProcId, Procedure>,
    /// Procedure ids.
    pub proc_ids: Interner<ProcId>,
    /// Settings.
    pub policy: Policy,
}

impl Workspace {
    /// An empty fact set sized for this workspace.
    pub fn fact_set(&self) -> FactSet {
        FixedBitSet::with_capacity(self.facts.len())
    }

    /// The agency that answers for `agency` on `date`, following mergers transitively.
    pub fn successor(&self, agency: AgencyId, date: NaiveDate) -> AgencyId {
        let mut current = agency;
        // Bounded walk: merger cycles are rejected at load, the bound is belt and braces.
        for _ in 0..=self.agencies.len() {
            let a = &self.agencies[current];
            match (a.merged_into, a.merged_on) {
                (Some(next), Some(on)) if on <= date => current = next,
                (Some(next), None) => current = next,
                _ => break,
            }
        }
        current
    }

    /// Every agency's successor as of `date`, as [`Workspace::successor`] gives it one at a
    /// time: each chain of mergers is walked once, not once per member.
    pub fn successors(&self, date: NaiveDate) -> IdVec<AgencyId, AgencyId> {
        let next = |a: AgencyId| match (self.agencies[a].merged_into, self.agencies[a].merged_on) {
            (Some(next), Some(on)) if on <= date => Some(next),
            (Some(next), None) => Some(next),
            _ => None,
        };
        let mut succ: IdVec<AgencyId, Option<AgencyId>> = IdVec::from_elem(None, self.agencies.len());
        let mut path = Vec::new();
        for start in self.agencies.ids() {
            let mut cur = start;
            // Bounded: merger cycles are broken at load, the bound is belt and braces.
            let end = loop {
                if let Some(s) = succ[cur] {
                    break s;
                }
                path.push(cur);
                match next(cur) {
                    Some(n) if path.len() <= self.agencies.len() => cur = n,
                    _ => break cur,
                }
            };
            for p in path.drain(..) {
                succ[p] = Some(end);
            }
        }
        succ.into_raw().into_iter().map(|s| s.expect("every agency has a successor")).collect()
    }

    /// The facts a component needs: its own `proves`, or the intersection over its documents.
    pub fn needed_facts(&self, c: &Component) -> FactSet {
        if let Some(p) = &c.proves {
            return p.clone();
        }
        let mut it = self.known_documents(c);
        let mut set = it.next().map(|d| self.documents[d].proves.clone()).unwrap_or_else(|| self.fact_set());
        for d in it {
            set.intersect_with(&self.documents[d].proves);
        }
        set
    }

    /// A component's documents that count for classification: all of them, or when some are
    /// mapped, only those (an unmapped alternative says nothing about what the others prove).
    pub fn known_documents<'a>(&'a self, c: &'a Component) -> impl Iterator<Item = DocId> + 'a {
        let all_unknown = self.is_unmapped(c);
        c.documents.iter().copied().filter(move |&d| all_unknown || self.documents[d].kind != DocumentKind::Unknown)
    }

    /// Whether every document of a component is unmapped (`kind: unknown`).
    pub fn is_unmapped(&self, c: &Component) -> bool {
        c.documents.iter().all(|&d| self.documents[d].kind == DocumentKind::Unknown)
    }

    /// Whether every mapped document of a component is a form.
    pub fn is_form(&self, c: &Component) -> bool {
        self.known_documents(c).all(|d| self.documents[d].kind == DocumentKind::Form)
    }

    /// The smallest burden among a component's documents: (hours, cost) of the cheapest.
    pub fn burden(&self, c: &Component, hourly_value: f64) -> (f64, f64) {
        self.known_documents(c)
            .map(|d| {
                let doc = &self.documents[d];
                (doc.hours, doc.cost)
            })
            .min_by(|a, b| (a.0 * hourly_value + a.1).total_cmp(&(b.0 * hourly_value + b.1)))
            .unwrap_or((0.0, 0.0))
    }

    /// A sector's display name in the chosen language, else its id.
    pub fn sector_label(&self, s: SectorId, lang: Lang) -> &str {
        let n = &self.sector_names[s];
        Self::label(self.sectors.name(s), n.name.as_deref(), n.name_en.as_deref(), lang)
    }

    /// A display name in the chosen language, falling back to the other, then the id.
    pub fn label<'a>(id: &'a str, name: Option<&'a str>, name_en: Option<&'a str>, lang: Lang) -> &'a str {
        match lang {
            Lang::Vi => name.or(name_en).unwrap_or(id),
            Lang::En => name_en.or(name).unwrap_or(id),
        }
    }
}

/// Language for names in output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// The catalog's own names (Vietnamese in the sample).
    #[default]
    Vi,
    /// English names.
    En,
}
