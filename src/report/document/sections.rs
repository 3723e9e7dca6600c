//! The blocks of each kind of report section (subheading, notes, table, chart) in the
//! report's language: [`section_blocks`] lays out the short kinds itself and hands each
//! larger kind to a function of its own.

use analysis::paired::PrePostComparison;
use analysis::suppress::{Cell, PercentCell};

use super::Block;
use crate::report::labels::{Labels, labels, num, opt, p_value};
use crate::report::model::{
    ComparisonSection, CrosstabSection, FrequencyRow, PrePostSection, ReliabilitySection, Section,
    Summary,
};
use crate::report::plan::Correction;
use crate::survey::Lang;

/// The blocks of one section (`index`: its place in the report, for its chart).
pub(super) fn section_blocks(out: &mut Vec<Block>, section: &Section, index: usize, lang: Lang) {
    let l = labels(lang);
    match section {
        Section::Numeric {
            label,
            n,
            missing,
            stats,
            ..
        } => {
            out.push(Block::Subheading(label.clone()));
            let mut head = descriptives_head(l);
            head.push(l.missing.into());
            let mut row = descriptives_row(*n, stats, lang);
            row.push(missing.to_string());
            out.push(Block::Table {
                caption: None,
                head,
                rows: vec![row],
            });
        }
        Section::Frequencies {
            label,
            n,
            missing,
            rows,
            ..
        } => {
            out.push(Block::Subheading(label.clone()));
            out.push(Block::Note(format!(
                "{} = {n}, {} {missing}",
                l.n, l.missing
            )));
            out.push(frequency_table(rows, lang));
            out.push(Block::Chart(Some(index), None));
        }
        Section::MultiChoice {
            label,
            respondents,
            missing,
            rows,
            percent_of_responses,
            ..
        } => {
            out.push(Block::Subheading(label.clone()));
            out.push(Block::Note(format!(
                "{} = {respondents}, {} {missing}",
                l.n, l.missing
            )));
            out.push(Block::Table {
                caption: None,
                head: vec![
                    l.answer.into(),
                    l.count.into(),
                    l.percent.into(),
                    l.ci95.into(),
                    l.percent_of_responses.into(),
                ],
                rows: rows
                    .iter()
                    .zip(percent_of_responses)
                    .map(|(r, p)| {
                        vec![
                            r.label.clone(),
                            r.count.to_string(),
                            percent(r.percent, lang),
                            ci(r.ci95, lang),
                            percent(*p, lang),
                        ]
                    })
                    .collect(),
            });
            out.push(Block::Chart(Some(index), None));
        }
        Section::Scale {
            label,
            scale,
            items,
            ..
        } => {
            out.push(Block::Subheading(label.clone()));
            let mut head = vec![l.item.to_string()];
            head.extend(scale.iter().cloned());
            head.extend([l.n, l.mean, l.median, l.top2].map(|s| s.to_string()));
            out.push(Block::Table {
                caption: None,
                head,
                rows: items
                    .iter()
                    .map(|i| {
                        let mut row = vec![i.label.clone()];
                        row.extend(i.distribution.iter().map(|d| d.count.to_string()));
                        row.extend([
                            i.n.to_string(),
                            opt(lang, i.mean, 2),
                            opt(lang, i.median, 1),
                            i.top2_percent
                                .map_or("–".into(), |p| format!("{} %", num(lang, p, 0))),
                        ]);
                        row
                    })
                    .collect(),
            });
            out.push(Block::Chart(Some(index), None));
        }
        Section::Text {
            label, answered, ..
        } => {
            out.push(Block::Subheading(label.clone()));
            out.push(Block::Note(format!("{answered} {}", l.text_answers)));
        }
        Section::Crosstab(c) => crosstab(out, c, lang),
        Section::Comparison(c) => comparison(out, c, lang),
        Section::Reliability(r) => reliability(out, r, lang),
        Section::PrePost(p) => prepost(out, p, index, lang),
    }
}

