//! ISO dates for the timeline: parsing `YYYY-MM-DD` to a day number, back to a civil date
//! (Howard Hinnant's public-domain algorithms), and short labels in the report language.

use super::Locale;

/// The caller's `label`, else `day` formatted for `loc` ("5. 3." / "5 Mar", with the
/// year when it differs from `prev_year`, which is updated), else `raw`.
pub(crate) fn label_for(
    label: Option<&str>,
    day: Option<i64>,
    raw: &str,
    prev_year: &mut Option<i64>,
    loc: Locale,
) -> String {
    if let Some(l) = label {
        return l.to_owned();
    }
    let Some(day) = day else {
        return raw.to_owned();
    };
    let (y, m, d) = civil_from_days(day);
    let show_year = *prev_year != Some(y);
    *prev_year = Some(y);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match (loc, show_year) {
        (Locale::Cs, false) => format!("{d}.\u{a0}{m}."),
        (Locale::Cs, true) => format!("{d}.\u{a0}{m}.\u{a0}{y}"),
        (Locale::En, false) => format!("{d}\u{a0}{}", MONTHS[(m - 1) as usize]),
        (Locale::En, true) => format!("{d}\u{a0}{}\u{a0}{y}", MONTHS[(m - 1) as usize]),
    }
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date (time part ignored), if valid.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim().get(..10)?;
    let b = s.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > dim[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(
            parse_date("2025-03-05T10:00:00Z").map(civil_from_days),
            Some((2025, 3, 5))
        );
        assert_eq!(parse_date("5. 3. 2025"), None);
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
