//! Running a plan: the table of analysis variables in, a [`Report`] of published values
//! out. Every statistic comes from the `analysis` crate; this module picks the variables,
//! pairs pre/post responses, applies small-cell suppression and the multiple-testing
//! correction (per family: the crosstabs, the comparisons, each pre/post block).

use analysis::crosstab::crosstab;
use analysis::groups::{kruskal_wallis, mann_whitney_u, one_way_anova, welch_t_test};
use analysis::reliability::cronbach_alpha;
use analysis::suppress::{Cell, suppress_count};
use analysis::table::{Table, Values};

use super::dataset::Dataset;
use super::describe::{Scope, describe_sections};
use super::model::*;
use super::plan::{Correction, Plan};
use crate::survey::Lang;

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
    let t = plan.min_cell;
    let chosen = filter.and_then(|(name, code)| filter_group(data, name, code, t));
    let Some((scope, filter_text, group_size)) = chosen else {
        return whole_report(plan, data, before, lang, t);
    };
    // A filtered view: the group's distributions only, cut from the audited table of all
    // the filter's groups. Crosstabs, comparisons, scales, pre/post blocks and the
    // timeline of a group would be tables of three variables: they are in the whole
    // report only.
    // A group whose size is withheld is not described at all.
    let sections = match group_size {
        analysis::suppress::Cell::Count(_) => describe_sections(plan, data, scope, t),
        analysis::suppress::Cell::Small { .. } | analysis::suppress::Cell::Hidden => Vec::new(),
    };
    Report {
        responses: group_size,
        filter: Some(filter_text),
        timeline: None,
        sections,
        ..header(plan, data, lang, t)
    }
}

/// The report of every complete response.
fn whole_report(
    plan: &Plan,
    data: &Dataset<'_>,
    before: &[Dataset<'_>],
    lang: Lang,
    t: u64,
) -> Report {
    let table = &data.table;
    let mut sections = describe_sections(plan, data, Scope::All, t);
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
        sections.push(reliability_section(data, s, lang, t));
    }
    for p in &plan.prepost {
        if let Some(b) = before.iter().find(|b| b.survey.id == p.before) {
            sections.push(super::prepost::section(plan, p, b, data, None, lang));
        }
    }
    Report {
        timeline: Some(timeline(data, t)),
        sections,
        ..header(plan, data, lang, t)
    }
}

fn header(plan: &Plan, data: &Dataset<'_>, lang: Lang, t: u64) -> Report {
    Report {
        survey: data.survey.id.clone(),
        title: plan
            .title
            .as_ref()
            .unwrap_or(&data.survey.title)
            .get(lang)
            .to_string(),
        survey_title: data.survey.title.get(lang).to_string(),
        invited: None,
        produced: None,
        language: lang.code().to_string(),
        plan: plan.file.as_ref().map(|f| f.display().to_string()),
        responses: suppress_count(data.table.rows() as u64, t),
        filter: None,
        min_cell: t,
        correction: plan.correction,
        timeline: None,
        sections: Vec::new(),
    }
}

/// A scale's reliability and score. The number of respondents left out for a missing
/// item is a count like any other: with the number used, it is audited as a
/// distribution (the number of respondents is published).
fn reliability_section(
    data: &Dataset<'_>,
    s: &super::plan::ScaleSpec,
    lang: Lang,
    t: u64,
) -> Section {
    let table = &data.table;
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
    let used: Vec<Option<usize>> = scores.iter().map(|s| s.map(|_| 0)).collect();
    let (d, _) = crate::disclosure::distribution(
        &[used.iter().flatten().count() as u64],
        used.iter().filter(|u| u.is_none()).count() as u64,
        t,
        Vec::new(),
    );
    let enough = matches!(d.n, analysis::suppress::Cell::Count(n) if n >= t);
    Section::Reliability(ReliabilitySection {
        id: s.id.clone(),
        title: s
            .title
            .as_ref()
            .map_or_else(|| s.id.clone(), |t| t.get(lang).to_string()),
        item_labels: s.items.iter().map(|n| data.label(n)).collect(),
        n: d.cells[0],
        dropped: d.missing,
        reliability: enough.then(|| Alpha::from(cronbach_alpha(&rows_of_items))),
        score: if enough {
            Summary::from(crate::disclosure::descriptives(&scores, t))
        } else {
            Summary::default()
        },
    })
}

