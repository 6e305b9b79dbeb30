//! What a bundle would gain if applied now: what it touches, the classes where it may make
//! groups ready, and its gain class by class, kept between rounds and worked out again only
//! where a step changed something.

use super::bundle::Bundle;
use super::engine::Engine;
use crate::engine::facts::Facts;
#[cfg(debug_assertions)]
use crate::engine::lookup::covered;
use crate::engine::lookup::{DbState, State};
use crate::workspace::*;
use fixedbitset::FixedBitSet;

/// What a bundle's effects leave, applied in its order from a state: its databases after it,
/// the document locks after it, and the documents it unlocks.
#[derive(Clone)]
pub(super) struct Fold {
    /// Only the bundle's databases and the locks change: copying the whole state for each of
    /// thousands of evaluations cost a quarter of them. Sorted by id.
    after_dbs: Vec<(DbId, DbState)>,
    after_locked: FixedBitSet,
    /// Sorted.
    docs: Vec<DocId>,
}

impl Fold {
    /// What `tasks` leave from `state`.
    pub(super) fn of(ws: &Workspace, state: &State, tasks: &[TaskId]) -> Fold {
        let mut fold = Fold { after_dbs: Vec::new(), after_locked: state.locked.clone(), docs: Vec::new() };
        for &t in tasks {
            fold.apply(ws, state, t);
        }
        fold
    }

    /// Applies task `t` after the others, from `state` for the databases none of them changes.
    pub(super) fn apply(&mut self, ws: &Workspace, state: &State, t: TaskId) {
        for e in &ws.tasks[t].effects {
            match e {
                Effect::Unlock(doc) => {
                    if let Err(i) = self.docs.binary_search(doc) {
                        self.docs.insert(i, *doc);
                    }
                    self.after_locked.set(doc.index(), false);
                }
                other => {
                    let d = other.database().expect("every effect but an unlock changes a database");
                    let i = self.after_dbs.binary_search_by_key(&d, |(x, _)| *x).unwrap_or_else(|i| {
                        self.after_dbs.insert(i, (d, state.dbs[d].clone()));
                        i
                    });
                    self.after_dbs[i].1.apply(other);
                }
            }
        }
    }
}

