//! A procedure's cases: their names, their shares, and the dossiers each case gets of the
//! procedure's `annual_volume`, apportioned so that the volumes add up exactly.

use super::at_span;
use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::workspace::Case;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The cases with their shares and volumes. Stated shares are in (0, 1] and sum to at most 1;
/// the cases without one split what is left equally. Two cases of one procedure may not share
/// a name: a component sheet keys cases by name, and would merge them.
pub(super) fn cases(file: &str, r: &model::Procedure, annual_volume: u64, diags: &mut Vec<Diagnostic>) -> Vec<Case> {
    repeated_names(file, r, diags);
    let mut stated_sum = 0.0;
    let mut unstated = 0usize;
    for case in &r.cases {
        match &case.value.share {
            Some(s) if !(s.value > 0.0 && s.value <= 1.0) => diags.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`share` of case `{}` of procedure `{}` is {}; it must be above 0 and at most 1", case.value.name, r.id.value, s.value),
                    Some(at_span(file, s)),
                )
                .help("write the fraction of the procedure's dossiers in this case, e.g. 0.25; leave it out to share what the other cases leave"),
            ),
            Some(s) => stated_sum += s.value,
            None => unstated += 1,
        }
    }
    if Case::shares_exceed_one(stated_sum) {
        diags.push(
            Diagnostic::new(
                Code::OutOfRange,
                format!(
                    "the `share`s of the cases of procedure `{}` add up to {}, more than 1",
                    r.id.value,
                    Case::readable_share(stated_sum)
                ),
                Some(super::at(file, &r.id)),
            )
            .help("an applicant is in exactly one case: the shares are fractions of one whole"),
        );
    }
    let rest = if unstated > 0 { ((1.0 - stated_sum) / unstated as f64).max(0.0) } else { 0.0 };
    let stated: Vec<Option<f64>> =
        r.cases.iter().map(|case| case.value.share.as_ref().filter(|s| s.value > 0.0 && s.value <= 1.0).map(|s| s.value)).collect();
    let shares: Vec<f64> = stated.iter().map(|s| s.unwrap_or(rest)).collect();
    // A case without a share takes what the others leave: together they cover every dossier.
    let volumes = apportion(annual_volume, &shares, unstated > 0);
    r.cases
        .iter()
        .zip(stated)
        .zip(shares.iter().zip(volumes))
        .map(|((case, stated), (&share, volume))| Case { name: case.value.name.clone(), share, stated: stated.is_some(), volume })
        .collect()
}

/// Two cases of one procedure with the same name, compared trimmed and in Unicode NFC (a name
/// typed decomposed is the same name): each repetition is an error at the later case.
fn repeated_names(file: &str, r: &model::Procedure, diags: &mut Vec<Diagnostic>) {
    if r.cases.len() < 2 {
        return;
    }
    let mut first: HashMap<String, usize> = HashMap::with_capacity(r.cases.len());
    for (k, case) in r.cases.iter().enumerate() {
        let key: String = case.value.name.trim().nfc().collect();
        let Some(&j) = first.get(&key) else {
            first.insert(key, k);
            continue;
        };
        diags.push(
            Diagnostic::new(
                Code::DuplicateId,
                format!("case `{}` of procedure `{}` is listed twice", case.value.name.trim(), r.id.value),
                Some(at_span(file, case)),
            )
            .related(at_span(file, &r.cases[j]), "first listed here")
            .help("give each case of a procedure its own name, or merge the two into one case (a component sheet keys cases by name)"),
        );
    }
}

/// Bits after the binary point of a share when cases are apportioned. A share of at least
/// 2^-38 (about 3.6e-12) is exact at this precision; a smaller one is truncated to a multiple
/// of 2^-90, which moves its case's quota by less than 2^-56 of a dossier. A volume (at most
/// [`super::procedures::MAX_VOLUME`], under 2^34) times a share fits in 124 bits.
const SHARE_BITS: u32 = 90;