/// A crosstab: the cells with row percents, then the tests in one note.
fn crosstab(out: &mut Vec<Block>, section: &CrosstabSection, lang: Lang) {
    let l = labels(lang);
    let CrosstabSection {
        rows,
        columns,
        row_labels,
        column_labels,
        n,
        cells,
        row_totals,
        row_percents,
        chi_square,
        fisher,
        p_adjusted,
        ..
    } = section;
    out.push(Block::Subheading(format!("{rows} × {columns}")));
    out.push(Block::Note(l.row_percent_note.into()));
    let mut head = vec![String::new()];
    head.extend(column_labels.iter().cloned());
    head.push(l.total.into());
    out.push(Block::Table {
        caption: None,
        head,
        rows: row_labels
            .iter()
            .enumerate()
            .map(|(r, label)| {
                let mut row = vec![label.clone()];
                row.extend(cells[r].iter().zip(&row_percents[r]).map(|(c, p)| match p {
                    Some(PercentCell::Percent(p)) => {
                        format!("{c} ({} %)", num(lang, *p, 0))
                    }
                    _ => c.to_string(),
                }));
                row.push(row_totals[r].to_string());
                row
            })
            .collect(),
    });
    let mut notes: Vec<String> = n.iter().map(|n| format!("{} = {n}", l.n)).collect();
    match chi_square {
        Some(c) => {
            notes.push(test_line(
                "χ²",
                format!("{} (df {})", num(lang, c.statistic, 2), c.df),
                c.p_value,
                if fisher.is_none() || !c.low_expected_warning {
                    *p_adjusted
                } else {
                    None
                },
                lang,
            ));
            notes.push(format!("Cramér's V = {}", num(lang, c.cramers_v, 2)));
            if c.low_expected_warning {
                notes.push(
                    if fisher.is_some() {
                        l.low_expected
                    } else {
                        l.low_expected_rxc
                    }
                    .into(),
                );
            }
        }
        None => notes.push(l.no_test.into()),
    }
    if let Some(f) = fisher {
        let adj = chi_square
            .as_ref()
            .is_some_and(|c| c.low_expected_warning)
            .then_some(*p_adjusted)
            .flatten();
        notes.push(test_line(
            "Fisher",
            format!("OR {}", opt(lang, f.odds_ratio, 2)),
            f.p_value,
            adj,
            lang,
        ));
    }
    out.push(Block::Note(notes.join("; ")));
}

/// A comparison of groups: their descriptives, then the tests in one note.
fn comparison(out: &mut Vec<Block>, section: &ComparisonSection, lang: Lang) {
    let l = labels(lang);
    let ComparisonSection {
        variable,
        groups_by,
        groups,
        two,
        many,
        p_adjusted,
        ..
    } = section;
    out.push(Block::Subheading(format!("{variable} × {groups_by}")));
    let mut head = vec![l.group.to_string()];
    head.extend(descriptives_head(l));
    out.push(Block::Table {
        caption: None,
        head,
        rows: groups
            .iter()
            .map(|g| {
                let mut row = vec![g.label.clone()];
                match &g.stats {
                    Some(d) => row.extend(descriptives_row(g.n, d, lang)),
                    None => {
                        row.push(g.n.to_string());
                        row.push(l.small_group.into());
                        row.extend(std::iter::repeat_n(String::new(), 4));
                    }
                }
                row
            })
            .collect(),
    });
    let mut notes = Vec::new();
    if let Some(t) = two {
        match &t.welch {
            Some(w) => notes.push(test_line(
                "Welch t",
                format!("{} (df {})", num(lang, w.t, 2), num(lang, w.df, 1)),
                w.p_value,
                *p_adjusted,
                lang,
            )),
            None => notes.push(l.no_test.into()),
        }
        if let Some(u) = &t.mann_whitney {
            notes.push(test_line(
                "Mann-Whitney U",
                num(lang, u.u_first, 1),
                u.p_value,
                None,
                lang,
            ));
            notes.push(format!("r = {}", num(lang, u.rank_biserial, 2)));
        }
        if let (Some(d), Some(g)) = (t.cohens_d, t.hedges_g) {
            notes.push(format!(
                "Cohen's d = {}, Hedges' g = {}",
                num(lang, d, 2),
                num(lang, g, 2)
            ));
        }
    }
    if let Some(m) = many {
        match &m.anova {
            Some(a) => {
                notes.push(test_line(
                    "ANOVA F",
                    format!(
                        "{} (df {}, {})",
                        num(lang, a.f, 2),
                        a.df_between,
                        a.df_within
                    ),
                    a.p_value,
                    *p_adjusted,
                    lang,
                ));
                notes.push(format!("η² = {}", num(lang, a.eta_squared, 3)));
            }
            None => notes.push(l.no_test.into()),
        }
        if let Some(k) = &m.kruskal_wallis {
            notes.push(test_line(
                "Kruskal-Wallis H",
                format!("{} (df {})", num(lang, k.h, 2), k.df),
                k.p_value,
                None,
                lang,
            ));
        }
    }
    if groups.iter().any(|g| g.stats.is_none()) {
        notes.push(l.small_groups_left_out.into());
    }
    if !notes.is_empty() {
        out.push(Block::Note(notes.join("; ")));
    }
}

