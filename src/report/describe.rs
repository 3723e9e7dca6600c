//! The descriptive sections of a report (frequencies, multiple choices, scales, numbers,
//! typed text), for all respondents or for the group a filter chooses. Every count and
//! statistic is decided by [`crate::disclosure`]; a group's distributions are cut from
//! the table of all the filter's groups, so that the filtered views of every group
//! together show no more than one audited table.

use analysis::frequencies::wilson;
use analysis::likert::likert;
use analysis::suppress::{Cell, PercentCell};
use analysis::table::{Category, Table, Values};

use super::dataset::Dataset;
use super::model::*;
use super::plan::Plan;
use super::variables::{Kind, Spec, resolve};
use crate::disclosure::{self, Distribution, Statistic, facts};

/// Which respondents a report describes.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    All,
    /// The respondents whose filter variable has code `group` (`codes`: every
    /// respondent's code of the filter variable, `groups`: its number of categories).
    Group {
        codes: &'a [Option<usize>],
        groups: usize,
        group: usize,
    },
}

impl Scope<'_> {
    /// The published distribution of `codes` (one per respondent, `k` categories), with
    /// whether each statistic may be published beside it. Within a group, statistics are
    /// published only where the group's distribution is shown complete.
    pub(super) fn distribution(
        &self,
        codes: &[Option<usize>],
        k: usize,
        t: u64,
        statistics: impl FnOnce(&[u64], u64) -> Vec<Statistic>,
    ) -> (Distribution, Vec<bool>) {
        match *self {
            Scope::All => {
                let mut counts = vec![0u64; k + 1];
                for code in codes {
                    counts[code.map_or(k, |c| c.min(k))] += 1;
                }
                let missing = counts.pop().unwrap_or(0);
                let stats = statistics(&counts, counts.iter().sum());
                disclosure::distribution(&counts, missing, t, stats)
            }
            Scope::Group {
                codes: groups_of,
                groups,
                group,
            } => {
                // Rows: the filter's groups and, last, those without an answer to it;
                // columns: the categories and, last, no answer.
                let mut joint = vec![vec![0u64; k + 1]; groups + 1];
                for (code, g) in codes.iter().zip(groups_of) {
                    joint[g.map_or(groups, |g| g.min(groups))][code.map_or(k, |c| c.min(k))] += 1;
                }
                let row = &joint[group];
                let answered: u64 = row[..k].iter().sum();
                let wanted = statistics(&row[..k], answered).len();
                let d = disclosure::distribution_in_group(&joint, group, t);
                let complete = d.complete();
                (d, vec![complete; wanted])
            }
        }
    }

    /// The rows the scope keeps.
    pub fn keeps(&self, row: usize) -> bool {
        match self {
            Scope::All => true,
            Scope::Group { codes, group, .. } => codes[row] == Some(*group),
        }
    }
}

fn frequency_rows(categories: &[Category], d: &Distribution, counts: &[u64]) -> Vec<FrequencyRow> {
    let n = match d.n {
        Cell::Count(n) => Some(n),
        Cell::Small { .. } | Cell::Hidden => None,
    };
    categories
        .iter()
        .zip(&d.cells)
        .zip(&d.percents)
        .zip(counts)
        .map(|(((c, cell), percent), &count)| FrequencyRow {
            code: c.code.clone(),
            label: c.label.clone(),
            count: *cell,
            percent: *percent,
            ci95: match (cell, n) {
                (Cell::Count(_), Some(n)) => {
                    wilson(count, n, 0.95).map(|(low, high)| (100.0 * low, 100.0 * high))
                }
                _ => None,
            },
        })
        .collect()
}

fn counts_of(codes: &[Option<usize>], k: usize, scope: &Scope<'_>) -> Vec<u64> {
    let mut counts = vec![0u64; k];
    for (i, code) in codes.iter().enumerate() {
        if let Some(c) = code.filter(|&c| c < k && scope.keeps(i)) {
            counts[c] += 1;
        }
    }
    counts
}

