//! Running a plan: the table of analysis variables in, a [`Report`] of published values
//! out. Every statistic comes from the `analysis` crate; this module picks the variables,
//! pairs pre/post responses, applies small-cell suppression and the multiple-testing
//! correction (per family: the crosstabs, the comparisons, each pre/post block).

use analysis::crosstab::crosstab;
use analysis::descriptives::describe;
use analysis::frequencies::{frequencies, multi_choice};
use analysis::groups::{kruskal_wallis, mann_whitney_u, one_way_anova, welch_t_test};
use analysis::likert::likert;
use analysis::multiple::{benjamini_hochberg, holm};
use analysis::reliability::cronbach_alpha;
use analysis::suppress::{PercentCell, suppress_count, suppress_table};
use analysis::table::{Category, Table, Values};

use super::model::*;
use super::plan::{Correction, Plan};
use super::variables::{Kind, Spec, resolve};
use crate::store::Response;
use crate::survey::{Lang, Survey};

/// A survey with its complete responses, its variables and their table.
pub struct Dataset<'a> {
    pub survey: &'a Survey,
    pub responses: &'a [Response],
    pub specs: Vec<Spec>,
    pub table: Table,
    pub lang: Lang,
}

impl<'a> Dataset<'a> {
    pub fn new(survey: &'a Survey, responses: &'a [Response], lang: Lang) -> Dataset<'a> {
        Dataset::with(survey, responses, lang, |_| true)
    }

    /// Only the variables `keep` accepts (the "before" survey of a pre/post block needs
    /// only its items).
    pub fn with(
        survey: &'a Survey,
        responses: &'a [Response],
        lang: Lang,
        keep: impl Fn(&Spec) -> bool,
    ) -> Dataset<'a> {
        let mut columns = std::collections::BTreeSet::new();
        for r in responses {
            if let Some(inv) = &r.invitation {
                columns.extend(inv.keys().cloned());
            }
        }
        let columns: Vec<String> = columns.into_iter().collect();
        let mut specs = super::variables::specs(survey, lang, &columns);
        specs.retain(keep);
        let table = super::dataset::table(survey, &specs, responses);
        Dataset {
            survey,
            responses,
            specs,
            table,
            lang,
        }
    }

    pub(super) fn values(&self, name: &str) -> Option<&Values> {
        self.table.get(name).map(|v| &v.values)
    }

    pub(super) fn label(&self, name: &str) -> String {
        self.table
            .get(name)
            .map_or_else(|| name.to_string(), |v| v.label.clone())
    }
}

