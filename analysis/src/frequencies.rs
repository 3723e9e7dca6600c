//! Frequency tables of categorical answers: single-choice questions ([`frequencies`]),
//! multiple-choice questions ([`multi_choice`]) and the Wilson score interval ([`wilson`])
//! used for their confidence intervals.
//!
//! Missing values: a `None` answer is missing; it is counted in `missing` and left out of
//! every percentage, which are percentages of the valid answers (single choice) or of the
//! respondents who answered the question (multiple choice). A category code outside
//! `0..categories` is not silently dropped: it is counted in `out_of_range` and also left
//! out of the percentages. Percentages and intervals are `None` when there is no valid
//! answer.
//!
//! Units: [`wilson`] returns proportions in `[0, 1]`; the tables report percentages in
//! `[0, 100]`, their intervals included (`ci95_percent`).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Wilson score interval for a binomial proportion `successes / n` at the two-sided
/// `confidence` level (e.g. `0.95`), as `(lower, upper)` proportions.
///
/// Same as `statsmodels.stats.proportion.proportion_confint(method="wilson")` and SciPy's
/// `binomtest(k, n).proportion_ci(method="wilson")`; the bounds are clamped to `[0, 1]`
/// and are exactly `0` when `successes == 0` and exactly `1` when `successes == n`.
///
/// `None` when `n == 0`, `successes > n` or `confidence` is not strictly between 0 and 1.
pub fn wilson(successes: u64, n: u64, confidence: f64) -> Option<(f64, f64)> {
    if n == 0 || successes > n || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let z = Normal::standard().inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let n_f = n as f64;
    let p = successes as f64 / n_f;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half_width = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denominator;
    let lower = if successes == 0 {
        0.0
    } else {
        (centre - half_width).max(0.0)
    };
    let upper = if successes == n {
        1.0
    } else {
        (centre + half_width).min(1.0)
    };
    Some((lower, upper))
}

/// Wilson 95 % interval in percent, or `None` when undefined.
pub(crate) fn wilson95_percent(successes: u64, n: u64) -> Option<(f64, f64)> {
    wilson(successes, n, 0.95).map(|(low, high)| (100.0 * low, 100.0 * high))
}

/// `100 * part / whole`, `None` when `whole == 0`.
pub(crate) fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// One category of a [`FrequencyTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryFrequency {
    /// Category code (index into the question's options).
    pub code: usize,
    pub count: u64,
    /// Percent of the valid answers; `None` when there are none.
    pub percent: Option<f64>,
    /// Wilson 95 % interval of that percent, in percent.
    pub ci95_percent: Option<(f64, f64)>,
}

/// Frequency table of a single-choice question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrequencyTable {
    /// Answers with a code in `0..categories`: the base of every percentage.
    pub n_valid: u64,
    /// `None` answers.
    pub missing: u64,
    /// Answers with a code `>= categories` (data errors), excluded like missing ones.
    pub out_of_range: u64,
    /// One entry per category, in code order, empty categories included.
    pub categories: Vec<CategoryFrequency>,
}

/// Counts each category code in `0..categories`; see the module docs for missing values.
pub fn frequencies(codes: &[Option<usize>], categories: usize) -> FrequencyTable {
    let mut counts = vec![0u64; categories];
    let mut missing = 0;
    let mut out_of_range = 0;
    for code in codes {
        match code {
            None => missing += 1,
            Some(c) => match counts.get_mut(*c) {
                Some(count) => *count += 1,
                None => out_of_range += 1,
            },
        }
    }
    let n_valid = counts.iter().sum();
    FrequencyTable {
        n_valid,
        missing,
        out_of_range,
        categories: category_rows(&counts, n_valid),
    }
}

/// Table rows for already counted categories (shared with the Likert summary).
pub(crate) fn category_rows(counts: &[u64], n_valid: u64) -> Vec<CategoryFrequency> {
    counts
        .iter()
        .enumerate()
        .map(|(code, &count)| CategoryFrequency {
            code,
            count,
            percent: percent(count, n_valid),
            ci95_percent: wilson95_percent(count, n_valid),
        })
        .collect()
}

