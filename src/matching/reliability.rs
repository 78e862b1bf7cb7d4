//! Reliability table: is a shown confidence of ~90 % right nine times in ten?
//! Groups (confidence, was it right) pairs into equal-width bins and reports each
//! bin's observed precision, plus the expected calibration error (the count-weighted
//! mean gap between confidence and precision).

/// One bin of predicted confidence in `[low, high)` (the last bin includes 1.0).
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub count: usize,
    pub right: usize,
    /// Sum of the confidences in the bin (for the mean).
    pub confidence_sum: f64,
}

impl Bin {
    pub fn precision(&self) -> f64 {
        self.right as f64 / self.count.max(1) as f64
    }
    pub fn mean_confidence(&self) -> f64 {
        self.confidence_sum / self.count.max(1) as f64
    }
}

/// `bins` equal-width bins over [0, 1] of `(confidence, right)` pairs.
pub fn bins(pairs: &[(f64, bool)], bins: usize) -> Vec<Bin> {
    let n = bins.max(1);
    let mut out: Vec<Bin> = (0..n)
        .map(|i| Bin {
            low: i as f64 / n as f64,
            high: (i + 1) as f64 / n as f64,
            count: 0,
            right: 0,
            confidence_sum: 0.0,
        })
        .collect();
    for &(c, right) in pairs {
        let c = if c.is_finite() {
            c.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let b = &mut out[((c * n as f64) as usize).min(n - 1)];
        b.count += 1;
        b.right += usize::from(right);
        b.confidence_sum += c;
    }
    out
}

/// Count-weighted mean |mean confidence − precision| over the bins.
pub fn calibration_error(bins: &[Bin]) -> f64 {
    let total: usize = bins.iter().map(|b| b.count).sum();
    let gap: f64 = bins
        .iter()
        .map(|b| b.count as f64 * (b.mean_confidence() - b.precision()).abs())
        .sum();
    gap / total.max(1) as f64
}

/// The table as text, one line a non-empty bin.
pub fn table(bins: &[Bin]) -> String {
    let mut s = String::from("confidence   mean  precision  count\n");
    for b in bins.iter().filter(|b| b.count > 0) {
        s.push_str(&format!(
            "{:.1}-{:.1}     {:.3}  {:.3}      {}\n",
            b.low,
            b.high,
            b.mean_confidence(),
            b.precision(),
            b.count
        ));
    }
    s.push_str(&format!(
        "expected calibration error {:.3}\n",
        calibration_error(bins)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_count_and_measure_precision() {
        let b = bins(
            &[(0.95, true), (0.92, false), (1.0, true), (0.05, false)],
            10,
        );
        assert_eq!((b[9].count, b[9].right), (3, 2));
        assert_eq!((b[0].count, b[0].right), (1, 0));
        assert!((b[9].precision() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_calibrated_set_has_no_error_and_an_overconfident_one_has() {
        let fair = bins(&[(0.5, true), (0.5, false)], 10);
        assert!(calibration_error(&fair) < 1e-9);
        let sure = bins(&[(0.99, false), (0.99, false)], 10);
        assert!(calibration_error(&sure) > 0.9);
        assert!(table(&sure).contains("0.9-1.0"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let b = bins(&[(f64::NAN, true), (-3.0, false), (7.0, true)], 0);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].count, 3);
    }
}