/// Compute the report of `plan` on `data` (the survey after), with `before` holding the
/// surveys its pre/post blocks compare with. `filter` (variable, code) keeps the rows
/// where the variable has that code; an unknown one keeps every row and the report's
/// `filter` stays empty.
pub fn compute(
    plan: &Plan,
    data: &Dataset<'_>,
    before: &[Dataset<'_>],
    lang: Lang,
    filter: Option<(&str, &str)>,
) -> Report {
    let (rows, filter_text) = match filter.and_then(|(name, code)| filter_rows(data, name, code)) {
        Some((rows, text)) => (Some(rows), Some(text)),
        None => (None, None),
    };
    let filtered;
    let table = match &rows {
        Some(keep) => {
            filtered = data.table.filter(|i| keep[i]);
            &filtered
        }
        None => &data.table,
    };
    let t = plan.min_cell;
    let mut sections = describe_sections(plan, data, table, t);
    let crosstabs: Vec<Section> = plan
        .crosstabs
        .iter()
        .filter_map(|c| crosstab_section(table, &c.rows, &c.columns, t))
        .collect();
    sections.extend(adjust_family(plan.correction, crosstabs));
    let comparisons: Vec<Section> = plan
        .comparisons
        .iter()
        .filter_map(|c| comparison_section(table, &c.variable, &c.groups, t))
        .collect();
    sections.extend(adjust_family(plan.correction, comparisons));
    for s in &plan.scales {
        let items: Vec<&Values> = s
            .items
            .iter()
            .filter_map(|n| table.get(n).map(|v| &v.values))
            .collect();
        let rows_of_items: Vec<Vec<Option<f64>>> = (0..table.rows())
            .map(|i| items.iter().map(|v| v.score(i)).collect())
            .collect();
        let scores: Vec<Option<f64>> = rows_of_items
            .iter()
            .map(|r| {
                let mut sum = 0.0;
                for x in r {
                    sum += (*x)?;
                }
                Some(sum / r.len() as f64)
            })
            .collect();
        sections.push(Section::Reliability {
            id: s.id.clone(),
            title: s
                .title
                .as_ref()
                .map_or_else(|| s.id.clone(), |t| t.get(lang).to_string()),
            item_labels: s.items.iter().map(|n| data.label(n)).collect(),
            reliability: cronbach_alpha(&rows_of_items),
            score: describe(&scores),
        });
    }
    for p in &plan.prepost {
        if let Some(b) = before.iter().find(|b| b.survey.id == p.before) {
            sections.push(super::prepost::section(
                plan,
                p,
                b,
                data,
                rows.as_deref(),
                lang,
            ));
        }
    }
    Report {
        survey: data.survey.id.clone(),
        title: plan
            .title
            .as_ref()
            .unwrap_or(&data.survey.title)
            .get(lang)
            .to_string(),
        language: lang.code().to_string(),
        plan: plan.file.as_ref().map(|f| f.display().to_string()),
        responses: table.rows() as u64,
        filter: filter_text,
        min_cell: t,
        correction: plan.correction,
        timeline: timeline(data, rows.as_deref(), t),
        sections,
    }
}

/// The rows whose `name` is `code`, with a description; `None` for an unknown filter.
fn filter_rows(data: &Dataset<'_>, name: &str, code: &str) -> Option<(Vec<bool>, String)> {
    let var = data.table.get(name)?;
    let Values::Categorical {
        categories,
        codes,
        ordered: false,
    } = &var.values
    else {
        return None;
    };
    let wanted = categories.iter().position(|c| c.code == code)?;
    let keep = codes.iter().map(|c| *c == Some(wanted)).collect();
    Some((
        keep,
        format!("{} = {}", var.label, categories[wanted].label),
    ))
}

fn timeline(data: &Dataset<'_>, rows: Option<&[bool]>, t: u64) -> Timeline {
    let mut days = std::collections::BTreeMap::<jiff::civil::Date, u64>::new();
    for (i, r) in data.responses.iter().enumerate() {
        if rows.is_some_and(|keep| !keep[i]) {
            continue;
        }
        let Some(at) = r.submitted_at else { continue };
        let Ok(ts) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
            continue;
        };
        *days
            .entry(ts.to_zoned(data.survey.timezone.clone()).date())
            .or_default() += 1;
    }
    let start_of = |period: Period, d: jiff::civil::Date| match period {
        Period::Day => d,
        Period::Week => d
            .checked_sub(jiff::Span::new().days(i64::from(d.weekday().to_monday_zero_offset())))
            .unwrap_or(d),
        Period::Month => d.first_of_month(),
    };
    let binned = |period: Period| {
        let mut bins = std::collections::BTreeMap::<jiff::civil::Date, u64>::new();
        for (d, n) in &days {
            *bins.entry(start_of(period, *d)).or_default() += n;
        }
        bins
    };
    let (period, bins) = [Period::Day, Period::Week, Period::Month]
        .into_iter()
        .map(|p| (p, binned(p)))
        .find(|(_, bins)| bins.values().all(|&n| n >= t))
        .unwrap_or_else(|| (Period::Month, binned(Period::Month)));
    // One row of counts: a single small period is protected like a table cell (the total
    // number of responses is published).
    let counts: Vec<u64> = bins.values().copied().collect();
    let published = suppress_table(&[counts], t);
    Timeline {
        period,
        points: bins
            .keys()
            .zip(&published.cells[0])
            .map(|(d, count)| PeriodCount {
                start: d.to_string(),
                count: *count,
            })
            .collect(),
    }
}

fn frequency_rows(
    categories: &[Category],
    counts: &[u64],
    cis: &[Option<(f64, f64)>],
    t: u64,
) -> Vec<FrequencyRow> {
    let published = suppress_table(&[counts], t);
    categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cell = published.cells[0][i];
            FrequencyRow {
                code: c.code.clone(),
                label: c.label.clone(),
                count: cell,
                percent: published.row_percents[0][i],
                ci95: if cell.is_suppressed() { None } else { cis[i] },
            }
        })
        .collect()
}

