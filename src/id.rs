//! Typed dense ids and the vectors they index, so that a task id cannot index the databases.

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut, Index, IndexMut};

/// A dense index of one kind of workspace item.
pub trait Id: Copy + Eq + Ord + Hash + fmt::Debug {
    /// The id of the item at `index`.
    fn new(index: usize) -> Self;
    /// The item's position in its table.
    fn index(self) -> usize;
}

/// Defines `u32` newtype ids implementing [`Id`], one per `Name;` (doc comments go before it).
macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
        pub struct $name(u32);

        impl $name {
            /// The id of the item at `index`.
            #[inline]
            pub const fn new(index: usize) -> Self {
                // Tables are built by an `Interner`, which refuses more than 2^32 ids.
                debug_assert!(index <= u32::MAX as usize);
                $name(index as u32)
            }
            /// The item's position in its table.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl $crate::id::Id for $name {
            #[inline]
            fn new(index: usize) -> Self {
                $name::new(index)
            }
            #[inline]
            fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
pub(crate) use id_types;

/// A vector indexed by one kind of id; it derefs to a slice for iteration and length.
///
/// ```
/// use paperwork::workspace::{DbId, IdVec};
/// let dbs: IdVec<DbId, &str> = vec!["population", "land"].into();
/// assert_eq!(dbs[DbId::new(1)], "land");
/// ```
///
/// Another kind of id, or a bare position, does not index it:
///
/// ```compile_fail
/// use paperwork::workspace::{DbId, IdVec, TaskId};
/// let dbs: IdVec<DbId, &str> = vec!["population", "land"].into();
/// let _ = dbs[TaskId::new(1)];
/// ```
pub struct IdVec<I, T> {
    raw: Vec<T>,
    // `fn(I) -> I`: the id is only a key, so it affects neither auto traits nor variance.
    _id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    /// An empty vector.
    pub const fn new() -> Self {
        IdVec { raw: Vec::new(), _id: PhantomData }
    }
    /// An empty vector with room for `n` items.
    pub fn with_capacity(n: usize) -> Self {
        IdVec { raw: Vec::with_capacity(n), _id: PhantomData }
    }
    /// `n` copies of `value`.
    pub fn from_elem(value: T, n: usize) -> Self
    where
        T: Clone,
    {
        IdVec { raw: vec![value; n], _id: PhantomData }
    }
    /// Appends `value`, returning its id.
    pub fn push(&mut self, value: T) -> I {
        let id = I::new(self.raw.len());
        self.raw.push(value);
        id
    }
    /// The item of `id`, if in range.
    #[inline]
    pub fn get(&self, id: I) -> Option<&T> {
        self.raw.get(id.index())
    }
    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + Clone + use<I, T> {
        (0..self.raw.len()).map(I::new)
    }
    /// Every item with its id, in order.
    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator + Clone {
        self.raw.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }
    /// The items as a plain vector.
    pub fn into_raw(self) -> Vec<T> {
        self.raw
    }
}

impl<I, T> Deref for IdVec<I, T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        &self.raw
    }
}

impl<I, T> DerefMut for IdVec<I, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.raw
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;
    #[inline]
    fn index(&self, id: I) -> &T {
        &self.raw[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    #[inline]
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.raw[id.index()]
    }
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(raw: Vec<T>) -> Self {
        IdVec { raw, _id: PhantomData }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        IdVec { raw: iter.into_iter().collect(), _id: PhantomData }
    }
}

impl<I, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.into_iter()
    }
}

impl<I, T: Send> rayon::iter::FromParallelIterator<T> for IdVec<I, T> {
    fn from_par_iter<P: rayon::iter::IntoParallelIterator<Item = T>>(par_iter: P) -> Self {
        IdVec { raw: Vec::from_par_iter(par_iter), _id: PhantomData }
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.iter()
    }
}

impl<'a, I, T> IntoIterator for &'a mut IdVec<I, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.raw.iter_mut()
    }
}

// Written out rather than derived: derives would demand the traits of `I`, a mere key, and
// `Debug` would show the marker.
impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.raw.fmt(f)
    }
}

impl<I, T: Clone> Clone for IdVec<I, T> {
    fn clone(&self) -> Self {
        IdVec { raw: self.raw.clone(), _id: PhantomData }
    }
}

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec { raw: Vec::new(), _id: PhantomData }
    }
}

impl<I, T: PartialEq> PartialEq for IdVec<I, T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<I, T: Eq> Eq for IdVec<I, T> {}
