//! Responses over time: one bar per day or week (count, left axis) and optionally a dark
//! dashed cumulative line (running total, right axis).
//!
//! Points carry ISO dates (`YYYY-MM-DD`, anything after the tenth character is ignored).
//! With [`TimeBin::Day`] or [`TimeBin::Week`] and parseable dates, points are sorted,
//! duplicates summed and missing days/weeks filled with zero (up to 3700 periods); with [`TimeBin::AsGiven`]
//! (or any unparseable date) the points are drawn in the given order. X labels are the
//! caller's `label` or the date formatted for the locale ("5. 3." / "5 Mar", with the year
//! on the first label and where the year changes), thinned out so they never overlap.
//!
//! Bars are `<rect class="bar">` with `data-index` and `data-count`; the cumulative line
//! is `<polyline class="cumulative">`.

use serde::{Deserialize, Serialize};

use super::dates::{label_for, parse_date};
use super::frame::no_data;
use super::prepost::nice_step;
use super::svg::{Doc, Font, GRID, INK, LABEL_SIZE, MARGIN, SMALL_SIZE, chart_width, num};
use super::text::{text_width, truncate};
use super::{ChartMeta, Locale};

/// How points map to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeBin {
    /// One point per day: sorted, gaps filled with zero.
    Day,
    /// One point per week (dated by any day of it, usually Monday): sorted, gaps of whole
    /// weeks filled with zero.
    Week,
    /// Points drawn as given, in order, no filling.
    #[default]
    AsGiven,
}

/// Input of [`timeline_svg`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineChart {
    /// Title, width, language.
    pub meta: ChartMeta,
    /// Counts per period.
    pub points: Vec<TimelinePoint>,
    /// Day, week or as given.
    #[serde(default)]
    pub bin: TimeBin,
    /// Label of the bars, e.g. "Odpovědi za den".
    pub count_label: String,
    /// Label of the cumulative line, e.g. "Celkem"; `None` draws no line.
    #[serde(default)]
    pub cumulative_label: Option<String>,
}

/// Count of one period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// ISO date of the period (its day, or the first day of its week).
    pub date: String,
    /// X label; `None` formats the date.
    #[serde(default)]
    pub label: Option<String>,
    /// Responses in the period.
    pub count: u64,
}

const BAR_FILL: &str = "#a9bfd1";
const BAR_STROKE: &str = "#4b6a82";
const PLOT_HEIGHT: f64 = 210.0;