/// The scope of a filter (variable, code): the group of respondents whose variable has
/// that code, described as `variable = label`, and the group's size; `None` for an
/// unknown filter.
fn filter_group<'d>(
    data: &'d Dataset<'_>,
    name: &str,
    code: &str,
    t: u64,
) -> Option<(Scope<'d>, String, analysis::suppress::Cell)> {
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
    // The group's size as the whole report publishes the filter variable: a group whose
    // count is withheld there ("<t" or "x") is not described here either.
    let (published, _) = Scope::All.distribution(codes, categories.len(), t, |_, _| Vec::new());
    Some((
        Scope::Group {
            codes,
            groups: categories.len(),
            group: wanted,
        },
        format!("{} = {}", var.label, categories[wanted].label),
        published.cells[wanted],
    ))
}

fn timeline(data: &Dataset<'_>, t: u64) -> Timeline {
    let mut days = std::collections::BTreeMap::<jiff::civil::Date, u64>::new();
    for r in data.responses {
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
    // Months still below the threshold are merged with the next ones (the last with the
    // one before) until every period has at least t responses: a period is never hidden
    // or drawn as 0, it is wider. Fewer than t in all: one period, "<t".
    let mut merged: Vec<(jiff::civil::Date, jiff::civil::Date, u64)> = Vec::new();
    let mut open: Option<(jiff::civil::Date, jiff::civil::Date, u64)> = None;
    for (d, n) in bins {
        let (start, _, count) = open.unwrap_or((d, d, 0));
        let current = (start, d, count + n);
        if current.2 >= t {
            merged.push(current);
            open = None;
        } else {
            open = Some(current);
        }
    }
    if let Some((start, end, n)) = open {
        match merged.last_mut() {
            Some(last) => {
                last.1 = end;
                last.2 += n;
            }
            None => merged.push((start, end, n)),
        }
    }
    Timeline {
        period,
        points: merged
            .into_iter()
            .map(|(start, end, count)| PeriodCount {
                start: start.to_string(),
                end: (end != start).then(|| end.to_string()),
                count: suppress_count(count, t),
            })
            .collect(),
    }
}

/// Apply the plan's correction to the primary p-values of a family of sections.
fn adjust_family(correction: Correction, mut sections: Vec<Section>) -> Vec<Section> {
    let primary: Vec<f64> = sections
        .iter()
        .map(|s| primary_p(s).unwrap_or(f64::NAN))
        .collect();
    let adjusted = correction.adjust(&primary);
    for (s, adj) in sections.iter_mut().zip(adjusted) {
        match s {
            Section::Crosstab(CrosstabSection { p_adjusted, .. })
            | Section::Comparison(ComparisonSection { p_adjusted, .. }) => {
                *p_adjusted = adj;
            }
            Section::Numeric { .. }
            | Section::Frequencies { .. }
            | Section::MultiChoice { .. }
            | Section::Scale { .. }
            | Section::Text { .. }
            | Section::Reliability(_)
            | Section::PrePost(_) => {}
        }
    }
    sections
}

/// The test a section's conclusion rests on: Fisher's exact test for a 2x2 table with
/// small expected counts, the chi-square test otherwise; Welch's t-test for two groups,
/// the one-way ANOVA for more.
fn primary_p(section: &Section) -> Option<f64> {
    match section {
        Section::Crosstab(CrosstabSection {
            chi_square, fisher, ..
        }) => match (chi_square, fisher) {
            (Some(c), Some(f)) if c.low_expected_warning => Some(f.p_value),
            (Some(c), _) => Some(c.p_value),
            (None, Some(f)) => Some(f.p_value),
            (None, None) => None,
        },
        Section::Comparison(ComparisonSection { two, many, .. }) => two
            .as_ref()
            .and_then(|t| t.welch.as_ref().map(|w| w.p_value))
            .or_else(|| {
                many.as_ref()
                    .and_then(|m| m.anova.as_ref().map(|a| a.p_value))
            }),
        Section::Numeric { .. }
        | Section::Frequencies { .. }
        | Section::MultiChoice { .. }
        | Section::Scale { .. }
        | Section::Text { .. }
        | Section::Reliability(_)
        | Section::PrePost(_) => None,
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
    // Audited with every row and column total known (they are the two variables'
    // distributions, published elsewhere in the report); a table that cannot be
    // protected is not published.
    let published = analysis::audit::protect_table(&x.counts, t).ok()?;
    // A row total is the row variable's count in that category among those who answered
    // the column variable: shown only where it equals the count the row variable's own
    // table shows (else the two would differ by a withheld or small number).
    let row_totals: Vec<Cell> = linked_totals(&row_codes, row_labels.len(), &x.row_totals, t);
    let any_hidden = published.cells.iter().flatten().any(|c| c.is_suppressed());
    // The tests are not linear in the counts: withheld where they would pin one.
    let tests_ok = crate::disclosure::crosstab_tests_publishable(&x.counts, &published.cells, t);
    // With hidden cells, the grand total and the odds ratio would give them back.
    let fisher = x.fisher.map(|mut f| {
        if any_hidden {
            f.odds_ratio = None;
        }
        f
    });
    Some(Section::Crosstab(CrosstabSection {
        rows: table.get(rows)?.label.clone(),
        columns: table.get(columns)?.label.clone(),
        row_labels,
        column_labels,
        n: (!row_totals.iter().any(|c| c.is_suppressed())).then_some(x.n),
        cells: published.cells,
        row_totals,
        row_percents: published.row_percents,
        chi_square: x.chi_square.filter(|_| tests_ok),
        fisher: fisher.filter(|_| tests_ok),
        p_adjusted: None,
    }))
}

/// Totals of a variable's categories in a sub-population (`totals`), published only
/// where they equal the counts the variable's own distribution shows (audited over all
/// respondents): otherwise the difference, or the total, would give a withheld count back.
fn linked_totals(codes: &[Option<usize>], k: usize, totals: &[u64], t: u64) -> Vec<Cell> {
    let (shown, _) = Scope::All.distribution(codes, k, t, |_, _| Vec::new());
    totals
        .iter()
        .zip(&shown.cells)
        .map(|(&total, cell)| match cell {
            Cell::Count(c) if *c == total => *cell,
            Cell::Count(_) | Cell::Small { .. } | Cell::Hidden => Cell::Hidden,
        })
        .collect()
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
    let sizes: Vec<u64> = groups.iter().map(|g| g.len() as u64).collect();
    let published_sizes = linked_totals(&codes, labels.len(), &sizes, t);
    let stats = labels
        .iter()
        .zip(&groups)
        .zip(&published_sizes)
        .filter(|((_, g), _)| !g.is_empty())
        .map(|((label, g), size)| GroupStats {
            label: label.clone(),
            n: match suppress_count(g.len() as u64, t) {
                Cell::Count(_) => *size,
                withheld => withheld,
            },
            stats: (g.len() as u64 >= t).then(|| {
                let values: Vec<Option<f64>> = g.iter().map(|&x| Some(x)).collect();
                Summary::from(crate::disclosure::descriptives(&values, t))
            }),
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
    Some(Section::Comparison(ComparisonSection {
        variable: table.get(variable)?.label.clone(),
        groups_by: table.get(groups_by)?.label.clone(),
        groups: stats,
        two,
        many,
        p_adjusted: None,
    }))
}
