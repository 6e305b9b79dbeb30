//! The roadmap (SPEC §6): greedy, deterministic ordering of tasks by submissions per year
//! eliminated per unit of effort, phases, burn-down and progress.
//!
//! Scale: components waiting for the roadmap are grouped by reach class (what selectors can
//! tell apart: level, agency, sector, or the procedure itself when a selector names it), needed
//! facts and documents. Whether a group is covered is one bitset test for the whole group. A
//! bundle's gain is a sum over classes; after a step it is worked out again only in the
//! classes the step changed for it (or afresh when they share a database), and debug builds
//! check every gain, cached or new, against a count from scratch.

use crate::engine::facts::Facts;
use crate::engine::lookup::{DbState, Reach, State, choose_lookups, covered};
use crate::workspace::*;
use chrono::{Months, NaiveDate};
use fixedbitset::FixedBitSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A component not eliminated now and not a form or empty: the roadmap may eliminate it.
#[derive(Debug, Clone)]
pub struct PendingComponent<'a> {
    /// Procedure.
    pub proc: ProcId,
    /// Index in the procedure's components.
    pub index: usize,
    /// Facts needed (borrowed from its class: a national catalog has 300,000 of them).
    pub needed: &'a Facts,
    /// Its documents (borrowed from the workspace, read while the procedure is at hand rather
    /// than looked up again when components are grouped).
    pub docs: &'a [DocId],
    /// Submissions per year (the procedure's volume).
    pub volume: u64,
    /// Money per year if eliminated.
    pub money: f64,
}

/// How a pending component was first covered and unlocked.
#[derive(Debug, Clone, PartialEq)]
pub struct Unlock {
    /// Index into the plan's steps.
    pub step: usize,
    /// Databases looked up at that moment.
    pub lookups: Vec<DbId>,
    /// Tasks credited (sorted by id).
    pub unlocked_by: Vec<TaskId>,
}

/// What a step unlocks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unlocks {
    /// Components first covered and unlocked after this step.
    pub components: u64,
    /// Distinct procedures among them.
    pub procedures: u64,
    /// Their submissions per year.
    pub submissions: u64,
    /// Their money per year.
    pub money: f64,
}

/// The running remainder after a step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Remaining {
    /// Documents still asked for (after-now total less everything unlocked so far).
    pub documents: u64,
    /// Submissions per year still made.
    pub submissions: u64,
}

/// One roadmap step: a task in its phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The task.
    pub task: TaskId,
    /// 1-based phase.
    pub phase: u32,
    /// First day of the phase.
    pub phase_start: NaiveDate,
    /// Last day of the phase.
    pub phase_end: NaiveDate,
    /// The phase ends after the task's due date.
    pub at_risk: bool,
    /// Whether it came from the greedy part (false: the by-due-date tail).
    pub greedy: bool,
    /// What it unlocks.
    pub unlocks: Unlocks,
    /// Running remainder.
    pub remaining: Remaining,
}

/// The whole plan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// How components were unlocked: one entry per group of components a step made ready.
    pub unlocks: Vec<Unlock>,
    /// By pending component (the index into the `pending` list given to [`plan`]): its entry in
    /// `unlocks`, if a step unlocks it.
    pub unlock_of: Vec<Option<u32>>,
    /// The state after every step.
    pub final_state: State,
}

/// Roadmap settings.
#[derive(Debug, Clone, Default)]
pub struct RoadmapOptions {
    /// Override of `policy.capacity_per_phase` (Some(None) is not expressible: use the policy).
    pub capacity: Option<f64>,
    /// Override of `policy.phase_months`.
    pub phase_months: Option<u32>,
}

/// Waiting entries of one class by the first fact they miss, sorted by it: an evaluation finds
/// the bucket of each new fact by the fact's rank among the class's keys, where a map's nodes
/// cost a cache miss each.
type Buckets = Vec<(FactId, Vec<Waiting>)>;

/// Groups of one class that miss the same facts, with what they would eliminate together.
#[derive(Clone)]
struct Waiting {
    missing: Facts,
    submissions: u64,
    components: u64,
}

struct Group {
    class: usize,
    needed: Facts,
    docs: Vec<DocId>,
    members: Vec<usize>,
    volume: u64,
    money: f64,
    live: bool,
}

/// Waiting entries of one class being gathered: what misses the same facts merges.
#[derive(Default)]
struct Gathering {
    waiting: BTreeMap<FactId, Vec<Waiting>>,
    /// Where each missing set's entry is: its bucket and its place there.
    index: HashMap<Facts, (FactId, usize)>,
}

impl Gathering {
    /// Adds what waits on `missing`; nothing if it misses nothing (it is ready).
    fn add(&mut self, missing: &Facts, submissions: u64, components: u64) {
        let Some(first) = missing.minimum() else { return };
        let first = first as FactId;
        let (f, i) = match self.index.get(missing) {
            Some(&at) => at,
            None => {
                let bucket = self.waiting.entry(first).or_default();
                bucket.push(Waiting { missing: missing.clone(), submissions: 0, components: 0 });
                let at = (first, bucket.len() - 1);
                self.index.insert(missing.clone(), at);
                at
            }
        };
        let w = &mut self.waiting.get_mut(&f).expect("bucket")[i];
        w.submissions += submissions;
        w.components += components;
    }

    /// The buckets, and their keys as a fact set of `ws`.
    fn finish(self, ws: &Workspace) -> (Buckets, Facts) {
        let mut keys = Facts::empty(ws.facts.len());
        for &f in self.waiting.keys() {
            keys.insert(f as usize);
        }
        (self.waiting.into_iter().collect(), keys)
    }
}

/// Reach classes: procedures that no selector can tell apart share one.
struct Classes {
    /// Representative procedure of each class.
    rep: Vec<ProcId>,
    /// Usable databases per class in the current state.
    usable: Vec<Vec<DbId>>,
    /// Covered facts per class in the current state.
    covered: Vec<Facts>,
    /// Groups per class.
    groups: Vec<Vec<usize>>,
    /// Live, unlocked groups per class, merged by the facts they still miss and bucketed by
    /// the first of them. Where a bundle only adds coverage, a group can become ready only
    /// through that first fact, and groups missing the same facts become ready together: an
    /// evaluation tests one set per bucket entry of its new facts, not every group.
    waiting: Vec<Buckets>,
    /// The keys of `waiting` per class, as a set: new facts are intersected with it before
    /// any bucket is looked up.
    waiting_keys: Vec<Facts>,
    /// Facts the live groups of each class need: coverage that grows by none of them changes
    /// no group's missing facts, so no bundle's gain in the class.
    needs: Vec<Facts>,
    /// Classes a selector can match, by selector kind: so a bundle's reach is found by index,
    /// not by testing every class.
    by_level: BTreeMap<Level, Vec<usize>>,
    by_agency: BTreeMap<AgencyId, Vec<usize>>,
    by_sector: BTreeMap<SectorId, Vec<usize>>,
    proc_class: Vec<usize>,
    /// Classes with a live group: only those can still gain.
    live: FixedBitSet,
}