/// Renders the responses-over-time chart; see the module doc.
pub fn timeline_svg(chart: &TimelineChart) -> String {
    if chart.points.is_empty() {
        return no_data(&chart.meta, "timeline");
    }
    let loc = chart.meta.locale;
    let points = prepare(chart);
    let width = chart_width(&chart.meta);
    let mut doc = Doc::new(&chart.meta, "timeline");
    let mut y = doc.header(&chart.meta);

    let counts: Vec<u64> = points.iter().map(|p| p.1).collect();
    let total = counts.iter().fold(0u64, |a, &c| a.saturating_add(c));
    let max = counts.iter().copied().max().unwrap_or(0);
    let step = nice_step(max as f64 / 5.0).max(1.0).ceil();
    let top = ((max as f64 / step).ceil() * step).max(step);
    let cum_step = nice_step(total as f64 / 5.0).max(1.0).ceil();
    let cum_top = ((total as f64 / cum_step).ceil() * cum_step).max(cum_step);
    let cumulative = chart.cumulative_label.as_deref();

    let left_w = text_width(&top.to_string(), SMALL_SIZE, false) + 8.0;
    let right_w = if cumulative.is_some() {
        text_width(&cum_top.to_string(), SMALL_SIZE, false) + 8.0
    } else {
        0.0
    };
    let plot_x0 = MARGIN + left_w;
    let plot_x1 = width - MARGIN - right_w;

    axis_titles(&mut doc, chart, width, y);
    y += 28.0;

    let plot_y1 = y + PLOT_HEIGHT;
    let sy = |v: f64, t: f64| plot_y1 - v / t * PLOT_HEIGHT;
    let scales = Scales {
        x0: plot_x0,
        x1: plot_x1,
        y1: plot_y1,
        counts: (top, step),
        cumulative: cumulative.map(|_| (cum_top, cum_step)),
    };
    scales.ticks(&mut doc);

    let m = points.len();
    let band = (plot_x1 - plot_x0) / m as f64;
    let bar_w = (band * 0.72).clamp(1.0, 48.0);
    let label_w = points
        .iter()
        .map(|p| text_width(&p.0, SMALL_SIZE, false))
        .fold(0.0, f64::max);
    let every = ((label_w + 10.0) / band).ceil().max(1.0) as usize;
    let mut running = 0u64;
    let mut line_pts = Vec::with_capacity(m);
    for (i, (label, count)) in points.iter().enumerate() {
        let cx = plot_x0 + band * (i as f64 + 0.5);
        let h = *count as f64 / top * PLOT_HEIGHT;
        if *count > 0 {
            doc.elem(
                "rect",
                &[
                    ("class", "bar".to_owned()),
                    ("data-index", i.to_string()),
                    ("data-count", count.to_string()),
                    ("x", num(cx - bar_w / 2.0)),
                    ("y", num(plot_y1 - h)),
                    ("width", num(bar_w)),
                    ("height", num(h)),
                    ("fill", BAR_FILL.to_owned()),
                    ("stroke", BAR_STROKE.to_owned()),
                    (
                        "stroke-width",
                        if bar_w > 4.0 { "0.8" } else { "0" }.to_owned(),
                    ),
                ],
            );
        }
        if i % every == 0 {
            // Centred under the bar, but kept inside the chart.
            let half = text_width(label, SMALL_SIZE, false) / 2.0;
            let x = cx.min(width - MARGIN - half).max(MARGIN + half);
            let font = Font::small().anchor("middle");
            doc.text(x, plot_y1 + 15.0, label, font, "x-label");
        }
        running = running.saturating_add(*count);
        line_pts.push(format!("{},{}", num(cx), num(sy(running as f64, cum_top))));
    }
    if cumulative.is_some() {
        doc.elem(
            "polyline",
            &[
                ("class", "cumulative".to_owned()),
                ("points", line_pts.join(" ")),
                ("fill", "none".to_owned()),
                ("stroke", INK.to_owned()),
                ("stroke-width", "2.4".to_owned()),
                ("stroke-dasharray", "7 3".to_owned()),
                ("stroke-linejoin", "round".to_owned()),
            ],
        );
    }
    let desc = summary(chart, &points, loc);
    doc.finish(
        plot_y1 + 20.0 + LABEL_SIZE + MARGIN,
        &chart.meta.title,
        &desc,
    )
}

/// The axis titles with their swatches: bars above the left axis, the line above the
/// right one.
fn axis_titles(doc: &mut Doc, chart: &TimelineChart, width: f64, y: f64) {
    let font = Font {
        fill: INK,
        ..Font::small()
    };
    let count_label = truncate(
        &chart.count_label,
        SMALL_SIZE,
        (width - 2.0 * MARGIN) / 2.0 - 30.0,
    );
    doc.elem(
        "rect",
        &[
            ("x", num(MARGIN)),
            ("y", num(y + 3.0)),
            ("width", "14".to_owned()),
            ("height", "12".to_owned()),
            ("fill", BAR_FILL.to_owned()),
            ("stroke", BAR_STROKE.to_owned()),
        ],
    );
    doc.text(MARGIN + 20.0, y + 13.0, &count_label, font, "legend");
    if let Some(label) = chart.cumulative_label.as_deref() {
        let label = truncate(label, SMALL_SIZE, (width - 2.0 * MARGIN) / 2.0 - 40.0);
        let tx = width - MARGIN;
        let lx = tx - text_width(&label, SMALL_SIZE, false) - 30.0;
        doc.elem(
            "line",
            &line(lx, y + 9.0, lx + 22.0, y + 9.0, INK, 2.4, true),
        );
        doc.text(tx, y + 13.0, &label, font.anchor("end"), "legend");
    }
}

/// The plot's extent and its two value scales: counts (top, step) on the left, the
/// cumulative count on the right when there is one.
struct Scales {
    x0: f64,
    x1: f64,
    y1: f64,
    counts: (f64, f64),
    cumulative: Option<(f64, f64)>,
}

