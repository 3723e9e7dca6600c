//! Horizontal bars of proportions with 95 % confidence-interval whiskers, e.g. the share of
//! municipalities choosing each option.
//!
//! The axis always runs 0–100 %. Bars are a light fill with a dark outline, whiskers are
//! dark lines with end caps, so the chart reads the same in black and white. The value and
//! n of each row are written in a column on the right. A row whose proportion is missing
//! (non-finite) keeps its label and shows "–" with no bar; a row marked `hidden` (a count
//! withheld by small-cell suppression) says "hidden" instead, never 0 %.
//!
//! Each bar is a `<rect class="bar">` with `data-row` and `data-value` (the proportion,
//! 0–1); each whisker a `<line class="ci">` with `data-low` and `data-high`.

use serde::{Deserialize, Serialize};

use super::frame::{label_column, label_line_count, no_data, row_height};
use super::svg::{Doc, Font, GRID, INK, LABEL_SIZE, MARGIN, SMALL_SIZE, chart_width, num};
use super::text::text_width;
use super::{ChartMeta, Interval, Locale, fmt_pct};

/// Input of [`proportions_svg`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProportionChart {
    /// Title, width, language.
    pub meta: ChartMeta,
    /// One bar per row, top to bottom in this order.
    pub rows: Vec<ProportionRow>,
}

/// One bar: a proportion (0–1) with an optional confidence interval (0–1) and n.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProportionRow {
    /// Row label, e.g. an answer option.
    pub label: String,
    /// Proportion in 0–1 (clamped); non-finite means missing.
    pub proportion: f64,
    /// 95 % confidence interval in 0–1 (clamped), drawn as a whisker.
    #[serde(default)]
    pub ci: Option<Interval>,
    /// Number of cases the proportion is of, shown as "n = …".
    #[serde(default)]
    pub n: Option<u64>,
    /// The count is withheld (small-cell suppression): shown as "hidden", not as a value.
    #[serde(default)]
    pub hidden: bool,
}

/// The value column's text of a withheld row.
fn hidden_text(loc: Locale) -> &'static str {
    match loc {
        Locale::Cs => "skryto",
        Locale::En => "hidden",
    }
}

impl ProportionRow {
    /// A row from counts with the Wilson score 95 % interval; `n = 0` gives a missing
    /// proportion (no bar).
    pub fn wilson(label: impl Into<String>, successes: u64, n: u64) -> Self {
        let label = label.into();
        if n == 0 {
            return Self {
                label,
                proportion: f64::NAN,
                ci: None,
                n: Some(0),
                hidden: false,
            };
        }
        let z = 1.959_963_984_540_054_f64;
        let nf = n as f64;
        let p = successes.min(n) as f64 / nf;
        let denom = 1.0 + z * z / nf;
        let centre = (p + z * z / (2.0 * nf)) / denom;
        let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
        Self {
            label,
            proportion: p,
            ci: Some(Interval {
                low: (centre - half).max(0.0),
                high: (centre + half).min(1.0),
            }),
            n: Some(n),
            hidden: false,
        }
    }
}

const BAR_FILL: &str = "#9dbcd4";
const BAR_STROKE: &str = "#3d5f78";