/// One option of a [`MultiChoiceTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionFrequency {
    /// Option index.
    pub option: usize,
    /// Respondents who ticked this option.
    pub count: u64,
    /// Percent of the respondents who answered the question (these add up to more than
    /// 100 when people tick several options).
    pub percent_of_respondents: Option<f64>,
    /// Percent of all ticks given to any option (these add up to 100).
    pub percent_of_responses: Option<f64>,
    /// Wilson 95 % interval of `percent_of_respondents`, in percent.
    pub ci95_percent: Option<(f64, f64)>,
}

/// Table of a multiple-choice ("tick all that apply") question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiChoiceTable {
    /// Respondents who answered the question (`Some`, even with nothing ticked).
    pub respondents: u64,
    /// Respondents with a `None` answer.
    pub missing: u64,
    /// Ticks over all options and respondents: the base of `percent_of_responses`.
    pub total_responses: u64,
    pub options: Vec<OptionFrequency>,
}

/// Tabulates a multiple-choice question with `options` options.
///
/// Each answer is `Some(ticks)` where `ticks[i]` says whether option `i` was ticked (any
/// slice-like type: `Vec<bool>`, `[bool; N]`, `&[bool]`), or `None` when the respondent did
/// not answer. `Some` with nothing ticked counts as a respondent who ticked nothing (e.g.
/// saw the question and chose none): map "no tick" to `None` first if your form cannot tell
/// the two apart. Ticks beyond `options` are ignored; missing trailing entries are "not
/// ticked".
pub fn multi_choice<T: AsRef<[bool]>>(
    selections: &[Option<T>],
    options: usize,
) -> MultiChoiceTable {
    let mut counts = vec![0u64; options];
    let mut respondents = 0;
    let mut missing = 0;
    for selection in selections {
        let Some(ticks) = selection else {
            missing += 1;
            continue;
        };
        respondents += 1;
        for (count, &ticked) in counts.iter_mut().zip(ticks.as_ref()) {
            *count += u64::from(ticked);
        }
    }
    let total_responses = counts.iter().sum();
    let options = counts
        .iter()
        .enumerate()
        .map(|(option, &count)| OptionFrequency {
            option,
            count,
            percent_of_respondents: percent(count, respondents),
            percent_of_responses: percent(count, total_responses),
            ci95_percent: wilson95_percent(count, respondents),
        })
        .collect();
    MultiChoiceTable {
        respondents,
        missing,
        total_responses,
        options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_rejects_undefined_inputs() {
        assert_eq!(wilson(0, 0, 0.95), None);
        assert_eq!(wilson(3, 2, 0.95), None);
        assert_eq!(wilson(1, 2, 1.0), None);
        assert_eq!(wilson(1, 2, 0.0), None);
        assert_eq!(wilson(1, 2, f64::NAN), None);
    }

    #[test]
    fn wilson_bounds_are_exact_at_the_edges() {
        let (low, high) = wilson(0, 10, 0.95).unwrap();
        assert_eq!(low, 0.0);
        assert!(high > 0.0 && high < 1.0);
        let (low, high) = wilson(10, 10, 0.95).unwrap();
        assert_eq!(high, 1.0);
        assert!(low > 0.0 && low < 1.0);
    }

    #[test]
    fn frequencies_separate_missing_and_out_of_range() {
        let table = frequencies(&[Some(0), None, Some(7), Some(1), Some(1)], 2);
        assert_eq!(
            (table.n_valid, table.missing, table.out_of_range),
            (3, 1, 1)
        );
        assert_eq!(table.categories[1].count, 2);
        assert_eq!(table.categories[1].percent, Some(200.0 / 3.0));
    }

    #[test]
    fn all_missing_gives_no_percentages() {
        let table = frequencies(&[None, None], 3);
        assert_eq!(table.categories.len(), 3);
        assert!(table.categories.iter().all(|c| c.percent.is_none()));
        assert!(table.categories.iter().all(|c| c.ci95_percent.is_none()));
    }

    #[test]
    fn multi_choice_handles_short_long_and_empty_tick_lists() {
        let answers: Vec<Option<&[bool]>> = vec![
            Some(&[true]),
            Some(&[false, true, true, true]),
            Some(&[]),
            None,
        ];
        let table = multi_choice(&answers, 3);
        assert_eq!((table.respondents, table.missing), (3, 1));
        assert_eq!(table.total_responses, 3);
        let counts: Vec<u64> = table.options.iter().map(|o| o.count).collect();
        assert_eq!(counts, [1, 1, 1]);
        assert_eq!(table.options[0].percent_of_respondents, Some(100.0 / 3.0));
    }
}
