//! The figures of the Standard Cost Model: documents and submissions before, once today's
//! lookups are used, and after the roadmap, and the hours and money saved. One procedure's,
//! a group's and a catalog's are the same type, added the same way.

use serde::{Deserialize, Serialize};

/// Documents and submissions per year at each stage, and what is saved per year.
///
/// Counts add with saturation everywhere: a sum never wraps around. Hours and money add in the
/// order given, which callers keep fixed so that floating-point results are identical.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Components asked for today.
    pub documents_before: u64,
    /// Components still asked for once lookups are used.
    pub documents_after_now: u64,
    /// Components still asked for after the roadmap.
    pub documents_after_roadmap: u64,
    /// Document submissions per year today.
    pub submissions_before: u64,
    /// Submissions per year once lookups are used.
    pub submissions_after_now: u64,
    /// Submissions per year after the roadmap.
    pub submissions_after_roadmap: u64,
    /// Applicant hours saved per year now.
    pub hours_saved_now: f64,
    /// Money saved per year now.
    pub money_saved_now: f64,
    /// Hours saved per year after the roadmap (includes now).
    pub hours_saved_after_roadmap: f64,
    /// Money saved per year after the roadmap (includes now).
    pub money_saved_after_roadmap: f64,
}

impl Figures {
    /// Figures from their stages: documents and submissions per year at each stage (before,
    /// after now, after the roadmap), and the hours and money saved now and after the roadmap.
    pub fn of_stages(documents: [u64; 3], submissions: [u64; 3], hours_saved: [f64; 2], money_saved: [f64; 2]) -> Self {
        let [before, now, roadmap] = documents;
        let [s_before, s_now, s_roadmap] = submissions;
        Figures {
            documents_before: before,
            documents_after_now: now,
            documents_after_roadmap: roadmap,
            submissions_before: s_before,
            submissions_after_now: s_now,
            submissions_after_roadmap: s_roadmap,
            hours_saved_now: hours_saved[0],
            money_saved_now: money_saved[0],
            hours_saved_after_roadmap: hours_saved[1],
            money_saved_after_roadmap: money_saved[1],
        }
    }

    /// Documents before, after now and after the roadmap.
    pub fn documents(&self) -> [u64; 3] {
        [self.documents_before, self.documents_after_now, self.documents_after_roadmap]
    }

    /// Submissions per year before, after now and after the roadmap.
    pub fn submissions(&self) -> [u64; 3] {
        [self.submissions_before, self.submissions_after_now, self.submissions_after_roadmap]
    }
}

impl std::ops::AddAssign<&Figures> for Figures {
    fn add_assign(&mut self, o: &Figures) {
        self.documents_before = self.documents_before.saturating_add(o.documents_before);
        self.documents_after_now = self.documents_after_now.saturating_add(o.documents_after_now);
        self.documents_after_roadmap = self.documents_after_roadmap.saturating_add(o.documents_after_roadmap);
        self.submissions_before = self.submissions_before.saturating_add(o.submissions_before);
        self.submissions_after_now = self.submissions_after_now.saturating_add(o.submissions_after_now);
        self.submissions_after_roadmap = self.submissions_after_roadmap.saturating_add(o.submissions_after_roadmap);
        self.hours_saved_now += o.hours_saved_now;
        self.money_saved_now += o.money_saved_now;
        self.hours_saved_after_roadmap += o.hours_saved_after_roadmap;
        self.money_saved_after_roadmap += o.money_saved_after_roadmap;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        let v = u64::MAX / 2 + 1;
        let big = Figures::of_stages([3, 2, 1], [u64::MAX, u64::MAX, v], [1.0, 2.0], [10.0, 20.0]);
        assert_eq!(big.submissions(), [u64::MAX, u64::MAX, u64::MAX / 2 + 1]);
        let mut sum = Figures::default();
        sum += &big;
        sum += &big;
        assert_eq!(sum.documents(), [6, 4, 2]);
        assert_eq!(sum.submissions(), [u64::MAX; 3]);
        assert_eq!((sum.hours_saved_now, sum.money_saved_after_roadmap), (2.0, 40.0));
    }
}