/// "Answered" as a category, for questions whose answers are not counted per category
/// (numbers, typed text).
fn answered_codes(answered: impl Iterator<Item = bool>) -> Vec<Option<usize>> {
    answered.map(|a| a.then_some(0)).collect()
}

pub(super) fn describe_sections(
    plan: &Plan,
    data: &Dataset<'_>,
    scope: Scope<'_>,
    t: u64,
) -> Vec<Section> {
    let table = &data.table;
    let wanted: Vec<&Spec> = match &plan.describe {
        None => data.specs.iter().collect(),
        Some(names) => names.iter().flat_map(|n| resolve(&data.specs, n)).collect(),
    };
    let mut out = Vec::new();
    let mut done_questions: Vec<&str> = Vec::new();
    for spec in wanted {
        let Some(var) = table.get(&spec.name) else {
            continue;
        };
        match (&spec.kind, &var.values) {
            (Kind::Numeric, v) => {
                let scores: Vec<Option<f64>> = (0..table.rows())
                    .map(|i| v.score(i).filter(|_| scope.keeps(i)))
                    .collect();
                let answered = answered_codes((0..table.rows()).map(|i| v.score(i).is_some()));
                let (d, _) = scope.distribution(&answered, 1, t, |_, _| Vec::new());
                let small = !matches!(d.n, Cell::Count(n) if n >= t);
                let mut stats = disclosure::descriptives(&scores, t);
                if small {
                    stats = disclosure::descriptives(&[], t);
                }
                out.push(Section::Numeric {
                    name: spec.name.clone(),
                    label: spec.label.clone(),
                    n: d.n,
                    missing: d.missing,
                    stats: Summary::from(stats),
                });
            }
            (Kind::Text, Values::Text(v)) => {
                let answered = answered_codes(v.iter().map(Option::is_some));
                let (d, _) = scope.distribution(&answered, 1, t, |_, _| Vec::new());
                out.push(Section::Text {
                    name: spec.name.clone(),
                    label: spec.label.clone(),
                    answered: d.n,
                });
            }
            (Kind::Ordered, _) => {
                // A matrix is one section with all its rows.
                if done_questions.contains(&spec.question.as_str()) {
                    continue;
                }
                done_questions.push(&spec.question);
                let rows: Vec<&Spec> = data
                    .specs
                    .iter()
                    .filter(|s| s.question == spec.question && s.kind == Kind::Ordered)
                    .collect();
                out.push(scale_section(data, table, &spec.question, &rows, scope, t));
            }
            (
                Kind::Nominal,
                Values::Categorical {
                    categories, codes, ..
                },
            ) => {
                let (d, _) = scope.distribution(codes, categories.len(), t, |_, _| Vec::new());
                let counts = counts_of(codes, categories.len(), &scope);
                out.push(Section::Frequencies {
                    name: spec.name.clone(),
                    label: spec.label.clone(),
                    n: d.n,
                    missing: d.missing,
                    rows: frequency_rows(categories, &d, &counts),
                });
            }
            (Kind::Multi, Values::MultiChoice { options, selected }) => {
                out.push(multi_section(spec, options, selected, scope, t));
            }
            _ => {}
        }
    }
    out
}