/// The dossiers of each case: `annual_volume` apportioned by `shares` with the largest-remainder
/// method, so that the volumes add up exactly. Each case's quota is `annual_volume × share`
/// (`annual_volume × share ÷ Σ shares` when the shares add up to more than 1, as a tolerance
/// lets them); it gets the whole part of its quota, and the units left over go one each to the
/// cases with the largest fractional parts, the earlier case first on a tie. The units shared
/// out are `annual_volume` when `whole` (the shares cover every dossier), else the sum of the
/// quotas rounded half away from zero; never more than `annual_volume`. Computed on integers:
/// every share is a fixed-point number of [`SHARE_BITS`] bits, all quotas over one denominator.
fn apportion(annual_volume: u64, shares: &[f64], whole: bool) -> Vec<u64> {
    debug_assert!(annual_volume <= super::procedures::MAX_VOLUME);
    let one: u128 = 1 << SHARE_BITS;
    // Scaling by a power of two is exact; `floor` truncates only the bits below 2^-90.
    let fixed: Vec<u128> = shares.iter().map(|&s| if s >= 1.0 { one } else { (s.max(0.0) * one as f64).floor() as u128 }).collect();
    let sum: u128 = fixed.iter().sum();
    // Shares over 1 in all are scaled down to 1: the quotas then add up to `annual_volume`.
    let denominator = sum.max(one);
    let v = annual_volume as u128;
    let quotas: Vec<(u128, u128)> = fixed.iter().map(|&f| ((v * f) / denominator, (v * f) % denominator)).collect();
    let floors: u128 = quotas.iter().map(|q| q.0).sum();
    let total = if whole || sum >= one {
        v
    } else {
        // Σ remainders ÷ denominator, rounded half away from zero; summed without overflow.
        let (mut units, mut part) = (0u128, 0u128);
        for &(_, r) in &quotas {
            part += r;
            if part >= denominator {
                part -= denominator;
                units += 1;
            }
        }
        floors + units + u128::from(2 * part >= denominator)
    };
    let left = total.min(v).saturating_sub(floors) as usize;
    let mut order: Vec<usize> = (0..quotas.len()).collect();
    // Stable: equal remainders keep the earlier case first.
    order.sort_by(|&a, &b| quotas[b].1.cmp(&quotas[a].1));
    let mut volumes: Vec<u64> = quotas.iter().map(|q| q.0 as u64).collect();
    for &k in order.iter().take(left) {
        volumes[k] += 1;
    }
    volumes
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn halves_go_to_the_earlier_case_and_the_volumes_add_up() {
        // 3 × 0.5 = 1.5 each: one unit left, to the first case; not 2 + 2.
        assert_eq!(apportion(3, &[0.5, 0.5], false), vec![2, 1]);
        // 250.5, 375.75, 375.75: two units left, to the largest fractions.
        assert_eq!(apportion(1002, &[0.25, 0.375, 0.375], true), vec![250, 376, 376]);
    }

    #[test]
    fn a_billion_and_one_dossiers_are_shared_out_exactly() {
        // Quotas 333,333,333.633… (twice) and 333,333,333.733…: rounded each, 1,000,000,002;
        // two units left over the whole parts, to the .733 and the first .633.
        let v = apportion(1_000_000_001, &[0.3333333333, 0.3333333333, 0.3333333334], false);
        assert_eq!(v, vec![333_333_334, 333_333_333, 333_333_334]);
        assert_eq!(v.iter().sum::<u64>(), 1_000_000_001);
    }

    #[test]
    fn shares_short_of_one_share_out_their_rounded_sum() {
        // 10 × 0.26 = 2.6 and 10 × 0.33 = 3.3: 5.9 rounds to 6, the unit to the .6.
        assert_eq!(apportion(10, &[0.26, 0.33], false), vec![3, 3]);
        // 1.25 + 1.25 = 2.5 rounds half away from zero to 3; the unit to the earlier case.
        assert_eq!(apportion(5, &[0.25, 0.25], false), vec![2, 1]);
        assert_eq!(apportion(1, &[0.5], false), vec![1]);
        assert_eq!(apportion(1, &[0.25], false), vec![0]);
    }

    #[test]
    fn shares_over_one_never_share_out_more_than_the_volume() {
        // Accepted within the tolerance: 1.0000000008 in all, each scaled to a half.
        let v = apportion(10_000_000_000, &[0.5000000004, 0.5000000004], false);
        assert_eq!(v, vec![5_000_000_000, 5_000_000_000]);
        // Refused (E023), but still built without overflow: 0.7 + 0.6 of 10.
        let v = apportion(10, &[0.7, 0.6], false);
        assert_eq!(v.iter().sum::<u64>(), 10);
    }

    #[test]
    fn thirds_computed_in_binary_cover_the_whole_volume() {
        let third = 1.0 / 3.0;
        let v = apportion(10_000_000_000, &[third, third, third], true);
        assert_eq!(v, vec![3_333_333_334, 3_333_333_333, 3_333_333_333]);
        assert_eq!(apportion(0, &[third, third, third], true), vec![0, 0, 0]);
        assert_eq!(apportion(7, &[], true), Vec::<u64>::new());
    }

    #[test]
    fn every_volume_is_its_quota_rounded_up_or_down_and_they_add_up() {
        // A fixed pseudo-random sweep: shares in hundredths, the last one taking the rest.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..2_000 {
            let volume = next(1_000_000);
            let mut shares: Vec<f64> = (0..1 + next(5)).map(|_| (1 + next(40)) as f64 / 100.0).collect();
            let whole = next(2) == 0;
            if whole {
                shares.push((1.0 - shares.iter().sum::<f64>()).max(0.0));
            }
            let v = apportion(volume, &shares, whole);
            let total: u64 = v.iter().sum();
            // Shares over 1 in all (refused, but still built) share out the volume.
            let exact: f64 = shares.iter().sum::<f64>().min(1.0) * volume as f64;
            assert!(total <= volume, "{volume} {shares:?} {v:?}");
            if whole {
                assert_eq!(total, volume, "{shares:?}");
            } else {
                assert!((total as f64 - exact).abs() <= 0.5 + 1e-6, "{volume} {shares:?} {v:?}");
            }
            for (k, s) in shares.iter().enumerate() {
                let quota = volume as f64 * s / shares.iter().sum::<f64>().max(1.0);
                assert!((v[k] as f64 - quota).abs() < 1.0 + 1e-6, "{volume} {shares:?} {v:?}");
            }
        }
    }

    #[test]
    fn the_largest_volume_and_tiny_shares_do_not_overflow() {
        let v = apportion(super::super::procedures::MAX_VOLUME, &[1.0, 1.0, 1e-300, f64::MIN_POSITIVE], false);
        assert_eq!(v.iter().sum::<u64>(), super::super::procedures::MAX_VOLUME);
        assert_eq!(&v[2..], &[0, 0]);
    }
}