fn describe_sections(plan: &Plan, data: &Dataset<'_>, table: &Table, t: u64) -> Vec<Section> {
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
            (Kind::Numeric, v) => out.push(Section::Numeric {
                name: spec.name.clone(),
                label: spec.label.clone(),
                stats: describe(&v.scores()),
            }),
            (Kind::Text, Values::Text(v)) => out.push(Section::Text {
                name: spec.name.clone(),
                label: spec.label.clone(),
                answered: v.iter().flatten().count() as u64,
            }),
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
                out.push(scale_section(data, table, &spec.question, &rows, t));
            }
            (
                Kind::Nominal,
                Values::Categorical {
                    categories, codes, ..
                },
            ) => {
                let f = frequencies(codes, categories.len());
                let counts: Vec<u64> = f.categories.iter().map(|c| c.count).collect();
                let cis: Vec<_> = f.categories.iter().map(|c| c.ci95_percent).collect();
                out.push(Section::Frequencies {
                    name: spec.name.clone(),
                    label: spec.label.clone(),
                    n: f.n_valid,
                    missing: f.missing,
                    rows: frequency_rows(categories, &counts, &cis, t),
                });
            }
            (Kind::Multi, Values::MultiChoice { options, selected }) => {
                let ticks: Vec<Option<Vec<bool>>> = selected
                    .iter()
                    .map(|s| {
                        s.as_ref().map(|picked| {
                            let mut row = vec![false; options.len()];
                            for &i in picked {
                                row[i] = true;
                            }
                            row
                        })
                    })
                    .collect();
                let m = multi_choice(&ticks, options.len());
                let counts: Vec<u64> = m.options.iter().map(|o| o.count).collect();
                let cis: Vec<_> = m.options.iter().map(|o| o.ci95_percent).collect();
                let mut rows = frequency_rows(options, &counts, &cis, t);
                // A percentage published beside a row's count: withheld with it.
                let beside = |row: &FrequencyRow, percent: Option<f64>| {
                    if row.count.is_suppressed() {
                        Some(PercentCell::Suppressed)
                    } else {
                        percent.map(PercentCell::Percent)
                    }
                };
                // Percent of respondents, not of ticks, for each option.
                for (row, o) in rows.iter_mut().zip(&m.options) {
                    row.percent = beside(row, o.percent_of_respondents);
                }
                let percent_of_responses = rows
                    .iter()
                    .zip(&m.options)
                    .map(|(row, o)| beside(row, o.percent_of_responses))
                    .collect();
                out.push(Section::MultiChoice {
                    name: spec.name.clone(),
                    label: spec.label.clone(),
                    respondents: m.respondents,
                    missing: m.missing,
                    rows,
                    percent_of_responses,
                });
            }
            _ => {}
        }
    }
    out
}

