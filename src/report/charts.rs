//! The charts of a report, drawn with `analysis::charts` from the published (already
//! suppressed) values: suppressed counts are left out of the bars, so a chart never shows
//! what the tables hide.

use analysis::charts::{
    ChartMeta, Interval, LikertChart, LikertItem, Locale, PrePostChart, PrePostRow,
    ProportionChart, ProportionRow, TimeBin, TimelineChart, TimelinePoint, likert_svg, prepost_svg,
    proportions_svg, timeline_svg,
};
use analysis::suppress::{Cell, PercentCell};

use super::labels::labels;
use super::model::{FrequencyRow, Period, PrePostSection, Report, Section};
use crate::survey::Lang;

const WIDTH: u32 = 760;

/// A chart: a file-name-safe slug, its title, and the SVG.
pub struct Chart {
    pub slug: String,
    pub title: String,
    pub svg: String,
}

fn meta(title: &str, lang: Lang) -> ChartMeta {
    let locale = match lang {
        Lang::Cs => Locale::Cs,
        Lang::En => Locale::En,
    };
    ChartMeta::new(title, WIDTH, locale)
}

fn shown(cell: Cell) -> u64 {
    match cell {
        Cell::Count(n) => n,
        _ => 0,
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

pub fn timeline(report: &Report, lang: Lang) -> Option<Chart> {
    let timeline = report.timeline.as_ref().filter(|t| !t.points.is_empty())?;
    let l = labels(lang);
    let (bin, count_label) = match timeline.period {
        Period::Day => (TimeBin::Day, l.per_day),
        Period::Week => (TimeBin::Week, l.per_week),
        Period::Month => (TimeBin::AsGiven, l.per_month),
    };
    let chart = TimelineChart {
        meta: meta(l.timeline, lang),
        points: timeline
            .points
            .iter()
            .map(|p| TimelinePoint {
                date: p.start.clone(),
                label: (timeline.period == Period::Month).then(|| {
                    let month = |d: &str| d.get(..7).unwrap_or(d).to_string();
                    match &p.end {
                        Some(end) => format!("{}–{}", month(&p.start), month(end)),
                        None => month(&p.start),
                    }
                }),
                count: shown(p.count),
            })
            .collect(),
        bin,
        count_label: count_label.into(),
        cumulative_label: Some(l.cumulative.into()),
    };
    Some(Chart {
        slug: "timeline".into(),
        title: l.timeline.into(),
        svg: timeline_svg(&chart),
    })
}

fn proportion_rows(rows: &[FrequencyRow], n: Cell) -> Vec<ProportionRow> {
    let n = match n {
        Cell::Count(n) => Some(n),
        Cell::Small { .. } | Cell::Hidden => None,
    };
    rows.iter()
        .map(|r| ProportionRow {
            label: r.label.clone(),
            proportion: match r.percent {
                Some(PercentCell::Percent(p)) => p / 100.0,
                _ => f64::NAN,
            },
            ci: r.ci95.map(|(low, high)| Interval {
                low: low / 100.0,
                high: high / 100.0,
            }),
            n,
            hidden: r.count.is_suppressed(),
        })
        .collect()
}

/// The chart of a section, if it has one (tables of tests have none, nor answers that
/// nobody gave: a chart of empty bars says nothing).
pub fn section(section: &Section, lang: Lang) -> Option<Chart> {
    let l = labels(lang);
    match section {
        Section::Frequencies {
            name,
            label,
            n,
            rows,
            ..
        }
        | Section::MultiChoice {
            name,
            label,
            respondents: n,
            rows,
            ..
        } if rows.iter().any(|r| r.count != Cell::Count(0)) => Some(Chart {
            slug: slug(name),
            title: label.clone(),
            svg: proportions_svg(&ProportionChart {
                meta: meta(label, lang),
                rows: proportion_rows(rows, *n),
            }),
        }),
        Section::Scale {
            name,
            label,
            scale,
            items,
        } => {
            // Items whose n is withheld cannot give shares of all answers: the table
            // shows them. With none left there is no chart (not an empty one).
            let drawable: Vec<LikertItem> = items
                .iter()
                .filter_map(|i| {
                    let Cell::Count(n) = i.n else { return None };
                    let counts: Vec<u64> = i.distribution.iter().map(|d| shown(d.count)).collect();
                    let hidden = n.saturating_sub(counts.iter().sum());
                    Some(LikertItem {
                        label: i.label.clone(),
                        counts,
                        hidden,
                    })
                })
                .collect();
            (!drawable.is_empty()).then(|| Chart {
                slug: slug(name),
                title: label.clone(),
                svg: likert_svg(&LikertChart {
                    meta: meta(label, lang),
                    levels: scale.clone(),
                    items: drawable,
                }),
            })
        }
        Section::PrePost(PrePostSection {
            title,
            scale,
            items,
            ..
        }) => {
            let rows = items
                .iter()
                .map(|i| {
                    let s = i.comparison.summary.as_ref();
                    PrePostRow {
                        label: i.label.clone(),
                        before: s.map(|s| s.mean_before),
                        after: s.map(|s| s.mean_after),
                        before_ci: None,
                        after_ci: None,
                        n: Some(i.comparison.n_pairs as u64),
                    }
                })
                .collect();
            Some(Chart {
                slug: "prepost".into(),
                title: title.clone(),
                svg: prepost_svg(&PrePostChart {
                    meta: meta(title, lang),
                    before_label: l.before.into(),
                    after_label: l.after.into(),
                    rows,
                    scale: (!scale.is_empty()).then_some(Interval {
                        low: 1.0,
                        high: scale.len() as f64,
                    }),
                    decimals: Some(2),
                }),
            })
        }
        // Answers nobody gave (past the guards above), a numeric's summary, counts of
        // typed answers and tables of tests: no chart.
        Section::Frequencies { .. }
        | Section::MultiChoice { .. }
        | Section::Numeric { .. }
        | Section::Text { .. }
        | Section::Crosstab(_)
        | Section::Comparison(_)
        | Section::Reliability(_) => None,
    }
}

/// Every chart of a report: the timeline and one per section that has one, with slugs
/// unique within the report (file names of `anketa analyze -o DIR`).
pub struct Charts {
    pub timeline: Option<Chart>,
    pub sections: Vec<Option<Chart>>,
}

impl Charts {
    pub fn of(report: &Report, lang: Lang) -> Charts {
        Charts {
            timeline: timeline(report, lang),
            sections: report
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    section(s, lang).map(|mut c| {
                        c.slug = format!("{:02}-{}", i + 1, c.slug);
                        c
                    })
                })
                .collect(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Chart> {
        self.timeline.iter().chain(self.sections.iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frequencies(counts: &[Cell]) -> Section {
        Section::Frequencies {
            name: "q".into(),
            label: "Otázka".into(),
            n: Cell::Count(10),
            missing: Cell::Count(0),
            rows: counts
                .iter()
                .enumerate()
                .map(|(i, &count)| FrequencyRow {
                    code: i.to_string(),
                    label: format!("Možnost {i}"),
                    count,
                    percent: None,
                    ci95: None,
                })
                .collect(),
        }
    }

    #[test]
    fn answers_nobody_gave_get_no_chart_and_hidden_ones_do() {
        assert!(section(&frequencies(&[Cell::Count(0); 15]), Lang::Cs).is_none());
        assert!(section(&frequencies(&[]), Lang::Cs).is_none());
        assert!(section(&frequencies(&[Cell::Count(0), Cell::Count(10)]), Lang::Cs).is_some());
        // A hidden count is drawn as hidden, not left out with the empty ones.
        assert!(section(&frequencies(&[Cell::Count(0), Cell::Hidden]), Lang::Cs).is_some());
    }
}
