//! Fact sets with their words inline, for the roadmap engine's hot path and the classes of
//! half a million components.
//!
//! Planning 1,000 tasks on a national catalog tests millions of fact sets against each other:
//! each class's coverage, the facts its waiting entries miss, the facts a bundle brings. A
//! `FixedBitSet` keeps its words on the heap, and in profiles reaching its header and then its
//! words were two cache misses in most of those tests. Here the words of a workspace of up to
//! 256 facts sit in the set itself (larger workspaces spill to the heap and work the same).
//! Each component's class holds two of them (the facts it needs and those it misses): inline,
//! classifying a national catalog makes a million fewer allocations.
//! Every set of one engine has the same number of words, one bit per fact of the workspace.

use fixedbitset::FixedBitSet;
use smallvec::SmallVec;

/// A set of facts by id.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Facts(SmallVec<[u64; 4]>);

/// The words of a `FixedBitSet` (its blocks are `usize`, 64 bits on every target we build).
fn blocks(s: &FixedBitSet) -> impl Iterator<Item = u64> + '_ {
    s.as_slice().iter().map(|&b| b as u64)
}

impl Facts {
    /// The empty set of a workspace of `facts` facts.
    pub fn empty(facts: usize) -> Facts {
        Facts(SmallVec::from_elem(0, facts.div_ceil(64)))
    }

    /// The facts of `s`, in a set of a workspace of `facts` facts.
    pub fn of(s: &FixedBitSet, facts: usize) -> Facts {
        let mut f = Facts::empty(facts);
        f.union_set(s);
        f
    }

    /// Empties the set.
    pub fn clear(&mut self) {
        self.0.iter_mut().for_each(|w| *w = 0);
    }

    /// Makes this set hold the facts of `other`.
    pub fn copy_from(&mut self, other: &Facts) {
        self.0.copy_from_slice(&other.0);
    }

    /// Adds fact `f`.
    pub fn insert(&mut self, f: usize) {
        self.0[f / 64] |= 1 << (f % 64);
    }

    /// Adds the facts of `other`.
    pub fn union_with(&mut self, other: &Facts) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    /// Adds the facts of `s`.
    fn union_set(&mut self, s: &FixedBitSet) {
        self.0.iter_mut().zip(blocks(s)).for_each(|(a, b)| *a |= b);
    }

    /// Removes the facts of `other`.
    pub fn difference_with(&mut self, other: &Facts) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= !b);
    }

    /// Keeps only the facts of `other`.
    pub fn intersect_with(&mut self, other: &Facts) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    /// Whether every fact of this set is in `other`.
    pub fn is_subset(&self, other: &Facts) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }

    /// Whether this set and `s` share no fact.
    pub fn is_disjoint_set(&self, s: &FixedBitSet) -> bool {
        self.0.iter().zip(blocks(s)).all(|(a, b)| a & b == 0)
    }

    /// Whether the set holds no fact.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// How many facts the set holds.
    pub fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The same facts as a `FixedBitSet` of a workspace of `facts` facts.
    pub fn to_set(&self, facts: usize) -> FixedBitSet {
        let mut s = FixedBitSet::with_capacity(facts);
        s.extend(self.ones());
        s
    }

    /// How many facts of the set are smaller than `f`.
    pub fn rank(&self, f: usize) -> usize {
        let (whole, bit) = (f / 64, f % 64);
        let below: u32 = self.0[..whole].iter().map(|w| w.count_ones()).sum();
        let part = if bit == 0 { 0 } else { (self.0[whole] & ((1u64 << bit) - 1)).count_ones() };
        (below + part) as usize
    }

    /// The smallest fact, if any.
    pub fn minimum(&self) -> Option<usize> {
        self.0.iter().enumerate().find(|(_, w)| **w != 0).map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
    }

    /// The facts in increasing order.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(n: usize, facts: &[usize]) -> FixedBitSet {
        let mut s = FixedBitSet::with_capacity(n);
        s.extend(facts.iter().copied());
        s
    }

    /// Every operation against `FixedBitSet`'s own, on sets that span one word, several words
    /// and more than the inline four.
    #[test]
    fn operations_agree_with_fixedbitset() {
        for n in [3, 64, 130, 214, 300] {
            let (a, b) = (set(n, &[0, 2, n / 2, n - 1]), set(n, &[2, n / 2, n - 2]));
            let (fa, fb) = (Facts::of(&a, n), Facts::of(&b, n));
            assert_eq!(fa.ones().collect::<Vec<_>>(), a.ones().collect::<Vec<_>>(), "{n}");
            assert_eq!(fa.minimum(), a.minimum());
            assert_eq!((fa.count(), fa.is_empty()), (a.count_ones(..), a.is_clear()));
            assert_eq!(fa.to_set(n), a);
            assert_eq!(fa.is_subset(&fb), a.is_subset(&b));
            assert_eq!(fa.is_disjoint_set(&b), a.is_disjoint(&b));
            for f in 0..n {
                assert_eq!(fa.rank(f), a.count_ones(..f), "rank of {f} in {n}");
            }
            let mut u = fa.clone();
            u.union_with(&fb);
            assert_eq!(u, Facts::of(&a.union(&b).collect(), n));
            let mut d = fa.clone();
            d.difference_with(&fb);
            assert_eq!(d.ones().collect::<Vec<_>>(), a.difference(&b).collect::<Vec<_>>());
            let mut i = fa.clone();
            i.intersect_with(&fb);
            assert_eq!(i.ones().collect::<Vec<_>>(), a.intersection(&b).collect::<Vec<_>>());
            assert!(i.minimum().is_some() && i.is_subset(&fa) && i.is_subset(&fb));
            let mut s = Facts::empty(n);
            assert!(s.minimum().is_none() && s.is_empty() && s.count() == 0);
            assert_eq!(s.to_set(n), FixedBitSet::with_capacity(n));
            s.insert(n - 1);
            assert_eq!(s.ones().collect::<Vec<_>>(), vec![n - 1]);
            s.copy_from(&fb);
            assert_eq!(s, fb);
            s.clear();
            assert_eq!(s, Facts::empty(n));
        }
    }
}