fn scale_section(
    data: &Dataset<'_>,
    table: &Table,
    question: &str,
    rows: &[&Spec],
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
            let s = likert(codes, categories.len());
            let counts: Vec<u64> = s.distribution.iter().map(|d| d.count).collect();
            let cis: Vec<_> = s.distribution.iter().map(|d| d.ci95_percent).collect();
            let distribution = frequency_rows(categories, &counts, &cis, t);
            // With hidden cells, n with the mean, SD or top-2 share would give them back:
            // publish no SD or top-2, and a mean rounded to one decimal only when n is
            // large enough for the rounding to hide a cell.
            let hidden = distribution.iter().any(|d| d.count.is_suppressed());
            let mean = match (hidden, s.mean) {
                (false, m) => m,
                (true, Some(m)) if s.n >= 20 * t => Some((m * 10.0).round() / 10.0),
                (true, _) => None,
            };
            Some(ScaleItem {
                name: spec.name.clone(),
                label: spec.label.clone(),
                n: s.n,
                missing: s.missing,
                distribution,
                mean,
                sd: s.sd.filter(|_| !hidden),
                median: s.median,
                top2_percent: s.top2_percent.filter(|_| !hidden),
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

/// Apply the plan's correction to the primary p-values of a family of sections.
fn adjust_family(correction: Correction, mut sections: Vec<Section>) -> Vec<Section> {
    let primary: Vec<f64> = sections
        .iter()
        .map(|s| primary_p(s).unwrap_or(f64::NAN))
        .collect();
    let adjusted = adjust(correction, &primary);
    for (s, adj) in sections.iter_mut().zip(adjusted) {
        match s {
            Section::Crosstab { p_adjusted, .. } | Section::Comparison { p_adjusted, .. } => {
                *p_adjusted = adj;
            }
            _ => {}
        }
    }
    sections
}

/// Adjusted p-values (`None` where a test was not possible).
pub fn adjust(correction: Correction, p: &[f64]) -> Vec<Option<f64>> {
    match correction {
        Correction::Holm => holm(p),
        Correction::BenjaminiHochberg => benjamini_hochberg(p),
        Correction::None => p.iter().map(|x| x.is_finite().then_some(*x)).collect(),
    }
}

/// The test a section's conclusion rests on: Fisher's exact test for a 2x2 table with
/// small expected counts, the chi-square test otherwise; Welch's t-test for two groups,
/// the one-way ANOVA for more.
fn primary_p(section: &Section) -> Option<f64> {
    match section {
        Section::Crosstab {
            chi_square, fisher, ..
        } => match (chi_square, fisher) {
            (Some(c), Some(f)) if c.low_expected_warning => Some(f.p_value),
            (Some(c), _) => Some(c.p_value),
            (None, Some(f)) => Some(f.p_value),
            (None, None) => None,
        },
        Section::Comparison { two, many, .. } => two
            .as_ref()
            .and_then(|t| t.welch.as_ref().map(|w| w.p_value))
            .or_else(|| {
                many.as_ref()
                    .and_then(|m| m.anova.as_ref().map(|a| a.p_value))
            }),
        _ => None,
    }
}

fn categorical(table: &Table, name: &str) -> Option<(Vec<String>, Vec<Option<usize>>)> {
    match &table.get(name)?.values {
        Values::Categorical {
            categories, codes, ..
        } => Some((
            categories.iter().map(|c| c.label.clone()).collect(),
            codes.clone(),
        )),
        _ => None,
    }
}

fn crosstab_section(table: &Table, rows: &str, columns: &str, t: u64) -> Option<Section> {
    let (row_labels, row_codes) = categorical(table, rows)?;
    let (column_labels, col_codes) = categorical(table, columns)?;
    let x = crosstab(
        &row_codes,
        &col_codes,
        row_labels.len(),
        column_labels.len(),
    );
    let mut published = suppress_table(&x.counts, t);
    analysis::suppress::protect_columns(&x.counts, &mut published);
    let any_hidden = published.cells.iter().flatten().any(|c| c.is_suppressed());
    // With hidden cells, the grand total and the odds ratio would give them back.
    let fisher = x.fisher.map(|mut f| {
        if any_hidden {
            f.odds_ratio = None;
        }
        f
    });
    Some(Section::Crosstab {
        rows: table.get(rows)?.label.clone(),
        columns: table.get(columns)?.label.clone(),
        row_labels,
        column_labels,
        n: (!published.row_totals.iter().any(|c| c.is_suppressed())).then_some(x.n),
        cells: published.cells,
        row_totals: published.row_totals,
        row_percents: published.row_percents,
        chi_square: x.chi_square,
        fisher,
        p_adjusted: None,
    })
}

fn comparison_section(table: &Table, variable: &str, groups_by: &str, t: u64) -> Option<Section> {
    let values = &table.get(variable)?.values;
    let (labels, codes) = categorical(table, groups_by)?;
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    for (i, code) in codes.iter().enumerate() {
        if let (Some(g), Some(x)) = (code, values.score(i)) {
            groups[*g].push(x);
        }
    }
    let stats = labels
        .iter()
        .zip(&groups)
        .filter(|(_, g)| !g.is_empty())
        .map(|(label, g)| GroupStats {
            label: label.clone(),
            n: suppress_count(g.len() as u64, t),
            stats: (g.len() as u64 >= t)
                .then(|| describe(&g.iter().map(|&x| Some(x)).collect::<Vec<_>>())),
        })
        .collect();
    // Tests use the published groups only: a hidden group's size and mean would be
    // readable from the test's degrees of freedom and group statistics.
    let used: Vec<&Vec<f64>> = groups
        .iter()
        .filter(|g| !g.is_empty() && g.len() as u64 >= t)
        .collect();
    let (two, many) = match used.as_slice() {
        [a, b] => (
            Some(TwoGroupTests {
                welch: welch_t_test(a, b),
                mann_whitney: mann_whitney_u(a, b),
                cohens_d: analysis::effect::cohens_d(a, b),
                hedges_g: analysis::effect::hedges_g(a, b),
            }),
            None,
        ),
        g if g.len() > 2 => (
            None,
            Some(ManyGroupTests {
                anova: one_way_anova(g),
                kruskal_wallis: kruskal_wallis(g),
            }),
        ),
        _ => (None, None),
    };
    Some(Section::Comparison {
        variable: table.get(variable)?.label.clone(),
        groups_by: table.get(groups_by)?.label.clone(),
        groups: stats,
        two,
        many,
        p_adjusted: None,
    })
}