impl Classes {
    /// The classes selector `s` matches (agency selectors by successor).
    fn matching(&self, reach: &Reach, s: &Selector, out: &mut FixedBitSet) {
        let list: &[usize] = match s {
            Selector::All => {
                out.insert_range(..);
                return;
            }
            Selector::Level(l) => self.by_level.get(l).map_or(&[], Vec::as_slice),
            Selector::Agency(a) => self.by_agency.get(&reach.agency_successor[*a as usize]).map_or(&[], Vec::as_slice),
            Selector::Sector(x) => self.by_sector.get(x).map_or(&[], Vec::as_slice),
            Selector::Procedure(p) => {
                out.insert(self.proc_class[*p as usize]);
                return;
            }
        };
        for &c in list {
            out.insert(c);
        }
    }
}

struct Engine<'a> {
    ws: &'a Workspace,
    reach: &'a Reach,
    state: State,
    classes: Classes,
    groups: Vec<Group>,
    /// Groups by document, for unlocks.
    groups_by_doc: HashMap<DocId, Vec<usize>>,
    /// Per database, the classes where what it provides now is not all covered yet: where
    /// making it usable would bring a new fact. Kept current as tasks apply.
    adds: Vec<FixedBitSet>,
    /// What each database provides now, as the engine's fact sets.
    provides: Vec<Facts>,
}

