//! Coarsening: making a value less precise before the k-anonymity check (a municipality
//! becomes its regional office, a date its month, a number its band).

use crate::survey::answer::format_number;
use crate::survey::model::{ChoiceList, Coarsening};

/// The coarse value of an exported cell. Empty stays empty. A choice code without the
/// attribute, or a value that is not a date or number where one is expected, becomes
/// empty: an unexpected value is never published more precisely than the rule allows.
pub fn coarsen(
    value: &str,
    rule: &Coarsening,
    options: Option<&ChoiceList>,
    whole: bool,
) -> String {
    if value.is_empty() {
        return String::new();
    }
    match rule {
        Coarsening::Attribute(attribute) => options
            .and_then(|l| l.get(value))
            .and_then(|c| c.attributes.iter().find(|(a, _)| a == attribute))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        Coarsening::Month | Coarsening::Year => {
            // `YYYY-MM-DD` or an RFC 3339 time: the leading digits are the date.
            let len = if *rule == Coarsening::Month { 7 } else { 4 };
            let head = value.get(..len).unwrap_or_default();
            let shape_ok = head.len() == len
                && head
                    .char_indices()
                    .all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
            if shape_ok {
                head.to_string()
            } else {
                String::new()
            }
        }
        Coarsening::Bands(bounds) => match value.parse::<f64>() {
            Ok(n) if n.is_finite() => band(n, bounds, whole),
            _ => String::new(),
        },
    }
}

/// The label of the band `n` falls in: `<18`, `18-29` (whole numbers) or `18 to <30`,
/// and `60+` for the last.
pub fn band(n: f64, bounds: &[f64], whole: bool) -> String {
    let whole = whole && bounds.iter().all(|b| b.fract() == 0.0);
    match bounds.iter().rposition(|b| n >= *b) {
        None => format!("<{}", format_number(bounds[0])),
        Some(i) if i + 1 == bounds.len() => format!("{}+", format_number(bounds[i])),
        Some(i) if whole => format!(
            "{}-{}",
            format_number(bounds[i]),
            format_number(bounds[i + 1] - 1.0)
        ),
        Some(i) => format!(
            "{} to <{}",
            format_number(bounds[i]),
            format_number(bounds[i + 1])
        ),
    }
}

/// Every label the bands can produce, in order (for codebooks).
pub fn band_labels(bounds: &[f64], whole: bool) -> Vec<String> {
    let mut out = vec![band(bounds[0] - 1.0, bounds, whole)];
    out.extend(bounds.iter().map(|b| band(*b, bounds, whole)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::model::Choice;
    use crate::survey::text::Text;

    #[test]
    fn choices_become_their_attribute() {
        let list = ChoiceList {
            name: Some("m".into()),
            attributes: vec!["region".into()],
            options: vec![Choice {
                value: "kolin".into(),
                label: Text::plain("Kolín"),
                attributes: vec![("region".into(), "Hradec Králové".into())],
            }],
        };
        let rule = Coarsening::Attribute("region".into());
        assert_eq!(
            coarsen("kolin", &rule, Some(&list), false),
            "Hradec Králové"
        );
        assert_eq!(coarsen("unknown", &rule, Some(&list), false), "");
        assert_eq!(coarsen("", &rule, Some(&list), false), "");
    }

    #[test]
    fn dates_and_times_become_months_or_years() {
        assert_eq!(
            coarsen("2024-03-17", &Coarsening::Month, None, false),
            "2024-03"
        );
        assert_eq!(
            coarsen("2024-03-17T08:15:00Z", &Coarsening::Month, None, false),
            "2024-03"
        );
        assert_eq!(
            coarsen("2024-03-17", &Coarsening::Year, None, false),
            "2024"
        );
        assert_eq!(coarsen("17.3.2024", &Coarsening::Month, None, false), "");
    }

    #[test]
    fn numbers_fall_into_bands() {
        let rule = Coarsening::Bands(vec![18.0, 30.0, 45.0]);
        let labels: Vec<String> = ["3", "18", "29", "29.5", "30", "44", "45", "99", "x"]
            .iter()
            .map(|v| coarsen(v, &rule, None, true))
            .collect();
        assert_eq!(
            labels,
            [
                "<18", "18-29", "18-29", "18-29", "30-44", "30-44", "45+", "45+", ""
            ]
        );
        assert_eq!(
            coarsen("2.5", &Coarsening::Bands(vec![1.0, 2.5, 4.0]), None, false),
            "2.5 to <4"
        );
        assert_eq!(coarsen("1", &rule, None, false), "<18");
        assert_eq!(
            band_labels(&[18.0, 30.0, 45.0], true),
            ["<18", "18-29", "30-44", "45+"]
        );
    }
}