/// A multiple choice: each option is its own ticked / not ticked distribution (options
/// are not exclusive); the respondents' count is withheld when any option's audit
/// withholds the count without an answer, and the shares of all ticks only appear when
/// every option's count does.
fn multi_section(
    spec: &Spec,
    options: &[Category],
    selected: &[Option<Vec<usize>>],
    scope: Scope<'_>,
    t: u64,
) -> Section {
    let mut rows = Vec::with_capacity(options.len());
    let mut missing = Cell::Count(0);
    let mut respondents = Cell::Count(0);
    let mut ticks = vec![0u64; options.len()];
    for (j, option) in options.iter().enumerate() {
        let codes: Vec<Option<usize>> = selected
            .iter()
            .map(|s| s.as_ref().map(|picked| usize::from(!picked.contains(&j))))
            .collect();
        let (d, _) = scope.distribution(&codes, 2, t, |_, _| Vec::new());
        let counts = counts_of(&codes, 2, &scope);
        ticks[j] = counts[0];
        if j == 0 || d.missing.is_suppressed() {
            missing = d.missing;
        }
        if j == 0 || d.n.is_suppressed() {
            respondents = d.n;
        }
        rows.extend(frequency_rows(
            std::slice::from_ref(option),
            &d,
            &counts[..1],
        ));
    }
    let all_shown = rows.iter().all(|r| !r.count.is_suppressed());
    let total_ticks: u64 = ticks.iter().sum();
    let percent_of_responses = ticks
        .iter()
        .map(|&n| {
            (total_ticks > 0).then(|| {
                if all_shown {
                    PercentCell::Percent(100.0 * n as f64 / total_ticks as f64)
                } else {
                    PercentCell::Suppressed
                }
            })
        })
        .collect();
    Section::MultiChoice {
        name: spec.name.clone(),
        label: spec.label.clone(),
        respondents,
        missing,
        rows,
        percent_of_responses,
    }
}

fn scale_section(
    data: &Dataset<'_>,
    table: &Table,
    question: &str,
    rows: &[&Spec],
    scope: Scope<'_>,
    t: u64,
) -> Section {
    let scale: Vec<Category> = rows
        .first()
        .map(|s| s.categories.clone())
        .unwrap_or_default();
    let items = rows
        .iter()
        .filter_map(|spec| {
            let Values::Categorical {
                codes, categories, ..
            } = &table.get(&spec.name)?.values
            else {
                return None;
            };
            let k = categories.len();
            let kept: Vec<Option<usize>> = codes
                .iter()
                .enumerate()
                .map(|(i, c)| c.filter(|_| scope.keeps(i)))
                .collect();
            let s = likert(&kept, k);
            let scores: Vec<f64> = (1..=k).map(|x| x as f64).collect();
            // Published exactly (JSON carries every digit): a statistic that would pin a
            // withheld count is withheld.
            const EXACT: f64 = 1e-9;
            let (d, keep) = scope.distribution(codes, k, t, |_, n| {
                let mut stats = Vec::new();
                if let Some(m) = s.mean {
                    stats.push(facts::mean(&scores, n, m, EXACT));
                    if let Some(sd) = s.sd {
                        stats.push(facts::sd(&scores, n, m, sd, EXACT));
                    }
                }
                if let Some(median) = s.median {
                    stats.push(facts::median(&scores, n, median));
                }
                if let Some(top2) = s.top2_percent {
                    stats.push(facts::share(&[k - 2, k - 1], n, top2, EXACT));
                }
                stats
            });
            let mut keep = keep.into_iter();
            let mut next = |present: bool| present && keep.next().unwrap_or(false);
            let mean_ok = next(s.mean.is_some());
            let sd_ok = next(s.mean.is_some() && s.sd.is_some());
            let median_ok = next(s.median.is_some());
            let top2_ok = next(s.top2_percent.is_some());
            let counts: Vec<u64> = s.distribution.iter().map(|d| d.count).collect();
            Some(ScaleItem {
                name: spec.name.clone(),
                label: spec.label.clone(),
                n: d.n,
                missing: d.missing,
                distribution: frequency_rows(categories, &d, &counts),
                mean: s.mean.filter(|_| mean_ok),
                sd: s.sd.filter(|_| sd_ok),
                median: s.median.filter(|_| median_ok),
                top2_percent: s.top2_percent.filter(|_| top2_ok),
            })
        })
        .collect();
    let label = data.survey.question(question).map_or_else(
        || question.to_string(),
        |q| q.text.get(data.lang).to_string(),
    );
    Section::Scale {
        name: question.to_string(),
        label,
        scale: scale.into_iter().map(|c| c.label).collect(),
        items,
    }
}