/// Renders the proportions chart; see the module doc.
pub fn proportions_svg(chart: &ProportionChart) -> String {
    if chart.rows.is_empty() {
        return no_data(&chart.meta, "prop");
    }
    let loc = chart.meta.locale;
    let width = chart_width(&chart.meta);
    let mut doc = Doc::new(&chart.meta, "prop");
    let mut y = doc.header(&chart.meta) + 4.0;

    let value_text = |r: &ProportionRow| {
        if r.hidden {
            hidden_text(loc).to_owned()
        } else if r.proportion.is_finite() {
            fmt_pct(100.0 * r.proportion.clamp(0.0, 1.0), 0, loc)
        } else {
            "–".to_owned()
        }
    };
    let n_text = |r: &ProportionRow| r.n.map(|n| format!("n = {n}"));
    let value_w = chart
        .rows
        .iter()
        .map(|r| text_width(&value_text(r), LABEL_SIZE, false))
        .fold(0.0, f64::max);
    let n_w = chart
        .rows
        .iter()
        .filter_map(|r| n_text(r).map(|t| text_width(&t, SMALL_SIZE, false) + 8.0))
        .fold(0.0, f64::max);
    let label_w = label_column(chart.rows.iter().map(|r| r.label.as_str()), width, 0.38);
    let plot_x0 = MARGIN + label_w + 12.0;
    let plot_x1 = width - MARGIN - value_w - n_w - 14.0;
    let px = (plot_x1 - plot_x0) / 100.0;

    let heights: Vec<f64> = chart
        .rows
        .iter()
        .map(|r| row_height(label_line_count(&r.label, LABEL_SIZE, label_w), 30.0))
        .collect();
    let (plot_y0, plot_y1) = (y, y + heights.iter().sum::<f64>());
    for t in (0..=100).step_by(10) {
        let x = plot_x0 + f64::from(t) * px;
        let (stroke, w) = if t == 0 { (INK, 1.2) } else { (GRID, 1.0) };
        doc.elem("line", &line(x, plot_y0, x, plot_y1, stroke, w));
        if t % 20 == 0 {
            let label = fmt_pct(f64::from(t), 0, loc);
            doc.text(
                x,
                plot_y1 + 15.0,
                &label,
                Font::small().anchor("middle"),
                "tick",
            );
        }
    }

    for (i, row) in chart.rows.iter().enumerate() {
        let mid = y + heights[i] / 2.0;
        doc.label(MARGIN, mid, &row.label, label_w, Font::label(), "row-label");
        if row.proportion.is_finite() && !row.hidden {
            let p = row.proportion.clamp(0.0, 1.0);
            doc.elem(
                "rect",
                &[
                    ("class", "bar".to_owned()),
                    ("data-row", i.to_string()),
                    ("data-value", format!("{p:.4}")),
                    ("x", num(plot_x0)),
                    ("y", num(mid - 8.0)),
                    ("width", num(p * 100.0 * px)),
                    ("height", "16".to_owned()),
                    ("fill", BAR_FILL.to_owned()),
                    ("stroke", BAR_STROKE.to_owned()),
                    ("stroke-width", "1".to_owned()),
                ],
            );
        }
        if let Some(ci) = row.ci.and_then(Interval::finite) {
            let (lo, hi) = (ci.low.clamp(0.0, 1.0), ci.high.clamp(0.0, 1.0));
            let (x1, x2) = (plot_x0 + lo * 100.0 * px, plot_x0 + hi * 100.0 * px);
            let mut attrs = line(x1, mid, x2, mid, INK, 1.6);
            attrs.push(("class", "ci".to_owned()));
            attrs.push(("data-low", format!("{lo:.4}")));
            attrs.push(("data-high", format!("{hi:.4}")));
            doc.elem("line", &attrs);
            for x in [x1, x2] {
                let mut cap = line(x, mid - 6.0, x, mid + 6.0, INK, 1.6);
                cap.push(("class", "ci-cap".to_owned()));
                doc.elem("line", &cap);
            }
        }
        let vx = plot_x1 + 10.0 + value_w;
        let baseline = mid + LABEL_SIZE * 0.36;
        doc.text(
            vx,
            baseline,
            &value_text(row),
            Font::label().anchor("end"),
            "value",
        );
        if let Some(t) = n_text(row) {
            doc.text(
                width - MARGIN,
                baseline,
                &t,
                Font::small().anchor("end"),
                "n",
            );
        }
        y += heights[i];
    }
    let desc = summary(chart, loc);
    doc.finish(plot_y1 + 24.0 + MARGIN, &chart.meta.title, &desc)
}

fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, w: f64) -> Vec<(&'static str, String)> {
    vec![
        ("x1", num(x1)),
        ("y1", num(y1)),
        ("x2", num(x2)),
        ("y2", num(y2)),
        ("stroke", stroke.to_owned()),
        ("stroke-width", num(w)),
    ]
}

fn summary(chart: &ProportionChart, loc: Locale) -> String {
    let mut s = match loc {
        Locale::Cs => format!(
            "Vodorovný pruhový graf podílů (0–100 %) s 95% intervaly spolehlivosti, {} řádků.",
            chart.rows.len()
        ),
        Locale::En => format!(
            "Horizontal bar chart of proportions (0–100%) with 95% confidence intervals, {} rows.",
            chart.rows.len()
        ),
    };
    for r in &chart.rows {
        let value = if r.hidden {
            hidden_text(loc).to_owned()
        } else if r.proportion.is_finite() {
            fmt_pct(100.0 * r.proportion.clamp(0.0, 1.0), 0, loc)
        } else {
            "–".to_owned()
        };
        let mut extra = Vec::new();
        if let Some(ci) = r.ci.and_then(Interval::finite) {
            let lo = fmt_pct(100.0 * ci.low.clamp(0.0, 1.0), 0, loc);
            let hi = fmt_pct(100.0 * ci.high.clamp(0.0, 1.0), 0, loc);
            extra.push(match loc {
                Locale::Cs => format!("95% IS {lo} až {hi}"),
                Locale::En => format!("95% CI {lo} to {hi}"),
            });
        }
        if let Some(n) = r.n {
            extra.push(format!("n = {n}"));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        s.push_str(&format!(" {}: {value}{extra}.", r.label.trim()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_say_so_and_have_no_bar() {
        let mut hidden = ProportionRow::wilson("b", 0, 40);
        hidden.hidden = true;
        hidden.proportion = f64::NAN;
        let chart = ProportionChart {
            meta: ChartMeta::new("P", 720, Locale::Cs),
            rows: vec![ProportionRow::wilson("a", 30, 40), hidden],
        };
        let svg = proportions_svg(&chart);
        assert_eq!(svg.matches("class=\"bar\"").count(), 1);
        assert!(svg.contains("skryto"), "{svg}");
    }

    #[test]
    fn wilson_interval_matches_reference() {
        // 40 of 100: Wilson 95 % CI 0.3094 to 0.4980 (Newcombe 1998 style computation).
        let r = ProportionRow::wilson("a", 40, 100);
        let ci = r.ci.unwrap();
        assert!((r.proportion - 0.4).abs() < 1e-12);
        assert!((ci.low - 0.3094).abs() < 1e-3, "{}", ci.low);
        assert!((ci.high - 0.4980).abs() < 1e-3, "{}", ci.high);
        let r = ProportionRow::wilson("b", 0, 10);
        assert_eq!(r.ci.unwrap().low, 0.0);
        assert!(ProportionRow::wilson("c", 0, 0).proportion.is_nan());
    }
}
