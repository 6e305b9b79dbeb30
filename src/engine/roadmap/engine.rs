//! What the plan knows about pending components: reach classes, groups of components that
//! need the same facts and documents, the buckets where they wait for a missing fact, and
//! how applying a task changes them.

use super::PendingComponent;
use super::evaluation::Touched;
use crate::engine::facts::Facts;
use crate::engine::lookup::{DbState, Reach, State, covered};
use crate::workspace::*;
use fixedbitset::FixedBitSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// Waiting entries of one class by the first fact they miss, sorted by it: an evaluation finds
/// the bucket of each new fact by the fact's rank among the class's keys, where a map's nodes
/// cost a cache miss each.
pub(super) type Buckets = Vec<(FactId, Vec<Waiting>)>;

/// Groups of one class that miss the same facts, with what they would eliminate together.
#[derive(Clone)]
pub(super) struct Waiting {
    pub(super) missing: Facts,
    pub(super) submissions: u64,
    pub(super) components: u64,
}

/// Pending components of one class that need the same facts and documents.
pub(super) struct Group {
    pub(super) class: usize,
    pub(super) needed: Facts,
    pub(super) docs: Vec<DocId>,
    pub(super) members: Vec<usize>,
    pub(super) volume: u64,
    pub(super) money: f64,
    pub(super) live: bool,
}

/// Waiting entries of one class being gathered: what misses the same facts merges.
#[derive(Default)]
pub(super) struct Gathering {
    pub(super) waiting: BTreeMap<FactId, Vec<Waiting>>,
    /// Where each missing set's entry is: its bucket and its place there.
    pub(super) index: HashMap<Facts, (FactId, usize)>,
}

impl Gathering {
    /// Adds what waits on `missing`; nothing if it misses nothing (it is ready).
    pub(super) fn add(&mut self, missing: &Facts, submissions: u64, components: u64) {
        let Some(first) = missing.minimum() else { return };
        let first = FactId::new(first);
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
    pub(super) fn finish(self, ws: &Workspace) -> (Buckets, Facts) {
        let mut keys = Facts::empty(ws.facts.len());
        for &f in self.waiting.keys() {
            keys.insert(f.index());
        }
        (self.waiting.into_iter().collect(), keys)
    }
}

/// Reach classes: procedures that no selector can tell apart share one.
pub(super) struct Classes {
    /// Representative procedure of each class.
    pub(super) rep: Vec<ProcId>,
    /// Usable databases per class in the current state.
    pub(super) usable: Vec<Vec<DbId>>,
    /// Covered facts per class in the current state.
    pub(super) covered: Vec<Facts>,
    /// Groups per class.
    pub(super) groups: Vec<Vec<usize>>,
    /// Live, unlocked groups per class, merged by the facts they still miss and bucketed by
    /// the first of them. Where a bundle only adds coverage, a group can become ready only
    /// through that first fact, and groups missing the same facts become ready together: an
    /// evaluation tests one set per bucket entry of its new facts, not every group.
    pub(super) waiting: Vec<Buckets>,
    /// The keys of `waiting` per class, as a set: new facts are intersected with it before
    /// any bucket is looked up.
    pub(super) waiting_keys: Vec<Facts>,
    /// Facts the live groups of each class need: coverage that grows by none of them changes
    /// no group's missing facts, so no bundle's gain in the class.
    pub(super) needs: Vec<Facts>,
    /// Classes a selector can match, by selector kind: so a bundle's reach is found by index,
    /// not by testing every class.
    pub(super) by_level: BTreeMap<Level, Vec<usize>>,
    pub(super) by_agency: BTreeMap<AgencyId, Vec<usize>>,
    pub(super) by_sector: BTreeMap<SectorId, Vec<usize>>,
    pub(super) proc_class: IdVec<ProcId, usize>,
    /// Classes with a live group: only those can still gain.
    pub(super) live: FixedBitSet,
}

impl Classes {
    /// The classes selector `s` matches (agency selectors by successor).
    pub(super) fn matching(&self, reach: &Reach, s: &Selector, out: &mut FixedBitSet) {
        let list: &[usize] = match s {
            Selector::All => {
                out.insert_range(..);
                return;
            }
            Selector::Level(l) => self.by_level.get(l).map_or(&[], Vec::as_slice),
            Selector::Agency(a) => self.by_agency.get(&reach.agency_successor[*a]).map_or(&[], Vec::as_slice),
            Selector::Sector(x) => self.by_sector.get(x).map_or(&[], Vec::as_slice),
            Selector::Procedure(p) => {
                out.insert(self.proc_class[*p]);
                return;
            }
        };
        for &c in list {
            out.insert(c);
        }
    }
}

/// Pending components and the state after the steps taken so far.
pub(super) struct Engine<'a> {
    pub(super) ws: &'a Workspace,
    pub(super) reach: &'a Reach,
    pub(super) state: State,
    pub(super) classes: Classes,
    pub(super) groups: Vec<Group>,
    /// Groups by document, for unlocks.
    pub(super) groups_by_doc: HashMap<DocId, Vec<usize>>,
    /// Per database, the classes where what it provides now is not all covered yet: where
    /// making it usable would bring a new fact. Kept current as tasks apply.
    pub(super) adds: IdVec<DbId, FixedBitSet>,
    /// What each database provides now, as the engine's fact sets.
    pub(super) provides: IdVec<DbId, Facts>,
}