impl Engine<'_> {
    /// What a bundle touches: the classes its effects may change, the classes where it lifts a
    /// lock, the state after it, and the databases it changes.
    pub(super) fn touched(&self, state: &State, tasks: &[TaskId]) -> Touched {
        self.touched_by(state, Fold::of(self.ws, state, tasks))
    }

    /// [`Engine::touched`] for a bundle that leaves `fold` from `state`.
    pub(super) fn touched_by(&self, state: &State, fold: Fold) -> Touched {
        let Fold { after_dbs, after_locked, docs } = fold;
        let n = self.classes.rep.len();
        let mut classes = FixedBitSet::with_capacity(n);
        for (d, after) in &after_dbs {
            for db in [&state.dbs[*d], after] {
                if db.status == DatabaseStatus::Operational && self.reach.quality_ok(&db.quality) {
                    for sel in &db.serves {
                        self.classes.matching(self.reach, sel, &mut classes);
                    }
                }
            }
        }
        let mut unlocked = FixedBitSet::with_capacity(n);
        let mut lifted = Vec::new();
        for d in &docs {
            for &g in self.groups_by_doc.get(d).into_iter().flatten() {
                let grp = &self.groups[g];
                unlocked.insert(grp.class);
                if grp.live && grp.docs.iter().all(|&x| state.locked.contains(x.index())) {
                    lifted.push((grp.class, g));
                }
            }
        }
        classes.union_with(&unlocked);
        lifted.sort_unstable();
        lifted.dedup();
        let mut lifted_in = FixedBitSet::with_capacity(n);
        lifted_in.extend(lifted.iter().map(|&(c, _)| c));
        Touched { classes, unlocked, lifted, lifted_in, after_dbs, after_locked, docs }
    }

    /// What every evaluation of a bundle that leaves `fold` starts from: what it touches, and
    /// each touched database usable after it with the classes it then serves.
    pub(super) fn prepare(&self, fold: Fold) -> Prepared {
        let touched = self.touched_by(&self.state, fold);
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
        touched_db.extend(touched.dbs().map(DbId::index));
        Prepared { touched, serving, touched_db }
    }

    /// The classes where a touched database usable after the bundle brings a new fact, or a
    /// lock is lifted. Elsewhere coverage can only stay or shrink, so nothing can become ready.
    pub(super) fn hot(&self, p: &Prepared) -> FixedBitSet {
        let mut hot = p.touched.unlocked.clone();
        for Serving { db: d, reached, provides } in &p.serving {
            if *provides == self.provides[*d] {
                let mut adds = reached.clone();
                adds.intersect_with(&self.adds[*d]);
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
    pub(super) fn is_hot(&self, p: &Prepared, c: usize) -> bool {
        p.touched.unlocked.contains(c) || p.serving.iter().any(|s| s.reached.contains(c) && !s.provides.is_subset(&self.classes.covered[c]))
    }

    /// What the bundle makes ready in hot class `c` (`cov` and `fresh` are scratch sets).
    pub(super) fn class_gain(&self, p: &Prepared, c: usize, cov: &mut Facts, fresh: &mut Facts) -> Gain {
        let locked = &p.touched.after_locked;
        let covered = &self.classes.covered[c];
        let mut gain = Gain::default();
        // Untouched databases keep their state: start from them (all of the current coverage
        // when no touched database is usable here now), add the touched ones usable after.
        if self.classes.usable[c].iter().any(|&d| p.touched_db.contains(d.index())) {
            cov.clear();
            for &d in &self.classes.usable[c] {
                if !p.touched_db.contains(d.index()) {
                    cov.union_with(&self.provides[d]);
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
                debug_assert_eq!(key.index(), f);
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

    /// [`Engine::evaluate_folded`] from the bundle's tasks alone: what debug builds check
    /// kept and extended evaluations against.
    #[cfg(debug_assertions)]
    pub(super) fn evaluate(&self, bundle: Bundle) -> Evaluation {
        let fold = Fold::of(self.ws, &self.state, &bundle.to_vec());
        self.evaluate_folded(bundle, fold)
    }

    /// The gain of applying `bundle`, which leaves `fold` from the current state, now, with the
    /// classes where it may make groups ready (`hot`), every class it reaches, and its gain per
    /// hot class.
    ///
    /// This runs for every candidate bundle whose gain a step may have changed, over every
    /// class it makes hot: it works on per-database class sets and two scratch fact sets,
    /// never per-class selector matching or allocation.
    pub(super) fn evaluate_folded(&self, bundle: Bundle, fold: Fold) -> Evaluation {
        let p = self.prepare(fold);
        let hot = self.hot(&p);
        let (mut cov, mut fresh) = (Facts::empty(self.ws.facts.len()), Facts::empty(self.ws.facts.len()));
        let by_class: Vec<(usize, Gain)> =
            hot.ones().map(|c| (c, self.class_gain(&p, c, &mut cov, &mut fresh))).filter(|(_, g)| *g != Gain::default()).collect();
        Evaluation { gain: Gain::total(&by_class), by_class, hot, bundle, prepared: p }
    }

    /// [`Engine::evaluate_folded`] again after steps that changed none of the bundle's databases, for
    /// the classes in `dirty` (see [`plan`] for which): the others keep their gains. What the
    /// bundle touches is kept from before, its locks brought up to date by
    /// [`Engine::refresh_locks`].
    pub(super) fn reevaluate(&self, mut e: Evaluation, dirty: &FixedBitSet) -> Evaluation {
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
    pub(super) fn refresh_locks(&self, p: &mut Prepared) {
        let locked = &self.state.locked;
        p.touched.after_locked.intersect_with(locked);
        p.touched.lifted.retain(|&(_, g)| self.groups[g].docs.iter().all(|&d| locked.contains(d.index())));
    }

    /// The gain of [`Engine::evaluate_folded`] the slow way: every class and group, from scratch.
    /// Debug builds (and so every test) check each evaluation against it.
    #[cfg(debug_assertions)]
    pub(super) fn evaluate_naive(&self, tasks: &[TaskId]) -> Gain {
        let mut after = self.state.clone();
        for &t in tasks {
            for e in &self.ws.tasks[t].effects {
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
}

/// A bundle ready for evaluation.
pub(super) struct Prepared {
    pub(super) touched: Touched,
    pub(super) serving: Vec<Serving>,
    pub(super) touched_db: FixedBitSet,
}

/// A database a bundle changes that is usable after it.
pub(super) struct Serving {
    pub(super) db: DbId,
    /// The classes it serves after the bundle.
    pub(super) reached: FixedBitSet,
    /// What it provides after the bundle.
    pub(super) provides: Facts,
}

/// What a bundle touches.
pub(super) struct Touched {
    pub(super) classes: FixedBitSet,
    pub(super) unlocked: FixedBitSet,
    /// Live groups (class, group) fully locked before whose lock the bundle lifts, sorted: a
    /// class finds its own by binary search.
    pub(super) lifted: Vec<(usize, usize)>,
    /// The classes of `lifted` (or more, once [`Engine::refresh_locks`] dropped some).
    pub(super) lifted_in: FixedBitSet,
    /// The bundle's databases after it, by id.
    pub(super) after_dbs: Vec<(DbId, DbState)>,
    /// Document locks after it.
    pub(super) after_locked: FixedBitSet,
    /// The documents it unlocks, sorted.
    pub(super) docs: Vec<DocId>,
}

impl Touched {
    /// The databases the bundle changes, by id.
    pub(super) fn dbs(&self) -> impl Iterator<Item = DbId> + '_ {
        self.after_dbs.iter().map(|(d, _)| *d)
    }

    /// What the bundle leaves from the current state, for a bundle that extends it. Kept
    /// evaluations are current: their databases have not changed since (a step that changes
    /// one drops the evaluation), and their locks are brought up to date
    /// ([`Engine::refresh_locks`]).
    pub(super) fn fold(&self) -> Fold {
        Fold { after_dbs: self.after_dbs.clone(), after_locked: self.after_locked.clone(), docs: self.docs.clone() }
    }
}

/// A cached evaluation: gain in all and by class, hot classes, the bundle, and what it
/// touches.
pub(super) struct Evaluation {
    pub(super) gain: Gain,
    /// Non-zero gains by class, sorted by class.
    pub(super) by_class: Vec<(usize, Gain)>,
    pub(super) hot: FixedBitSet,
    pub(super) bundle: Bundle,
    /// Kept while none of the bundle's databases changes: preparing a bundle again for each
    /// of its re-evaluations took a fifth of them.
    pub(super) prepared: Prepared,
}

impl Evaluation {
    /// Classes the bundle reaches.
    pub(super) fn reached(&self) -> &FixedBitSet {
        &self.prepared.touched.classes
    }

    /// Databases the bundle changes.
    pub(super) fn dbs(&self) -> &FixedBitSet {
        &self.prepared.touched_db
    }

    /// Debug builds check every re-evaluation, and every evaluation of a bundle that extends
    /// another, against a fresh one: the same gains, bundle and state after it, and hot
    /// classes that may include more (a class whose only new facts became covered by facts no
    /// group needs stays hot, with no gain, until something there changes).
    #[cfg(debug_assertions)]
    pub(super) fn check_against(&self, fresh: &Evaluation) {
        let same = |e: &Evaluation| {
            let t = &e.prepared.touched;
            let after = (t.after_dbs.clone(), t.after_locked.clone(), t.docs.clone(), t.lifted.clone());
            (e.gain, e.by_class.clone(), e.reached().clone(), e.dbs().clone(), e.bundle.to_vec(), after)
        };
        assert_eq!(same(self), same(fresh), "re-evaluation of bundle {:?}", self.bundle.to_vec());
        assert!(fresh.hot.is_subset(&self.hot), "hot classes of bundle {:?} lost", self.bundle.to_vec());
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Gain {
    pub(super) submissions: u64,
    pub(super) components: u64,
}

impl Gain {
    /// The sum of gains by class.
    pub(super) fn total(by_class: &[(usize, Gain)]) -> Gain {
        by_class
            .iter()
            .fold(Gain::default(), |a, (_, g)| Gain { submissions: a.submissions + g.submissions, components: a.components + g.components })
    }
}