/// A scale's reliability: alpha and the score, then each item's statistics.
fn reliability(out: &mut Vec<Block>, section: &ReliabilitySection, lang: Lang) {
    let l = labels(lang);
    let ReliabilitySection {
        title,
        item_labels,
        n,
        dropped,
        reliability,
        score,
        ..
    } = section;
    out.push(Block::Subheading(title.clone()));
    let Some(reliability) = reliability else {
        out.push(Block::Note(format!(
            "{}: {n} / {dropped}; {}",
            l.used_dropped, l.small_group
        )));
        return;
    };
    out.push(Block::Note(format!(
        "{} = {}; {}: {n} / {dropped}; {} {}, {} {}",
        l.alpha,
        opt(lang, reliability.alpha, 3),
        l.used_dropped,
        l.mean,
        opt(lang, score.mean, 2),
        l.sd,
        opt(lang, score.sd, 2)
    )));
    out.push(Block::Table {
        caption: None,
        head: vec![
            l.item.into(),
            l.alpha_if_deleted.into(),
            l.item_total.into(),
        ],
        rows: item_labels
            .iter()
            .zip(&reliability.item_statistics)
            .map(|(label, s)| {
                vec![
                    label.clone(),
                    opt(lang, s.alpha_if_deleted, 3),
                    opt(lang, s.corrected_item_total_correlation, 3),
                ]
            })
            .collect(),
    });
}

/// A pre/post block: one row per item (and all items together), then its chart.
fn prepost(out: &mut Vec<Block>, section: &PrePostSection, index: usize, lang: Lang) {
    let l = labels(lang);
    let PrePostSection {
        title,
        before,
        linked,
        unlinked,
        items,
        withheld,
        overall,
        ..
    } = section;
    out.push(Block::Subheading(title.clone()));
    out.push(Block::Note(format!(
        "{}: {linked} ({before}); {}: {unlinked}",
        l.linked, l.unlinked
    )));
    if items.is_empty() {
        out.push(Block::Note(l.too_few_linked.into()));
        return;
    }
    let head = [
        l.item,
        l.n,
        l.before,
        l.after,
        l.change,
        l.ci95,
        "t",
        "p",
        l.adjusted,
        l.wilcoxon_adjusted,
        "d_z",
        l.improved,
    ];
    let mut rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let adjusted = (i.p_adjusted, i.wilcoxon_p_adjusted);
            prepost_row(&i.label, &i.comparison, adjusted, lang)
        })
        .collect();
    if let Some(o) = overall {
        // One test, nothing to adjust: the raw p-values.
        let raw = (
            o.t_test.as_ref().map(|t| t.p_value),
            o.wilcoxon.as_ref().map(|w| w.p_value),
        );
        rows.push(prepost_row(l.all_items, o, raw, lang));
    }
    out.push(Block::Table {
        caption: None,
        head: head.map(String::from).to_vec(),
        rows,
    });
    if !withheld.is_empty() {
        out.push(Block::Note(format!(
            "{}: {}",
            withheld.join(", "),
            l.small_group
        )));
    }
    out.push(Block::Chart(Some(index), None));
}

