//! The state of the data landscape and the question "which databases can a procedure use?".
//!
//! [`State`] is the databases and locks at one moment (as of `as_of`, or after some roadmap
//! steps). [`Reach`] answers, on integers only, which procedures a database serves.

use crate::workspace::*;
use fixedbitset::FixedBitSet;

/// One database's state at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct DbState {
    /// Lifecycle.
    pub status: DatabaseStatus,
    /// Facts held.
    pub provides: FactSet,
    /// Procedures served.
    pub serves: Vec<Selector>,
    /// Quality criteria.
    pub quality: QualityScores,
}

impl DbState {
    /// Applies one effect on this database (an unlock is no database's).
    pub fn apply(&mut self, e: &Effect) {
        match e {
            Effect::Status(_, s) => self.status = *s,
            Effect::Serves(_, sels) => {
                for s in sels {
                    if !self.serves.contains(s) {
                        self.serves.push(s.clone());
                    }
                }
            }
            Effect::Provides(_, facts) => {
                for &f in facts {
                    self.provides.insert(f.index());
                }
            }
            Effect::Quality(_, q) => {
                for (have, raised) in self.quality.iter_mut().zip(q) {
                    if let Some(v) = raised {
                        *have = have.max(*v);
                    }
                }
            }
            Effect::Unlock(_) => {}
        }
    }
}

/// The databases and document locks at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// By [`DbId`].
    pub dbs: IdVec<DbId, DbState>,
    /// Documents whose lock holds.
    pub locked: FixedBitSet,
}

impl State {
    /// The state as of `as_of`, as the databases file describes it.
    pub fn initial(ws: &Workspace) -> Self {
        let dbs = ws
            .databases
            .iter()
            .map(|d| DbState { status: d.status, provides: d.provides.clone(), serves: d.serves.clone(), quality: d.quality })
            .collect();
        let mut locked = FixedBitSet::with_capacity(ws.documents.len());
        // An unmapped document counts as locked for good: an alternative nobody has mapped can
        // never stand in for a lookup, so a component is unlocked only when one of its mapped
        // alternatives is (one with no mapped alternative is kept as unmapped before locks count).
        for (i, d) in ws.documents.iter().enumerate() {
            if d.lock.is_some() || d.kind == DocumentKind::Unknown {
                locked.insert(i);
            }
        }
        State { dbs, locked }
    }

    /// Applies one effect.
    pub fn apply(&mut self, e: &Effect) {
        match e {
            Effect::Unlock(doc) => self.locked.set(doc.index(), false),
            other => {
                if let Some(d) = other.database() {
                    self.dbs[d].apply(other);
                }
            }
        }
    }

    /// Applies every effect of a task.
    pub fn apply_task(&mut self, t: &Task) {
        for e in &t.effects {
            self.apply(e);
        }
    }

    /// Whether a component's documents are locked (all alternatives locked).
    pub fn is_locked(&self, c: &Component) -> bool {
        c.documents.iter().all(|&d| self.locked.contains(d.index()))
    }
}

/// Precomputed facts about procedures that selectors test, resolved as of `as_of`.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Each procedure's agency, taken to its successor.
    pub proc_agency: IdVec<ProcId, AgencyId>,
    /// Each agency's successor.
    pub agency_successor: IdVec<AgencyId, AgencyId>,
    /// Minimum quality per criterion.
    pub min_quality: QualityScores,
}

impl Reach {
    /// Resolves mergers as of the workspace's `as_of`.
    pub fn new(ws: &Workspace) -> Self {
        let as_of = ws.policy.as_of;
        let agency_successor: IdVec<AgencyId, AgencyId> = ws.successors(as_of);
        let proc_agency = ws.procedures.iter().map(|p| agency_successor[p.agency]).collect();
        Reach { proc_agency, agency_successor, min_quality: ws.policy.min_quality }
    }

    /// Whether selector `s` matches procedure `p`.
    pub fn matches(&self, ws: &Workspace, s: &Selector, p: ProcId) -> bool {
        let proc = &ws.procedures[p];
        match s {
            Selector::All => true,
            Selector::Level(l) => proc.levels.contains(*l),
            Selector::Agency(a) => self.agency_successor[*a] == self.proc_agency[p],
            Selector::Sector(s) => proc.sector == Some(*s),
            Selector::Procedure(id) => *id == p,
        }
    }

    /// Whether a database's quality passes the policy's minimum on every criterion.
    pub fn quality_ok(&self, q: &QualityScores) -> bool {
        (0..4).all(|i| q[i] >= self.min_quality[i])
    }

    /// Whether database state `db` can be looked up for procedure `p`.
    pub fn usable(&self, ws: &Workspace, db: &DbState, p: ProcId) -> bool {
        db.status == DatabaseStatus::Operational && self.quality_ok(&db.quality) && db.serves.iter().any(|s| self.matches(ws, s, p))
    }

    /// The databases usable for `p` in `state`, in id order.
    pub fn usable_dbs(&self, ws: &Workspace, state: &State, p: ProcId) -> Vec<DbId> {
        state.dbs.iter_enumerated().filter(|(_, db)| self.usable(ws, db, p)).map(|(d, _)| d).collect()
    }
}

/// The union of what the given databases provide.
pub fn covered(ws: &Workspace, state: &State, dbs: &[DbId]) -> FactSet {
    let mut set = ws.fact_set();
    for &d in dbs {
        set.union_with(&state.dbs[d].provides);
    }
    set
}

/// The fewest databases covering the needed facts `left` (used up on the way), chosen
/// greedily: most uncovered facts first, ties by id. Returns them sorted by id.
pub fn choose_lookups(ws: &Workspace, state: &State, usable: &[DbId], mut left: FactSet) -> ShortList<DbId> {
    let mut chosen = ShortList::new();
    while !left.is_clear() {
        let best = usable
            .iter()
            .map(|&d| (state.dbs[d].provides.intersection(&left).count(), d))
            .filter(|&(n, _)| n > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| ws.databases[b.1].id.cmp(&ws.databases[a.1].id)));
        let Some((_, d)) = best else { break };
        left.difference_with(&state.dbs[d].provides);
        chosen.push(d);
    }
    chosen.sort_by(|a, b| ws.databases[*a].id.cmp(&ws.databases[*b].id));
    chosen
}
