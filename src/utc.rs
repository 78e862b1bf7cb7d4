//! UTC times as text, from ms since the epoch: the form the CRMs read and write.

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of ms since the epoch (as `Date.prototype.toISOString`).
pub fn iso_utc(ms: f64) -> String {
    let ms = ms as i64;
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// `2026-11-24T08:00:00Z`: the UTC minute of a time (seconds dropped).
pub fn utc_minute(ms: f64) -> String {
    format!("{}:00Z", &iso_utc(ms)[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_text() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(951_782_400_123.0), "2000-02-29T00:00:00.123Z");
        // 2026-11-24T08:00:59.999Z
        assert_eq!(utc_minute(1_795_507_259_999.0), "2026-11-24T08:00:00Z");
    }
}