impl<'a> Engine<'a> {
    /// The engine in today's state, with the pending components grouped into their classes.
    pub(super) fn new(ws: &'a Workspace, reach: &'a Reach, pending: &[PendingComponent<'_>]) -> Self {
        let state = State::initial(ws);
        let (class_of_key, rep, proc_class) = reach_classes(ws, reach);
        let groups = group_components(pending, &proc_class, rep.len());
        let (mut by_level, mut by_agency, mut by_sector) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        for ((levels, agency, sector, _), &c) in &class_of_key {
            for level in levels.iter() {
                by_level.entry(level).or_insert_with(Vec::new).push(c);
            }
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
        let adds = IdVec::from_elem(FixedBitSet::with_capacity(classes.rep.len()), ws.databases.len());
        let provides = state.dbs.iter().map(|db| Facts::of(&db.provides, facts)).collect();
        let mut engine = Engine { ws, reach, state, classes, groups, groups_by_doc, adds, provides };
        let all: FixedBitSet = (0..engine.classes.rep.len()).collect();
        engine.classes.live.extend(engine.classes.groups.iter().enumerate().filter(|(_, g)| !g.is_empty()).map(|(c, _)| c));
        let classes: Vec<usize> = (0..engine.classes.rep.len()).collect();
        engine.sort_waiting(&classes, &FixedBitSet::new());
        engine.refresh_adds(&ws.databases.ids().collect::<Vec<_>>(), &all);
        engine
    }

    /// Recomputes `adds` for databases `dbs` over all classes and for every database over `classes`.
    pub(super) fn refresh_adds(&mut self, dbs: &[DbId], classes: &FixedBitSet) {
        let all: FixedBitSet = (0..self.classes.rep.len()).collect();
        for d in self.adds.ids() {
            let scope = if dbs.contains(&d) { &all } else { classes };
            let provides = &self.provides[d];
            for c in scope.ones() {
                self.adds[d].set(c, !provides.is_subset(&self.classes.covered[c]));
            }
        }
    }

    /// The waiting buckets of class `c`, their keys, and the facts its live groups need, from
    /// its live groups, coverage and locks.
    pub(super) fn waiting_of(&self, c: usize) -> (Buckets, Facts, Facts) {
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
            if grp.docs.iter().all(|&d| self.state.locked.contains(d.index())) {
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
    pub(super) fn narrowed_waiting(&self, c: usize) -> (Buckets, Facts) {
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
    pub(super) fn sort_waiting(&mut self, classes: &[usize], grown: &FixedBitSet) {
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
    pub(super) fn group_ready(&self, locked: &FixedBitSet, g: &Group, cov: &Facts) -> bool {
        g.needed.is_subset(cov) && !g.docs.iter().all(|&d| locked.contains(d.index()))
    }

    /// Applies one task and says what it changed. `evaluating`: whether bundles will be
    /// evaluated after it (the greedy part); the by-due-date tail needs only the ready groups,
    /// not the indexes that evaluations read.
    pub(super) fn apply(&mut self, task: TaskId, evaluating: bool) -> Change {
        let step = self.swap_in(task, evaluating);
        let mut out = Recovery::new(self.classes.rep.len());
        let mut scratch =
            ClassScratch { moved: self.ws.fact_set(), provided: self.ws.fact_set(), now_usable: Vec::with_capacity(step.dbs.len()) };
        for c in step.classes.ones() {
            self.apply_in_class(c, &step, &mut out, &mut scratch);
        }
        for &g in &out.ready {
            self.groups[g].live = false;
        }
        let Recovery { ready, changed, shrunk, sources, mut recovered, grown } = out;
        if !evaluating {
            return Change { ready, classes: changed, shrunk, sources };
        }
        self.sort_waiting(&changed.ones().collect::<Vec<_>>(), &grown);
        let reprovided: Vec<DbId> = self.ws.tasks[task]
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

    /// Puts the task's databases and locks into the state, keeping its databases as they were
    /// before: what a class's coverage changes by is worked out from both.
    fn swap_in(&mut self, task: TaskId, evaluating: bool) -> Applying {
        let touched = self.touched(&self.state, &[task]);
        let dbs: Vec<DbId> = touched.dbs().collect();
        let Touched { classes, unlocked, after_dbs, after_locked, .. } = touched;
        let before: Vec<(DbId, DbState)> =
            after_dbs.into_iter().map(|(d, db)| (d, std::mem::replace(&mut self.state.dbs[d], db))).collect();
        for &(d, _) in &before {
            self.provides[d] = Facts::of(&self.state.dbs[d].provides, self.ws.facts.len());
        }
        self.state.locked = after_locked;
        let mut step_dbs = FixedBitSet::with_capacity(self.ws.databases.len());
        step_dbs.extend(dbs.iter().map(|d| d.index()));
        Applying { dbs, step_dbs, before, classes, unlocked, evaluating }
    }

    /// Brings class `c` up to date after the task: usable databases, coverage, what the kept
    /// evaluations must learn about it, and the groups it made ready.
    fn apply_in_class(&mut self, c: usize, step: &Applying, out: &mut Recovery, scratch: &mut ClassScratch) {
        // In the tail only what becomes ready counts: a class with no live group has
        // nothing left to make ready (half of the classes a task reaches, at scale).
        if !step.evaluating && !self.classes.live.contains(c) {
            return;
        }
        let Some(usable) = self.usable_after(c, step, &mut scratch.now_usable) else { return };
        let unlocked = step.unlocked.contains(c);
        let cov = Facts::of(&covered(self.ws, &self.state, &usable), self.ws.facts.len());
        let shrinks = !self.classes.covered[c].is_subset(&cov);
        let cov_changed = cov != self.classes.covered[c];
        if cov_changed {
            out.recovered.insert(c);
        }
        // A group is ready after a bundle when the facts it needs are covered: whatever a
        // bundle that shares no database with the task does here, what the task changes
        // can reach its coverage only through the facts the task's databases provide here,
        // before or after. If none of those that changed is needed by a live group (and
        // nothing shrank or was unlocked), no bundle's gain here changes.
        let needed_change = unlocked || shrinks || !step.evaluating || self.moves_needed_fact(c, step, scratch);
        if needed_change && (cov_changed || unlocked) {
            out.changed.insert(c);
            if !shrinks && !unlocked {
                out.grown.insert(c);
            }
        } else if needed_change && step.evaluating {
            // Same coverage from other sources: it matters to bundles that touch one of them.
            let mut dbs = FixedBitSet::with_capacity(self.ws.databases.len());
            dbs.extend(self.classes.usable[c].iter().chain(&usable).map(|d| d.index()));
            out.sources.push((c, dbs));
        }
        if shrinks {
            out.shrunk.insert(c);
        }
        self.classes.covered[c] = cov;
        self.classes.usable[c] = usable;
        // Live groups are not ready in the current state: only new coverage that one of
        // them needs or a lifted lock can make one ready.
        if !(unlocked || needed_change && cov_changed) {
            debug_assert!(
                !self.classes.groups[c]
                    .iter()
                    .any(|&g| self.groups[g].live && self.group_ready(&self.state.locked, &self.groups[g], &self.classes.covered[c])),
                "a live group is ready without new coverage or a lifted lock"
            );
            return;
        }
        self.take_ready(c, out);
    }

    /// The databases usable in class `c` after the task, or None when none of the task's
    /// databases serves there, before or after, and no lock is lifted there. `now_usable`
    /// receives the task's databases usable there now.
    fn usable_after(&self, c: usize, step: &Applying, now_usable: &mut Vec<DbId>) -> Option<Vec<DbId>> {
        // Only the task's databases can have changed usability: test those alone.
        let rep = self.classes.rep[c];
        let old = &self.classes.usable[c];
        now_usable.clear();
        now_usable.extend(step.dbs.iter().copied().filter(|&d| self.reach.usable(self.ws, &self.state.dbs[d], rep)));
        let flips = step.dbs.iter().any(|d| old.binary_search(d).is_ok() != now_usable.contains(d));
        if !flips && now_usable.is_empty() && !step.unlocked.contains(c) {
            return None;
        }
        let usable = if flips {
            let mut u: Vec<DbId> = old.iter().copied().filter(|d| !step.step_dbs.contains(d.index())).collect();
            u.extend_from_slice(now_usable);
            u.sort_unstable();
            u
        } else {
            old.clone()
        };
        debug_assert_eq!(usable, self.reach.usable_dbs(self.ws, &self.state, rep));
        Some(usable)
    }

    /// Whether what the task's databases provide in class `c` (usable before, or usable now
    /// as in `scratch.now_usable`) changed by a fact a live group there needs. Called before
    /// the class's usable databases are updated.
    fn moves_needed_fact(&self, c: usize, step: &Applying, scratch: &mut ClassScratch) -> bool {
        let ClassScratch { moved, provided, now_usable } = scratch;
        let old = &self.classes.usable[c];
        moved.clear();
        for (d, db) in &step.before {
            if old.binary_search(d).is_ok() {
                moved.union_with(&db.provides);
            }
        }
        provided.clear();
        for &d in now_usable.iter() {
            provided.union_with(&self.state.dbs[d].provides);
        }
        moved.symmetric_difference_with(provided);
        !self.classes.needs[c].is_disjoint_set(moved)
    }

    /// Moves the live groups of class `c` that are ready now to `out.ready`, and notes whether
    /// the class keeps a live group.
    fn take_ready(&mut self, c: usize, out: &mut Recovery) {
        let mut left = false;
        for &g in &self.classes.groups[c] {
            let grp = &self.groups[g];
            if !grp.live {
                continue;
            }
            if self.group_ready(&self.state.locked, grp, &self.classes.covered[c]) {
                out.ready.push(g);
                out.changed.insert(c);
            } else {
                left = true;
            }
        }
        self.classes.live.set(c, left);
    }
}

/// A reach class's key: what selectors can tell procedures apart by.
type ClassKey = (Levels, AgencyId, Option<SectorId>, Option<ProcId>);

/// Procedures named by a `procedure:` selector anywhere: they form classes of their own.
fn named_procedures(ws: &Workspace) -> BTreeSet<ProcId> {
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
    named
}

/// The reach classes by key, a representative procedure of each (its first), and the class
/// of each procedure.
fn reach_classes(ws: &Workspace, reach: &Reach) -> (BTreeMap<ClassKey, usize>, Vec<ProcId>, IdVec<ProcId, usize>) {
    let named = named_procedures(ws);
    let mut class_of_key: BTreeMap<ClassKey, usize> = BTreeMap::new();
    let mut rep = Vec::new();
    let mut proc_class = IdVec::from_elem(usize::MAX, ws.procedures.len());
    for (pid, p) in ws.procedures.iter_enumerated() {
        let key = (p.levels, reach.proc_agency[pid], p.sector, named.contains(&pid).then_some(pid));
        let n = class_of_key.len();
        let c = *class_of_key.entry(key).or_insert(n);
        if c == rep.len() {
            rep.push(pid);
        }
        proc_class[pid] = c;
    }
    (class_of_key, rep, proc_class)
}

/// The pending components grouped by class, needed facts and documents.
fn group_components(pending: &[PendingComponent<'_>], proc_class: &IdVec<ProcId, usize>, classes: usize) -> Vec<Group> {
    // Hundreds of thousands of pending components, a few groups each: grouped class by
    // class in parallel, keyed by reference, and numbered class by class, each class's
    // groups in the order of their first member.
    let mut members_of_class: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (k, pc) in pending.iter().enumerate() {
        members_of_class[proc_class[pc.proc]].push(k);
    }
    members_of_class
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
        .collect()
}

/// The task being applied, as every class it touches sees it.
struct Applying {
    /// Its databases, by id, and as a set.
    dbs: Vec<DbId>,
    step_dbs: FixedBitSet,
    /// Its databases before it, by id.
    before: Vec<(DbId, DbState)>,
    /// Classes its effects may change, and those where it lifts a lock.
    classes: FixedBitSet,
    unlocked: FixedBitSet,
    evaluating: bool,
}

/// What applying a task changed, gathered class by class.
struct Recovery {
    ready: Vec<usize>,
    changed: FixedBitSet,
    shrunk: FixedBitSet,
    sources: Vec<(usize, FixedBitSet)>,
    /// Classes whose coverage changed, needed or not: what databases add there changed.
    recovered: FixedBitSet,
    /// Changed classes whose coverage only grew, with no lock lifted.
    grown: FixedBitSet,
}

impl Recovery {
    fn new(classes: usize) -> Self {
        let none = FixedBitSet::with_capacity(classes);
        Recovery {
            ready: Vec::new(),
            changed: none.clone(),
            shrunk: none.clone(),
            sources: Vec::new(),
            recovered: none.clone(),
            grown: none,
        }
    }
}

/// Scratch reused across the classes a task touches: what the task's databases provide there
/// before and after it, and which of them are usable there now.
struct ClassScratch {
    moved: FactSet,
    provided: FactSet,
    now_usable: Vec<DbId>,
}

/// What applying one task changed.
pub(super) struct Change {
    /// Groups it made ready.
    pub(super) ready: Vec<usize>,
    /// Classes whose locks or live groups changed, or whose coverage changed by a fact a live
    /// group needs.
    pub(super) classes: FixedBitSet,
    /// Among them, those whose coverage shrank.
    pub(super) shrunk: FixedBitSet,
    /// Classes with the same coverage from changed sources (a usable database changed, or the
    /// usable set did), with the databases usable before or after.
    pub(super) sources: Vec<(usize, FixedBitSet)>,
}