impl Scales {
    /// Grid lines and tick labels of both scales.
    fn ticks(&self, doc: &mut Doc) {
        let plot_y1 = self.y1;
        let sy = |v: f64, t: f64| plot_y1 - v / t * PLOT_HEIGHT;
        let (top, step) = self.counts;
        let ticks = (top / step).round() as usize;
        for i in 0..=ticks.min(20) {
            let v = i as f64 * step;
            let yy = sy(v, top);
            doc.elem(
                "line",
                &line(
                    self.x0,
                    yy,
                    self.x1,
                    yy,
                    if i == 0 { INK } else { GRID },
                    1.0,
                    false,
                ),
            );
            doc.text(
                self.x0 - 6.0,
                yy + 4.0,
                &format!("{v}"),
                Font::small().anchor("end"),
                "tick",
            );
        }
        if let Some((cum_top, cum_step)) = self.cumulative {
            let ticks = (cum_top / cum_step).round() as usize;
            for i in 0..=ticks.min(20) {
                let v = i as f64 * cum_step;
                let yy = sy(v, cum_top);
                doc.text(
                    self.x1 + 6.0,
                    yy + 4.0,
                    &format!("{v}"),
                    Font::small(),
                    "tick-right",
                );
            }
        }
    }
}

fn line(
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    stroke: &str,
    w: f64,
    dashed: bool,
) -> Vec<(&'static str, String)> {
    let mut a = vec![
        ("x1", num(x1)),
        ("y1", num(y1)),
        ("x2", num(x2)),
        ("y2", num(y2)),
        ("stroke", stroke.to_owned()),
        ("stroke-width", num(w)),
    ];
    if dashed {
        a.push(("stroke-dasharray", "7 3".to_owned()));
    }
    a
}

/// (label, count) per drawn period, after sorting and gap filling where asked.
fn prepare(chart: &TimelineChart) -> Vec<(String, u64)> {
    let loc = chart.meta.locale;
    let period = match chart.bin {
        TimeBin::Day => Some(1),
        TimeBin::Week => Some(7),
        TimeBin::AsGiven => None,
    };
    let parsed: Option<Vec<(i64, &TimelinePoint)>> = chart
        .points
        .iter()
        .map(|p| parse_date(&p.date).map(|d| (d, p)))
        .collect();
    let (Some(period), Some(mut parsed)) = (period, parsed) else {
        let mut prev_year = None;
        return chart
            .points
            .iter()
            .map(|p| {
                (
                    label_for(
                        p.label.as_deref(),
                        parse_date(&p.date),
                        &p.date,
                        &mut prev_year,
                        loc,
                    ),
                    p.count,
                )
            })
            .collect();
    };
    parsed.sort_by_key(|(d, _)| *d);
    let first = parsed[0].0;
    let last = parsed[parsed.len() - 1].0;
    let slots = ((last - first) / period + 1).min(3700) as usize;
    let mut out: Vec<(Option<&str>, i64, u64)> = (0..slots)
        .map(|i| (None, first + i as i64 * period, 0))
        .collect();
    for (d, p) in parsed {
        let i = ((d - first) / period) as usize;
        if let Some(slot) = out.get_mut(i) {
            slot.2 = slot.2.saturating_add(p.count);
            if slot.0.is_none() {
                slot.0 = p.label.as_deref();
            }
        }
    }
    let mut prev_year = None;
    out.into_iter()
        .map(|(label, day, count)| (label_for(label, Some(day), "", &mut prev_year, loc), count))
        .collect()
}
fn summary(chart: &TimelineChart, points: &[(String, u64)], loc: Locale) -> String {
    let total = points.iter().fold(0u64, |a, p| a.saturating_add(p.1));
    let (first, last) = (&points[0].0, &points[points.len() - 1].0);
    let peak = points
        .iter()
        .max_by_key(|p| p.1)
        .map(|p| (p.0.as_str(), p.1))
        .unwrap_or(("", 0));
    let unit = match (loc, chart.bin) {
        (Locale::Cs, TimeBin::Week) => "po týdnech",
        (Locale::Cs, _) => "po dnech",
        (Locale::En, TimeBin::Week) => "per week",
        (Locale::En, _) => "per day",
    };
    let line = match (loc, chart.cumulative_label.is_some()) {
        (Locale::Cs, true) => " s kumulativní čarou",
        (Locale::En, true) => " with a cumulative line",
        _ => "",
    };
    match loc {
        Locale::Cs => format!(
            "Sloupcový graf počtu odpovědí {unit}{line}, {first} až {last}: celkem {total}, \
             nejvíce {} ({}), {} období.",
            peak.1,
            peak.0,
            points.len()
        ),
        Locale::En => format!(
            "Bar chart of responses {unit}{line}, {first} to {last}: {total} in total, \
             at most {} ({}), {} periods.",
            peak.1,
            peak.0,
            points.len()
        ),
    }
}