impl<'a> Engine<'a> {
    fn new(ws: &'a Workspace, reach: &'a Reach, pending: &[PendingComponent<'_>]) -> Self {
        let state = State::initial(ws);
        // Procedures named by a `procedure:` selector anywhere form classes of their own.
        let mut named: BTreeSet<ProcId> = BTreeSet::new();
        let mut note = |sels: &[Selector]| {
            for s in sels {
                if let Selector::Procedure(p) = s {
                    named.insert(*p);
                }
            }
        };
        for db in &ws.databases {
            note(&db.serves);
        }
        for t in &ws.tasks {
            for e in &t.effects {
                if let Effect::Serves(_, s) = e {
                    note(s);
                }
            }
        }
        let mut class_of_key: BTreeMap<(Level, AgencyId, Option<SectorId>, Option<ProcId>), usize> = BTreeMap::new();
        let mut rep = Vec::new();
        let mut proc_class = vec![usize::MAX; ws.procedures.len()];
        for (i, p) in ws.procedures.iter().enumerate() {
            let pid = i as ProcId;
            let key = (p.level, reach.proc_agency[i], p.sector, named.contains(&pid).then_some(pid));
            let n = class_of_key.len();
            let c = *class_of_key.entry(key).or_insert(n);
            if c == rep.len() {
                rep.push(pid);
            }
            proc_class[i] = c;
        }
        // Hundreds of thousands of pending components, a few groups each: grouped class by
        // class in parallel, keyed by reference, and numbered class by class, each class's
        // groups in the order of their first member.
        let mut members_of_class: Vec<Vec<usize>> = vec![Vec::new(); rep.len()];
        for (k, pc) in pending.iter().enumerate() {
            members_of_class[proc_class[pc.proc as usize]].push(k);
        }
        let groups: Vec<Group> = members_of_class
            .par_iter()
            .enumerate()
            .map(|(class, members)| {
                let mut group_of_key: HashMap<(&Facts, &[DocId]), usize> = HashMap::default();
                let mut groups: Vec<Group> = Vec::new();
                for &k in members {
                    let pc = &pending[k];
                    let docs = pc.docs;
                    let g = *group_of_key.entry((pc.needed, docs)).or_insert_with(|| {
                        let needed = pc.needed.clone();
                        groups.push(Group { class, needed, docs: docs.to_vec(), members: Vec::new(), volume: 0, money: 0.0, live: true });
                        groups.len() - 1
                    });
                    let grp = &mut groups[g];
                    grp.members.push(k);
                    grp.volume += pc.volume;
                    grp.money += pc.money;
                }
                groups
            })
            .flatten_iter()
            .collect();
        let (mut by_level, mut by_agency, mut by_sector) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        for ((level, agency, sector, _), &c) in &class_of_key {
            by_level.entry(*level).or_insert_with(Vec::new).push(c);
            by_agency.entry(*agency).or_insert_with(Vec::new).push(c);
            if let Some(s) = sector {
                by_sector.entry(*s).or_insert_with(Vec::new).push(c);
            }
        }
        let mut class_groups: Vec<Vec<usize>> = vec![Vec::new(); rep.len()];
        let mut groups_by_doc: HashMap<DocId, Vec<usize>> = HashMap::default();
        for (g, grp) in groups.iter().enumerate() {
            class_groups[grp.class].push(g);
            for &d in &grp.docs {
                groups_by_doc.entry(d).or_default().push(g);
            }
        }
        let usable: Vec<Vec<DbId>> = rep.iter().map(|&p| reach.usable_dbs(ws, &state, p)).collect();
        let facts = ws.facts.len();
        let cov = usable.iter().map(|u| Facts::of(&covered(ws, &state, u), facts)).collect();
        let waiting = vec![Vec::new(); rep.len()];
        let n_classes = rep.len();
        let waiting_keys = vec![Facts::empty(facts); rep.len()];
        let needs = vec![Facts::empty(facts); rep.len()];
        let classes = Classes {
            rep,
            usable,
            covered: cov,
            groups: class_groups,
            waiting,
            waiting_keys,
            needs,
            by_level,
            by_agency,
            by_sector,
            proc_class,
            live: FixedBitSet::with_capacity(n_classes),
        };
        let adds = vec![FixedBitSet::with_capacity(classes.rep.len()); ws.databases.len()];
        let provides = state.dbs.iter().map(|db| Facts::of(&db.provides, facts)).collect();
        let mut engine = Engine { ws, reach, state, classes, groups, groups_by_doc, adds, provides };
        let all: FixedBitSet = (0..engine.classes.rep.len()).collect();
        engine.classes.live.extend(engine.classes.groups.iter().enumerate().filter(|(_, g)| !g.is_empty()).map(|(c, _)| c));
        let classes: Vec<usize> = (0..engine.classes.rep.len()).collect();
        engine.sort_waiting(&classes, &FixedBitSet::new());
        engine.refresh_adds(&(0..ws.databases.len() as DbId).collect::<Vec<_>>(), &all);
        engine
    }

    /// Recomputes `adds` for databases `dbs` over all classes and for every database over `classes`.
    fn refresh_adds(&mut self, dbs: &[DbId], classes: &FixedBitSet) {
        let all: FixedBitSet = (0..self.classes.rep.len()).collect();
        for d in 0..self.adds.len() {
            let scope = if dbs.contains(&(d as DbId)) { &all } else { classes };
            let provides = &self.provides[d];
            for c in scope.ones() {
                self.adds[d].set(c, !provides.is_subset(&self.classes.covered[c]));
            }
        }
    }

    /// The waiting buckets of class `c`, their keys, and the facts its live groups need, from
    /// its live groups, coverage and locks.
    fn waiting_of(&self, c: usize) -> (Buckets, Facts, Facts) {
        let covered = &self.classes.covered[c];
        let mut gathering = Gathering::default();
        let mut needs = Facts::empty(self.ws.facts.len());
        // Scratch: a class has thousands of groups and a handful of distinct missing sets.
        let mut missing = needs.clone();
        for &g in &self.classes.groups[c] {
            let grp = &self.groups[g];
            if !grp.live {
                continue;
            }
            needs.union_with(&grp.needed);
            // Fully locked groups wait for an unlock, which takes the full path.
            if grp.docs.iter().all(|&d| self.state.locked.contains(d as usize)) {
                continue;
            }
            missing.copy_from(&grp.needed);
            missing.difference_with(covered);
            gathering.add(&missing, grp.volume, grp.members.len() as u64);
        }
        let (waiting, keys) = gathering.finish(self.ws);
        (waiting, keys, needs)
    }

    /// The waiting buckets of class `c` and their keys after its coverage only grew, with no
    /// lock lifted: each entry misses what it missed less what is now covered, entries that
    /// then miss the same facts merge, and those that miss nothing became ready. A class has
    /// thousands of groups and a handful of entries.
    fn narrowed_waiting(&self, c: usize) -> (Buckets, Facts) {
        let covered = &self.classes.covered[c];
        let mut gathering = Gathering::default();
        let mut missing = Facts::empty(self.ws.facts.len());
        for (_, bucket) in &self.classes.waiting[c] {
            for old in bucket {
                missing.copy_from(&old.missing);
                missing.difference_with(covered);
                gathering.add(&missing, old.submissions, old.components);
            }
        }
        gathering.finish(self.ws)
    }

    /// Rebuilds the waiting buckets of `classes`, narrowing those of the classes in `grown`
    /// (see [`Engine::narrowed_waiting`]): each class on its own, so in parallel. The facts
    /// live groups need are worked out again only on a rebuild: elsewhere they stay a superset,
    /// which only makes [`Engine::apply`] report a class as changed more often.
    fn sort_waiting(&mut self, classes: &[usize], grown: &FixedBitSet) {
        let rebuilt: Vec<(Buckets, Facts, Option<Facts>)> = classes
            .par_iter()
            .map(|&c| {
                if grown.contains(c) {
                    let (waiting, keys) = self.narrowed_waiting(c);
                    (waiting, keys, None)
                } else {
                    let (waiting, keys, needs) = self.waiting_of(c);
                    (waiting, keys, Some(needs))
                }
            })
            .collect();
        for (&c, (waiting, keys, needs)) in classes.iter().zip(rebuilt) {
            self.classes.waiting[c] = waiting;
            self.classes.waiting_keys[c] = keys;
            if let Some(needs) = needs {
                self.classes.needs[c] = needs;
            }
        }
    }

    /// Whether a group is covered and unlocked in `state` given its class's coverage.
    fn group_ready(&self, locked: &FixedBitSet, g: &Group, cov: &Facts) -> bool {
        g.needed.is_subset(cov) && !g.docs.iter().all(|&d| locked.contains(d as usize))
    }

    /// What a bundle touches: the classes its effects may change, the classes where it lifts a
    /// lock, the state after it, and the databases it changes.
    fn touched(&self, state: &State, tasks: &[TaskId]) -> Touched {
        // Only the bundle's databases and the locks change: copying the whole state for each of
        // thousands of evaluations cost a quarter of them. Databases are kept sorted by id.
        let mut after_dbs: Vec<(DbId, DbState)> = Vec::new();
        let mut after_locked = state.locked.clone();
        let mut docs = BTreeSet::new();
        for e in tasks.iter().flat_map(|&t| &self.ws.tasks[t as usize].effects) {
            match e {
                Effect::Unlock(doc) => {
                    docs.insert(*doc);
                    after_locked.set(*doc as usize, false);
                }
                other => {
                    let d = other.database().expect("every effect but an unlock changes a database");
                    let i = after_dbs.binary_search_by_key(&d, |(x, _)| *x).unwrap_or_else(|i| {
                        after_dbs.insert(i, (d, state.dbs[d as usize].clone()));
                        i
                    });
                    after_dbs[i].1.apply(other);
                }
            }
        }
        let n = self.classes.rep.len();
        let mut classes = FixedBitSet::with_capacity(n);
        for (d, after) in &after_dbs {
            for db in [&state.dbs[*d as usize], after] {
                if db.status == DatabaseStatus::Operational && self.reach.quality_ok(&db.quality) {
                    for sel in &db.serves {
                        self.classes.matching(self.reach, sel, &mut classes);
                    }
                }
            }
        }
        let mut unlocked = FixedBitSet::with_capacity(n);
        let mut lifted = Vec::new();
        for d in docs {
            for &g in self.groups_by_doc.get(&d).into_iter().flatten() {
                let grp = &self.groups[g];
                unlocked.insert(grp.class);
                if grp.live && grp.docs.iter().all(|&x| state.locked.contains(x as usize)) {
                    lifted.push((grp.class, g));
                }
            }
        }
        classes.union_with(&unlocked);
        lifted.sort_unstable();
        lifted.dedup();
        let mut lifted_in = FixedBitSet::with_capacity(n);
        lifted_in.extend(lifted.iter().map(|&(c, _)| c));
        Touched { classes, unlocked, lifted, lifted_in, after_dbs, after_locked }
    }

    /// What every evaluation of a bundle starts from: what it touches, and each touched
    /// database usable after it with the classes it then serves.
    fn prepare(&self, tasks: &[TaskId]) -> Prepared {
        let touched = self.touched(&self.state, tasks);
        let n = self.classes.rep.len();
        let serving: Vec<Serving> = touched
            .after_dbs
            .iter()
            .filter(|(_, db)| db.status == DatabaseStatus::Operational && self.reach.quality_ok(&db.quality))
            .map(|(d, db)| {
                let mut reached = FixedBitSet::with_capacity(n);
                for sel in &db.serves {
                    self.classes.matching(self.reach, sel, &mut reached);
                }
                Serving { db: *d, reached, provides: Facts::of(&db.provides, self.ws.facts.len()) }
            })
            .collect();
        let mut touched_db = FixedBitSet::with_capacity(self.ws.databases.len());
        touched_db.extend(touched.dbs().map(|d| d as usize));
        Prepared { touched, serving, touched_db }
    }

    /// The classes where a touched database usable after the bundle brings a new fact, or a
    /// lock is lifted. Elsewhere coverage can only stay or shrink, so nothing can become ready.
    fn hot(&self, p: &Prepared) -> FixedBitSet {
        let mut hot = p.touched.unlocked.clone();
        for Serving { db: d, reached, provides } in &p.serving {
            if *provides == self.provides[*d as usize] {
                let mut adds = reached.clone();
                adds.intersect_with(&self.adds[*d as usize]);
                hot.union_with(&adds);
            } else {
                for c in reached.ones() {
                    if !provides.is_subset(&self.classes.covered[c]) {
                        hot.insert(c);
                    }
                }
            }
        }
        hot
    }

    /// [`Engine::hot`] for one class.
    fn is_hot(&self, p: &Prepared, c: usize) -> bool {
        p.touched.unlocked.contains(c) || p.serving.iter().any(|s| s.reached.contains(c) && !s.provides.is_subset(&self.classes.covered[c]))
    }

    /// What the bundle makes ready in hot class `c` (`cov` and `fresh` are scratch sets).
    fn class_gain(&self, p: &Prepared, c: usize, cov: &mut Facts, fresh: &mut Facts) -> Gain {
        let locked = &p.touched.after_locked;
        let covered = &self.classes.covered[c];
        let mut gain = Gain::default();
        // Untouched databases keep their state: start from them (all of the current coverage
        // when no touched database is usable here now), add the touched ones usable after.
        if self.classes.usable[c].iter().any(|&d| p.touched_db.contains(d as usize)) {
            cov.clear();
            for &d in &self.classes.usable[c] {
                if !p.touched_db.contains(d as usize) {
                    cov.union_with(&self.provides[d as usize]);
                }
            }
        } else {
            cov.copy_from(covered);
        }
        for s in &p.serving {
            if s.reached.contains(c) {
                cov.union_with(&s.provides);
            }
        }
        if !covered.is_subset(cov) {
            // A lost fact: look at every group of the class.
            for &g in &self.classes.groups[c] {
                let grp = &self.groups[g];
                if grp.live && self.group_ready(locked, grp, cov) {
                    gain.submissions += grp.volume;
                    gain.components += grp.members.len() as u64;
                }
            }
        } else {
            // Coverage only grew: what waits on a new fact and misses nothing else is ready,
            // and so is a group whose lock the bundle lifts if its facts are covered. The new
            // facts go block-wise into a scratch set: iterating `cov.difference(covered)` would
            // test every fact of `cov` one bit at a time.
            fresh.copy_from(cov);
            fresh.difference_with(covered);
            let keys = &self.classes.waiting_keys[c];
            fresh.intersect_with(keys);
            for f in fresh.ones() {
                // The buckets are sorted by fact and `keys` holds their facts: the bucket of `f`
                // is the one after those of the smaller keys (a count of a few words, where a
                // binary search missed the cache at every step).
                let (key, bucket) = &self.classes.waiting[c][keys.rank(f)];
                debug_assert_eq!(*key as usize, f);
                for w in bucket {
                    if w.missing.is_subset(cov) {
                        gain.submissions += w.submissions;
                        gain.components += w.components;
                    }
                }
            }
            // Most bundles lift no lock in most classes: skip the range search.
            let lifted = &p.touched.lifted;
            let from = if p.touched.lifted_in.contains(c) { lifted.partition_point(|&(x, _)| x < c) } else { lifted.len() };
            for &(_, g) in lifted[from..].iter().take_while(|&&(x, _)| x == c) {
                let grp = &self.groups[g];
                if self.group_ready(locked, grp, cov) {
                    gain.submissions += grp.volume;
                    gain.components += grp.members.len() as u64;
                }
            }
        }
        gain
    }

    /// The gain of applying bundle `tasks` now, with the classes where it may make groups
    /// ready (`hot`), every class it reaches, and its gain per hot class.
    ///
    /// This runs for every candidate bundle whose gain a step may have changed, over every
    /// class it makes hot: it works on per-database class sets and two scratch fact sets,
    /// never per-class selector matching or allocation.
    fn evaluate(&self, tasks: &[TaskId]) -> Evaluation {
        let p = self.prepare(tasks);
        let hot = self.hot(&p);
        let (mut cov, mut fresh) = (Facts::empty(self.ws.facts.len()), Facts::empty(self.ws.facts.len()));
        let by_class: Vec<(usize, Gain)> =
            hot.ones().map(|c| (c, self.class_gain(&p, c, &mut cov, &mut fresh))).filter(|(_, g)| *g != Gain::default()).collect();
        Evaluation { gain: Gain::total(&by_class), by_class, hot, bundle: tasks.to_vec(), prepared: p }
    }

    /// [`Engine::evaluate`] again after steps that changed none of the bundle's databases, for
    /// the classes in `dirty` (see [`plan`] for which): the others keep their gains. What the
    /// bundle touches is kept from before, its locks brought up to date by
    /// [`Engine::refresh_locks`].
    fn reevaluate(&self, mut e: Evaluation, dirty: &FixedBitSet) -> Evaluation {
        e.by_class.retain(|(c, _)| !dirty.contains(*c));
        let (mut cov, mut fresh) = (Facts::empty(self.ws.facts.len()), Facts::empty(self.ws.facts.len()));
        for c in dirty.ones() {
            let is_hot = self.is_hot(&e.prepared, c);
            e.hot.set(c, is_hot);
            if is_hot {
                let g = self.class_gain(&e.prepared, c, &mut cov, &mut fresh);
                if g != Gain::default() {
                    e.by_class.push((c, g));
                }
            }
        }
        e.by_class.sort_unstable_by_key(|(c, _)| *c);
        e.gain = Gain::total(&e.by_class);
        e
    }

    /// Brings a kept [`Prepared`] up to date after steps that lifted locks (and changed none of
    /// its bundle's databases). Locks are only ever lifted, so the locks after the bundle are
    /// those it lifts from the fewer left; and a group fully locked now was fully locked before,
    /// so the groups whose lock it lifts can only drop out.
    fn refresh_locks(&self, p: &mut Prepared) {
        let locked = &self.state.locked;
        p.touched.after_locked.intersect_with(locked);
        p.touched.lifted.retain(|&(_, g)| self.groups[g].docs.iter().all(|&d| locked.contains(d as usize)));
    }

    /// The gain of [`Engine::evaluate`] the slow way: every class and group, from scratch.
    /// Debug builds (and so every test) check each evaluation against it.
    #[cfg(debug_assertions)]
    fn evaluate_naive(&self, tasks: &[TaskId]) -> Gain {
        let mut after = self.state.clone();
        for &t in tasks {
            for e in &self.ws.tasks[t as usize].effects {
                after.apply(e);
            }
        }
        let mut gain = Gain::default();
        for (c, groups) in self.classes.groups.iter().enumerate() {
            let usable = self.reach.usable_dbs(self.ws, &after, self.classes.rep[c]);
            let cov = Facts::of(&covered(self.ws, &after, &usable), self.ws.facts.len());
            for &g in groups {
                let grp = &self.groups[g];
                if grp.live && self.group_ready(&after.locked, grp, &cov) {
                    gain.submissions += grp.volume;
                    gain.components += grp.members.len() as u64;
                }
            }
        }
        gain
    }

    /// Applies one task and says what it changed. `evaluating`: whether bundles will be
    /// evaluated after it (the greedy part); the by-due-date tail needs only the ready groups,
    /// not the indexes that evaluations read.
    fn apply(&mut self, task: TaskId, evaluating: bool) -> Change {
        let touched = self.touched(&self.state, &[task]);
        let dbs: Vec<DbId> = touched.dbs().collect();
        let Touched { classes, unlocked, after_dbs, after_locked, .. } = touched;
        // The task's databases before it, by id.
        let before: Vec<(DbId, DbState)> =
            after_dbs.into_iter().map(|(d, db)| (d, std::mem::replace(&mut self.state.dbs[d as usize], db))).collect();
        for &(d, _) in &before {
            self.provides[d as usize] = Facts::of(&self.state.dbs[d as usize].provides, self.ws.facts.len());
        }
        self.state.locked = after_locked;
        let mut ready = Vec::new();
        let n = self.classes.rep.len();
        let (mut changed, mut shrunk, mut sources) = (FixedBitSet::with_capacity(n), FixedBitSet::with_capacity(n), Vec::new());
        // Classes whose coverage changed, needed or not: what databases add there changed.
        let mut recovered = FixedBitSet::with_capacity(n);
        // Changed classes whose coverage only grew, with no lock lifted.
        let mut grown = FixedBitSet::with_capacity(n);
        // Scratch: what the task's databases provide in a class before and after it.
        let (mut moved, mut provided) = (self.ws.fact_set(), self.ws.fact_set());
        let ndb = self.ws.databases.len();
        let mut step_dbs = FixedBitSet::with_capacity(ndb);
        step_dbs.extend(dbs.iter().map(|&d| d as usize));
        let in_step = |d: &DbId| step_dbs.contains(*d as usize);
        // The task's databases usable in the class at hand (reused across classes).
        let mut now_usable: Vec<DbId> = Vec::with_capacity(dbs.len());
        for c in classes.ones() {
            // In the tail only what becomes ready counts: a class with no live group has
            // nothing left to make ready (half of the classes a task reaches, at scale).
            if !evaluating && !self.classes.live.contains(c) {
                continue;
            }
            // Only the task's databases can have changed usability: test those alone.
            let rep = self.classes.rep[c];
            let old = &self.classes.usable[c];
            now_usable.clear();
            now_usable.extend(dbs.iter().copied().filter(|&d| self.reach.usable(self.ws, &self.state.dbs[d as usize], rep)));
            let flips = dbs.iter().any(|d| old.binary_search(d).is_ok() != now_usable.contains(d));
            if !flips && now_usable.is_empty() && !unlocked.contains(c) {
                // None of the task's databases serves here, before or after; locks unchanged.
                continue;
            }
            let usable = if flips {
                let mut u: Vec<DbId> = old.iter().copied().filter(|d| !in_step(d)).collect();
                u.extend_from_slice(&now_usable);
                u.sort_unstable();
                u
            } else {
                old.clone()
            };
            debug_assert_eq!(usable, self.reach.usable_dbs(self.ws, &self.state, rep));
            let cov = Facts::of(&covered(self.ws, &self.state, &usable), self.ws.facts.len());
            let shrinks = !self.classes.covered[c].is_subset(&cov);
            let cov_changed = cov != self.classes.covered[c];
            if cov_changed {
                recovered.insert(c);
            }
            // A group is ready after a bundle when the facts it needs are covered: whatever a
            // bundle that shares no database with the task does here, what the task changes
            // can reach its coverage only through the facts the task's databases provide here,
            // before or after. If none of those that changed is needed by a live group (and
            // nothing shrank or was unlocked), no bundle's gain here changes.
            let needed_change = unlocked.contains(c) || shrinks || !evaluating || {
                moved.clear();
                for (d, db) in &before {
                    if old.binary_search(d).is_ok() {
                        moved.union_with(&db.provides);
                    }
                }
                provided.clear();
                for &d in &now_usable {
                    provided.union_with(&self.state.dbs[d as usize].provides);
                }
                moved.symmetric_difference_with(&provided);
                !self.classes.needs[c].is_disjoint_set(&moved)
            };
            if needed_change && (cov_changed || unlocked.contains(c)) {
                changed.insert(c);
                if !shrinks && !unlocked.contains(c) {
                    grown.insert(c);
                }
            } else if needed_change && evaluating {
                // Same coverage from other sources: it matters to bundles that touch one of them.
                let mut dbs = FixedBitSet::with_capacity(ndb);
                dbs.extend(self.classes.usable[c].iter().chain(&usable).map(|&d| d as usize));
                sources.push((c, dbs));
            }
            if shrinks {
                shrunk.insert(c);
            }
            self.classes.covered[c] = cov;
            self.classes.usable[c] = usable;
            // Live groups are not ready in the current state: only new coverage that one of
            // them needs or a lifted lock can make one ready.
            if !(unlocked.contains(c) || needed_change && cov_changed) {
                debug_assert!(
                    !self.classes.groups[c]
                        .iter()
                        .any(|&g| self.groups[g].live && self.group_ready(&self.state.locked, &self.groups[g], &self.classes.covered[c])),
                    "a live group is ready without new coverage or a lifted lock"
                );
                continue;
            }
            // Whether a live group is left once the ready ones are done.
            let mut left = false;
            for &g in &self.classes.groups[c] {
                let grp = &self.groups[g];
                if !grp.live {
                    continue;
                }
                if self.group_ready(&self.state.locked, grp, &self.classes.covered[c]) {
                    ready.push(g);
                    changed.insert(c);
                } else {
                    left = true;
                }
            }
            self.classes.live.set(c, left);
        }
        for &g in &ready {
            self.groups[g].live = false;
        }
        if !evaluating {
            return Change { ready, classes: changed, shrunk, sources };
        }
        self.sort_waiting(&changed.ones().collect::<Vec<_>>(), &grown);
        let reprovided: Vec<DbId> = self.ws.tasks[task as usize]
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Provides(d, _) => Some(*d),
                _ => None,
            })
            .collect();
        recovered.union_with(&changed);
        self.refresh_adds(&reprovided, &recovered);
        Change { ready, classes: changed, shrunk, sources }
    }
}

