//! The workspace's one `policy`, with defaults for what it leaves out.

use super::{check_non_negative, parse_date, quality_scores};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Located};
use crate::workspace::Policy;
use chrono::NaiveDate;

/// The policy as written (or the defaults), `as_of` overridden by the command line.
pub(super) fn validate(policy: Option<&(String, Located<model::Policy>)>, as_of: Option<NaiveDate>, diags: &mut Vec<Diagnostic>) -> Policy {
    let mut pol = Policy::default();
    if let Some((file, p)) = policy {
        let p = &p.value;
        if let Some(d) = &p.as_of
            && let Some(date) = parse_date(file, d, "`policy.as_of`", diags)
        {
            pol.as_of = date;
        }
        if let Some(q) = &p.min_quality {
            let s = quality_scores(file, q, "`policy.min_quality`", diags);
            for (min, stated) in pol.min_quality.iter_mut().zip(s) {
                *min = stated.unwrap_or(0.0);
            }
        }
        if let Some(v) = &p.hourly_value {
            pol.hourly_value = check_non_negative(file, v, "`policy.hourly_value`", 1e9, diags).unwrap_or(0.0);
        }
        if let Some(c) = &p.currency {
            pol.currency = c.clone();
        }
        if let Some(m) = &p.phase_months {
            phase_months(file, m, &mut pol, diags);
        }
        if let Some(c) = &p.capacity_per_phase {
            capacity(file, c, &mut pol, diags);
        }
    }
    if let Some(d) = as_of {
        pol.as_of = d;
    }
    pol
}

/// `phase_months`, between 1 and 120.
fn phase_months(file: &str, m: &Located<i64>, pol: &mut Policy, diags: &mut Vec<Diagnostic>) {
    if (1..=120).contains(&m.value) {
        pol.phase_months = m.value as u32;
    } else {
        diags.push(
            Diagnostic::new(
                Code::OutOfRange,
                format!("`policy.phase_months` is {}, outside 1..=120", m.value),
                Some(super::at_span(file, m)),
            )
            .help("a roadmap phase lasts between 1 and 120 months"),
        );
    }
}

/// `capacity_per_phase`, a positive effort.
fn capacity(file: &str, c: &Located<f64>, pol: &mut Policy, diags: &mut Vec<Diagnostic>) {
    match check_non_negative(file, c, "`policy.capacity_per_phase`", 1e9, diags) {
        Some(v) if v > 0.0 => pol.capacity_per_phase = Some(v),
        Some(_) => diags.push(
            Diagnostic::new(
                Code::OutOfRange,
                "`policy.capacity_per_phase` is 0: no task could ever be scheduled",
                Some(super::at_span(file, c)),
            )
            .help("remove the key for unlimited capacity, or give a positive effort"),
        ),
        None => {}
    }
}
