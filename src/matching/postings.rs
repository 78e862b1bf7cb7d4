//! Build-time helpers of the index: postings lists, run lengths and the
//! measured dependence between first and last names.

use super::features::Features;
use super::hash::key;

/// log2( P(first and last agree) / (P(first agrees) · P(last agrees)) ) over
/// record pairs, from exact counts; clamped to [0, 4] bits.
pub(crate) fn name_dependence(feats: &[Features]) -> f64 {
    let n = feats.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mut firsts = Vec::new();
    let mut lasts = Vec::new();
    let mut pairs = Vec::new();
    for f in feats {
        if let (Some(g), Some(s)) = (f.name.first(), f.name.surnames.last()) {
            firsts.push(key(1, &[g.as_bytes()]));
            lasts.push(key(2, &[s.as_bytes()]));
            pairs.push(key(3, &[g.as_bytes(), s.as_bytes()]));
        }
    }
    let agree = |mut v: Vec<u64>| {
        v.sort_unstable();
        let pairs: f64 = run_lengths(&v)
            .iter()
            .map(|(_, c)| f64::from(*c) * f64::from(c.saturating_sub(1)))
            .sum();
        pairs / (n * (n - 1.0))
    };
    let (pf, pl, pb) = (agree(firsts), agree(lasts), agree(pairs));
    if pf <= 0.0 || pl <= 0.0 || pb <= 0.0 {
        return 0.0;
    }
    (pb / (pf * pl)).log2().clamp(0.0, 4.0)
}

pub(crate) fn postings(pairs: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let mut keys = Vec::new();
    let mut offsets = Vec::new();
    let postings: Vec<u32> = pairs.iter().map(|p| p.1).collect();
    for (i, (k, _)) in pairs.iter().enumerate() {
        if keys.last() != Some(k) {
            keys.push(*k);
            offsets.push(i as u32);
        }
    }
    offsets.push(pairs.len() as u32);
    (keys, offsets, postings)
}

pub(crate) fn run_lengths<T: PartialEq + Copy>(sorted: &[T]) -> Vec<(T, u32)> {
    let mut out: Vec<(T, u32)> = Vec::new();
    for &k in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_group_sorted_pairs() {
        let (keys, offsets, posts) = postings(&[(1, 7), (1, 8), (5, 9)]);
        assert_eq!(
            (keys, offsets, posts),
            (vec![1, 5], vec![0, 2, 3], vec![7, 8, 9])
        );
        assert_eq!(run_lengths(&[2, 2, 3]), vec![(2, 2), (3, 1)]);
    }

    #[test]
    fn independent_names_have_no_dependence() {
        assert_eq!(name_dependence(&[]), 0.0);
    }
}