/// What applying one task changed.
struct Change {
    /// Groups it made ready.
    ready: Vec<usize>,
    /// Classes whose locks or live groups changed, or whose coverage changed by a fact a live
    /// group needs.
    classes: FixedBitSet,
    /// Among them, those whose coverage shrank.
    shrunk: FixedBitSet,
    /// Classes with the same coverage from changed sources (a usable database changed, or the
    /// usable set did), with the databases usable before or after.
    sources: Vec<(usize, FixedBitSet)>,
}

/// A bundle ready for evaluation.
struct Prepared {
    touched: Touched,
    serving: Vec<Serving>,
    touched_db: FixedBitSet,
}

/// A database a bundle changes that is usable after it.
struct Serving {
    db: DbId,
    /// The classes it serves after the bundle.
    reached: FixedBitSet,
    /// What it provides after the bundle.
    provides: Facts,
}

/// What a bundle touches.
struct Touched {
    classes: FixedBitSet,
    unlocked: FixedBitSet,
    /// Live groups (class, group) fully locked before whose lock the bundle lifts, sorted: a
    /// class finds its own by binary search.
    lifted: Vec<(usize, usize)>,
    /// The classes of `lifted` (or more, once [`Engine::refresh_locks`] dropped some).
    lifted_in: FixedBitSet,
    /// The bundle's databases after it, by id.
    after_dbs: Vec<(DbId, DbState)>,
    /// Document locks after it.
    after_locked: FixedBitSet,
}