pub(super) fn correction_name(c: Correction, l: &Labels) -> &'static str {
    match c {
        Correction::Holm => l.holm,
        Correction::BenjaminiHochberg => l.bh,
        Correction::None => l.no_correction,
    }
}

fn percent(p: Option<PercentCell>, lang: Lang) -> String {
    match p {
        Some(PercentCell::Percent(x)) => num(lang, x, 1),
        Some(PercentCell::Suppressed) => analysis::suppress::HIDDEN_MARK.into(),
        None => "–".into(),
    }
}

fn ci(ci: Option<(f64, f64)>, lang: Lang) -> String {
    ci.map_or_else(
        || "–".into(),
        |(a, b)| format!("{}–{}", num(lang, a, 1), num(lang, b, 1)),
    )
}

fn frequency_table(rows: &[FrequencyRow], lang: Lang) -> Block {
    let l = labels(lang);
    Block::Table {
        caption: None,
        head: vec![
            l.answer.into(),
            l.count.into(),
            l.percent.into(),
            l.ci95.into(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    r.count.to_string(),
                    percent(r.percent, lang),
                    ci(r.ci95, lang),
                ]
            })
            .collect(),
    }
}

fn descriptives_row(n: Cell, d: &Summary, lang: Lang) -> Vec<String> {
    vec![
        n.to_string(),
        opt(lang, d.mean, 2),
        opt(lang, d.sd, 2),
        opt(lang, d.median, 2),
        format!("{}–{}", opt(lang, d.q1, 2), opt(lang, d.q3, 2)),
        format!("{}–{}", opt(lang, d.min, 2), opt(lang, d.max, 2)),
    ]
}

fn descriptives_head(l: &Labels) -> Vec<String> {
    [l.n, l.mean, l.sd, l.median, l.quartiles, l.min_max]
        .map(String::from)
        .to_vec()
}

fn test_line(name: &str, stat: String, p: f64, adjusted: Option<f64>, lang: Lang) -> String {
    let l = labels(lang);
    let adj = adjusted.map_or(String::new(), |a| {
        format!(", {} {}", l.adjusted, p_value(lang, a))
    });
    format!("{name}: {stat}, p {}{adj}", p_value(lang, p))
}

fn prepost_row(
    label: &str,
    c: &PrePostComparison,
    adjusted: (Option<f64>, Option<f64>),
    lang: Lang,
) -> Vec<String> {
    let s = c.summary.as_ref();
    let t = c.t_test.as_ref();
    vec![
        label.to_string(),
        c.n_pairs.to_string(),
        opt(lang, s.map(|s| s.mean_before), 2),
        opt(lang, s.map(|s| s.mean_after), 2),
        opt(lang, s.map(|s| s.mean_change), 2),
        t.map_or("–".into(), |t| {
            format!("{}–{}", num(lang, t.ci95_low, 2), num(lang, t.ci95_high, 2))
        }),
        t.map_or("–".into(), |t| num(lang, t.t, 2)),
        t.map_or("–".into(), |t| p_value(lang, t.p_value)),
        adjusted.0.map_or("–".into(), |p| p_value(lang, p)),
        adjusted.1.map_or("–".into(), |p| p_value(lang, p)),
        opt(lang, c.cohens_dz, 2),
        s.map_or("–".into(), |s| {
            format!("{} %", num(lang, 100.0 * s.share_improved, 0))
        }),
    ]
}