impl Touched {
    /// The databases the bundle changes, by id.
    fn dbs(&self) -> impl Iterator<Item = DbId> + '_ {
        self.after_dbs.iter().map(|(d, _)| *d)
    }
}

/// A cached evaluation: gain in all and by class, hot classes, the bundle, and what it
/// touches.
struct Evaluation {
    gain: Gain,
    /// Non-zero gains by class, sorted by class.
    by_class: Vec<(usize, Gain)>,
    hot: FixedBitSet,
    bundle: Vec<TaskId>,
    /// Kept while none of the bundle's databases changes: preparing a bundle again for each
    /// of its re-evaluations took a fifth of them.
    prepared: Prepared,
}

impl Evaluation {
    /// Classes the bundle reaches.
    fn reached(&self) -> &FixedBitSet {
        &self.prepared.touched.classes
    }

    /// Databases the bundle changes.
    fn dbs(&self) -> &FixedBitSet {
        &self.prepared.touched_db
    }

    /// Debug builds check every re-evaluation against a fresh one: the same gains, and hot
    /// classes that may include more (a class whose only new facts became covered by facts no
    /// group needs stays hot, with no gain, until something there changes).
    #[cfg(debug_assertions)]
    fn check_against(&self, fresh: &Evaluation) {
        let same = |e: &Evaluation| {
            let t = &e.prepared.touched;
            (e.gain, e.by_class.clone(), e.reached().clone(), e.dbs().clone(), e.bundle.clone(), t.after_locked.clone(), t.lifted.clone())
        };
        assert_eq!(same(self), same(fresh), "re-evaluation of bundle {:?}", self.bundle);
        assert!(fresh.hot.is_subset(&self.hot), "hot classes of bundle {:?} lost", self.bundle);
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Gain {
    submissions: u64,
    components: u64,
}

impl Gain {
    /// The sum of gains by class.
    fn total(by_class: &[(usize, Gain)]) -> Gain {
        by_class
            .iter()
            .fold(Gain::default(), |a, (_, g)| Gain { submissions: a.submissions + g.submissions, components: a.components + g.components })
    }
}

/// Transitive dependencies of `t` not yet scheduled, plus `t`, in dependency order (ties by id).
fn bundle(ws: &Workspace, t: TaskId, scheduled: &[bool]) -> Vec<TaskId> {
    let mut set = BTreeSet::new();
    let mut stack = vec![t];
    while let Some(x) = stack.pop() {
        if scheduled[x as usize] || !set.insert(x) {
            continue;
        }
        stack.extend(ws.tasks[x as usize].depends_on.iter().copied());
    }
    // Kahn's algorithm, smallest id first among the ready ones.
    let mut order = Vec::with_capacity(set.len());
    let mut left: BTreeSet<TaskId> = set;
    while !left.is_empty() {
        let next = left
            .iter()
            .copied()
            .filter(|&x| ws.tasks[x as usize].depends_on.iter().all(|d| !left.contains(d)))
            .min_by(|a, b| ws.tasks[*a as usize].id.cmp(&ws.tasks[*b as usize].id));
        // Cycles are load errors; should one slip through, take the smallest id to stay total.
        let next = next
            .unwrap_or_else(|| *left.iter().min_by(|a, b| ws.tasks[**a as usize].id.cmp(&ws.tasks[**b as usize].id)).expect("non-empty"));
        left.remove(&next);
        order.push(next);
    }
    order
}

/// Whether a task takes part in the roadmap.
pub fn schedulable(t: &Task) -> bool {
    !matches!(t.status, TaskStatus::Done | TaskStatus::Routine)
}

/// Adds months to a date, keeping the day and clamping to the month's last day.
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Builds the roadmap for the pending components.
///
/// `after_now` is the total (documents, submissions) still asked for after what is eliminated now.
pub fn plan(ws: &Workspace, reach: &Reach, pending: &[PendingComponent<'_>], after_now: (u64, u64), opts: &RoadmapOptions) -> Plan {
    // Without a task to schedule there is no step: the engine's classes and groups (a tenth of
    // a second on a national catalog) would go unused.
    if !ws.tasks.iter().any(schedulable) {
        return Plan { steps: Vec::new(), unlocks: Vec::new(), unlock_of: vec![None; pending.len()], final_state: State::initial(ws) };
    }
    let mut engine = Engine::new(ws, reach, pending);
    let n = ws.tasks.len();
    let mut scheduled: Vec<bool> = ws.tasks.iter().map(|t| !schedulable(t)).collect();
    let mut order: Vec<(TaskId, bool)> = Vec::new();
    let mut made_ready: Vec<Vec<usize>> = Vec::new();
    // Cached evaluation per candidate, and the classes whose gain it must work out again.
    let mut cache: Vec<Option<Evaluation>> = (0..n).map(|_| None).collect();
    let mut dirty: Vec<Option<FixedBitSet>> = vec![None; n];
    let due_key = |t: TaskId| ws.tasks[t as usize].due.unwrap_or(NaiveDate::MAX);

    loop {
        let candidates: Vec<TaskId> = (0..n as u32).filter(|&t| !scheduled[t as usize]).collect();
        if candidates.is_empty() {
            break;
        }
        // Stale candidates, with their kept evaluation if only some classes are dirty.
        let stale: Vec<(TaskId, Option<(Evaluation, FixedBitSet)>)> = candidates
            .iter()
            .filter_map(|&t| {
                let i = t as usize;
                (cache[i].is_none() || dirty[i].is_some()).then(|| (t, cache[i].take().zip(dirty[i].take())))
            })
            .collect();
        let fresh: Vec<(TaskId, Evaluation)> = stale
            .into_par_iter()
            .map(|(t, kept)| {
                let e = match kept {
                    Some((old, classes)) => {
                        let e = engine.reevaluate(old, &classes);
                        #[cfg(debug_assertions)]
                        e.check_against(&engine.evaluate(&e.bundle));
                        e
                    }
                    None => engine.evaluate(&bundle(ws, t, &scheduled)),
                };
                #[cfg(debug_assertions)]
                assert_eq!(e.gain, engine.evaluate_naive(&e.bundle), "incremental gain of bundle {:?}", e.bundle);
                (t, e)
            })
            .collect();
        for (t, e) in fresh {
            cache[t as usize] = Some(e);
            dirty[t as usize] = None;
        }
        // Debug builds (every test) check that no cached gain went stale.
        #[cfg(debug_assertions)]
        for &t in &candidates {
            let e = cache[t as usize].as_ref().expect("evaluated");
            assert_eq!(e.gain, engine.evaluate_naive(&e.bundle), "cached gain of bundle {:?}", e.bundle);
        }
        let score = |t: TaskId| {
            let e = cache[t as usize].as_ref().expect("evaluated");
            let effort: f64 = e.bundle.iter().map(|&x| ws.tasks[x as usize].effort).sum();
            let per_effort = if effort > 0.0 {
                e.gain.submissions as f64 / effort
            } else if e.gain.components > 0 {
                f64::INFINITY
            } else {
                0.0
            };
            (per_effort, e.gain.components)
        };
        let scored: Vec<(TaskId, (f64, u64))> = candidates.iter().map(|&t| (t, score(t))).collect();
        let best = scored.iter().max_by(|(a, (sa, ca)), (b, (sb, cb))| {
            sa.total_cmp(sb)
                .then(ca.cmp(cb))
                .then_with(|| due_key(*b).cmp(&due_key(*a)))
                .then_with(|| ws.tasks[*b as usize].id.cmp(&ws.tasks[*a as usize].id))
        });
        let Some(&(best, (_, best_components))) = best else { break };
        if best_components == 0 {
            break;
        }
        let steps = cache[best as usize].as_ref().expect("evaluated").bundle.clone();
        let classes = engine.classes.rep.len();
        let (mut changed, mut shrunk) = (FixedBitSet::with_capacity(classes), FixedBitSet::with_capacity(classes));
        let mut sources: BTreeMap<usize, FixedBitSet> = BTreeMap::new();
        let mut changed_dbs = FixedBitSet::with_capacity(ws.databases.len());
        let mut lifts_locks = false;
        for &s in &steps {
            scheduled[s as usize] = true;
            let change = engine.apply(s, true);
            changed.union_with(&change.classes);
            shrunk.union_with(&change.shrunk);
            for (c, dbs) in change.sources {
                sources.entry(c).or_default().union_with(&dbs);
            }
            changed_dbs.extend(ws.tasks[s as usize].effects.iter().filter_map(Effect::database).map(|d| d as usize));
            lifts_locks |= ws.tasks[s as usize].effects.iter().any(|e| matches!(e, Effect::Unlock(_)));
            order.push((s, true));
            made_ready.push(change.ready);
        }
        // What the applied steps may have changed. A bundle that shares a database with them,
        // or contains one of them, is evaluated afresh. Otherwise its gain is a sum over the
        // classes it makes hot, each depending only on that class; it changes in a hot class
        // whose coverage, locks or live groups changed, or whose sources changed where the bundle
        // touches one of them, and a class it reaches turns hot only when coverage shrinks.
        // Only those classes are worked out again.
        for (t, entry) in cache.iter_mut().enumerate() {
            let Some(e) = entry else { continue };
            if !e.dbs().is_disjoint(&changed_dbs) || e.bundle.iter().any(|x| steps.contains(x)) {
                *entry = None;
                dirty[t] = None;
                continue;
            }
            if lifts_locks {
                engine.refresh_locks(&mut e.prepared);
            }
            let mut d = e.hot.clone();
            d.intersect_with(&changed);
            let mut turned = e.reached().clone();
            turned.intersect_with(&shrunk);
            d.union_with(&turned);
            for (&c, dbs) in &sources {
                if e.hot.contains(c) && !dbs.is_disjoint(e.dbs()) {
                    d.insert(c);
                }
            }
            if !d.is_clear() {
                dirty[t].get_or_insert_with(|| FixedBitSet::with_capacity(classes)).union_with(&d);
            }
        }
    }
    // The tail: by due date (absent last), then id, each after its unscheduled dependencies.
    let mut tail: Vec<TaskId> = (0..n as u32).filter(|&t| !scheduled[t as usize]).collect();
    tail.sort_by(|&a, &b| due_key(a).cmp(&due_key(b)).then_with(|| ws.tasks[a as usize].id.cmp(&ws.tasks[b as usize].id)));
    for t in tail {
        if scheduled[t as usize] {
            continue;
        }
        for s in bundle(ws, t, &scheduled) {
            scheduled[s as usize] = true;
            order.push((s, false));
            made_ready.push(engine.apply(s, false).ready);
        }
    }

    // Phases and the burn-down.
    let capacity = opts.capacity.or(ws.policy.capacity_per_phase);
    let months = opts.phase_months.unwrap_or(ws.policy.phase_months).max(1);
    let as_of = ws.policy.as_of;
    let mut steps = Vec::with_capacity(order.len());
    let mut unlocks = Vec::new();
    let mut unlock_of: Vec<Option<u32>> = vec![None; pending.len()];
    // The step that last counted a procedure, so each step counts its procedures once.
    let mut counted_at: Vec<usize> = vec![usize::MAX; ws.procedures.len()];
    let (mut docs_left, mut subs_left) = after_now;
    let (mut phase, mut phase_effort, mut phase_empty) = (1u32, 0.0f64, true);
    let mut step_index_of_task: HashMap<TaskId, usize> = HashMap::default();
    let mut replay = State::initial(ws);
    let mut in_roadmap = FixedBitSet::with_capacity(n);
    for (k, ((task, greedy), ready)) in order.iter().zip(&made_ready).enumerate() {
        let t = &ws.tasks[*task as usize];
        if let Some(cap) = capacity
            && !phase_empty
            && phase_effort + t.effort > cap
        {
            phase += 1;
            phase_effort = 0.0;
        }
        phase_effort += t.effort;
        phase_empty = false;
        let phase_start = add_months(as_of, (phase - 1) * months);
        let phase_end = add_months(as_of, phase * months).pred_opt().unwrap_or(NaiveDate::MIN);
        step_index_of_task.insert(*task, k);
        in_roadmap.insert(*task as usize);
        replay.apply_task(t);
        let mut u = Unlocks::default();
        // Within one step, groups of a class share usable databases, and groups with the same
        // lookups and documents share the credited tasks.
        let mut usable_of: HashMap<usize, Vec<DbId>> = HashMap::default();
        let mut credit_of: HashMap<(ShortList, &[DocId]), Vec<TaskId>> = HashMap::default();
        for &g in ready {
            let grp = &engine.groups[g];
            let usable = usable_of.entry(grp.class).or_insert_with(|| reach.usable_dbs(ws, &replay, engine.classes.rep[grp.class]));
            let lookups = choose_lookups(ws, &replay, usable, grp.needed.to_set(ws.facts.len()));
            let credited = credit_of
                .entry((lookups.clone(), &grp.docs))
                .or_insert_with(|| credit(ws, &order[..=k], &in_roadmap, &lookups, &grp.docs))
                .clone();
            for &m in &grp.members {
                let p = pending[m].proc as usize;
                if counted_at[p] != k {
                    counted_at[p] = k;
                    u.procedures += 1;
                }
                unlock_of[m] = Some(unlocks.len() as u32);
            }
            unlocks.push(Unlock { step: k, lookups: lookups.to_vec(), unlocked_by: credited });
            u.components += grp.members.len() as u64;
            u.submissions += grp.volume;
            u.money += grp.money;
        }
        docs_left = docs_left.saturating_sub(u.components);
        subs_left = subs_left.saturating_sub(u.submissions);
        steps.push(Step {
            task: *task,
            phase,
            phase_start,
            phase_end,
            at_risk: t.due.is_some_and(|d| phase_end > d),
            greedy: *greedy,
            unlocks: u,
            remaining: Remaining { documents: docs_left, submissions: subs_left },
        });
    }
    Plan { steps, unlocks, unlock_of, final_state: engine.state }
}

/// The tasks scheduled so far that change a database among `lookups` or lift a lock of `docs`,
/// with their dependencies that are roadmap steps, sorted by id.
/// `in_roadmap` holds the tasks of `so_far` (kept by the caller, not rebuilt for every group).
fn credit(ws: &Workspace, so_far: &[(TaskId, bool)], in_roadmap: &FixedBitSet, lookups: &[DbId], docs: &[DocId]) -> Vec<TaskId> {
    let mut out = BTreeSet::new();
    for &(t, _) in so_far {
        let hits = ws.tasks[t as usize].effects.iter().any(|e| match e {
            Effect::Unlock(d) => docs.contains(d),
            other => other.database().is_some_and(|d| lookups.contains(&d)),
        });
        if hits {
            let mut stack = vec![t];
            while let Some(x) = stack.pop() {
                if in_roadmap.contains(x as usize) && out.insert(x) {
                    stack.extend(ws.tasks[x as usize].depends_on.iter().copied());
                }
            }
        }
    }
    let mut v: Vec<TaskId> = out.into_iter().collect();
    v.sort_by(|a, b| ws.tasks[*a as usize].id.cmp(&ws.tasks[*b as usize].id));
    v
}

/// Task progress as a national progress report states it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    /// All tasks.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Routine.
    pub routine: u64,
    /// Not started.
    pub not_started: u64,
    /// Per owner, sorted by owner id.
    pub by_owner: Vec<OwnerProgress>,
    /// Due before `as_of` and not done, oldest first.
    pub overdue: Vec<Overdue>,
}

/// Progress of one owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnerProgress {
    /// Owner agency id (empty when none).
    pub owner: String,
    /// All its tasks.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// In progress.
    pub in_progress: u64,
    /// Routine.
    pub routine: u64,
    /// Not started.
    pub not_started: u64,
    /// Overdue.
    pub overdue: u64,
}

/// An overdue task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    /// Task id.
    pub task: String,
    /// Owner agency id.
    pub owner: String,
    /// Due date.
    pub due: String,
    /// Status.
    pub status: TaskStatus,
    /// Days past due as of `as_of`.
    pub days_overdue: i64,
}

/// Counts tasks by status and owner, and lists overdue ones.
pub fn progress(ws: &Workspace) -> Progress {
    let as_of = ws.policy.as_of;
    let mut p = Progress::default();
    let mut owners: BTreeMap<String, OwnerProgress> = BTreeMap::new();
    let mut overdue = Vec::new();
    for t in &ws.tasks {
        let owner = t.owner.map(|o| ws.agencies[o as usize].id.clone()).unwrap_or_default();
        let o = owners.entry(owner.clone()).or_insert_with(|| OwnerProgress { owner: owner.clone(), ..Default::default() });
        p.total += 1;
        o.total += 1;
        let (a, b) = match t.status {
            TaskStatus::Done => (&mut p.done, &mut o.done),
            TaskStatus::InProgress => (&mut p.in_progress, &mut o.in_progress),
            TaskStatus::Routine => (&mut p.routine, &mut o.routine),
            TaskStatus::NotStarted => (&mut p.not_started, &mut o.not_started),
        };
        *a += 1;
        *b += 1;
        if let Some(due) = t.due
            && due < as_of
            && t.status != TaskStatus::Done
        {
            o.overdue += 1;
            overdue.push(Overdue {
                task: t.id.clone(),
                owner,
                due: due.to_string(),
                status: t.status,
                days_overdue: (as_of - due).num_days(),
            });
        }
    }
    overdue.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.task.cmp(&b.task)));
    p.by_owner = owners.into_values().collect();
    p.overdue = overdue;
    p
}
