//! Before/after dot plot for pre/post comparisons: one row per item or topic, the mean
//! before as a hollow circle and the mean after as a filled circle, joined by an arrow
//! pointing from before to after. Optional confidence intervals are whiskers, before dashed
//! and after solid; when any row has one, the before marker sits slightly above the row
//! centre and the after marker slightly below so the whiskers do not overlap.
//!
//! The axis is the caller's scale (e.g. 1–5) or a rounded range around the data. The right
//! column repeats the numbers as "3,2 → 3,9" and the n. Legend labels ("před"/"po") come
//! from the caller.
//!
//! Markers are `<circle class="before">` / `<circle class="after">` with `data-row` and
//! `data-value`; whiskers `<line class="ci-before">` / `<line class="ci-after">`.

use serde::{Deserialize, Serialize};

use super::frame::{Swatch, label_column, label_line_count, marker, no_data, row_height};
use super::svg::{
    Doc, Font, GRID, INK, INK_SOFT, LABEL_SIZE, MARGIN, SMALL_SIZE, chart_width, num,
};
use super::text::text_width;
use super::{ChartMeta, Interval, Locale, fmt_num};

/// Input of [`prepost_svg`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrePostChart {
    /// Title, width, language.
    pub meta: ChartMeta,
    /// Legend label of the first measurement, e.g. "před".
    pub before_label: String,
    /// Legend label of the second measurement, e.g. "po".
    pub after_label: String,
    /// One row per item, top to bottom in this order.
    pub rows: Vec<PrePostRow>,
    /// Fixed axis range, e.g. 1–5 for a five-point scale; `None` fits the data.
    #[serde(default)]
    pub scale: Option<Interval>,
    /// Decimals of the numbers shown (default 1).
    #[serde(default)]
    pub decimals: Option<u8>,
}

/// One row: mean (or other summary) before and after, each optional.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrePostRow {
    /// Item or topic label.
    pub label: String,
    /// Value before; `None` or non-finite: no marker.
    #[serde(default)]
    pub before: Option<f64>,
    /// Value after; `None` or non-finite: no marker.
    #[serde(default)]
    pub after: Option<f64>,
    /// Confidence interval of the value before.
    #[serde(default)]
    pub before_ci: Option<Interval>,
    /// Confidence interval of the value after.
    #[serde(default)]
    pub after_ci: Option<Interval>,
    /// Number of (paired) cases, shown as "n = …".
    #[serde(default)]
    pub n: Option<u64>,
}

/// Renders the before/after dot plot; see the module doc.
pub fn prepost_svg(chart: &PrePostChart) -> String {
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    let any_value = chart
        .rows
        .iter()
        .any(|r| finite(r.before).is_some() || finite(r.after).is_some());
    if !any_value {
        return no_data(&chart.meta, "prepost");
    }
    let loc = chart.meta.locale;
    let dec = usize::from(chart.decimals.unwrap_or(1).min(4));
    let width = chart_width(&chart.meta);
    let mut doc = Doc::new(&chart.meta, "prepost");
    let mut y = doc.header(&chart.meta);
    let has_ci = chart
        .rows
        .iter()
        .any(|r| r.before_ci.is_some() || r.after_ci.is_some());
    let legend = legend_entries(chart, has_ci);
    y += doc.legend(&legend, y) + 8.0;

    let (lo, hi, step) = axis_range(chart);
    let tick_dec = if step.fract().abs() < 1e-9 {
        0
    } else if (step * 10.0).fract().abs() < 1e-9 {
        1
    } else {
        2
    };

    let value_text = |r: &PrePostRow| {
        let f = |v: Option<f64>| finite(v).map_or("–".to_owned(), |x| fmt_num(x, dec, loc));
        format!("{} → {}", f(r.before), f(r.after))
    };
    let n_text = |r: &PrePostRow| r.n.map(|n| format!("n = {n}"));
    let value_w = chart
        .rows
        .iter()
        .map(|r| text_width(&value_text(r), SMALL_SIZE, false))
        .fold(0.0, f64::max);
    let n_w = chart
        .rows
        .iter()
        .filter_map(|r| n_text(r).map(|t| text_width(&t, SMALL_SIZE, false) + 10.0))
        .fold(0.0, f64::max);
    let label_w = label_column(chart.rows.iter().map(|r| r.label.as_str()), width, 0.36);
    let plot_x0 = MARGIN + label_w + 18.0;
    let plot_x1 = width - MARGIN - value_w - n_w - 22.0;
    let sx = |v: f64| plot_x0 + (v.clamp(lo, hi) - lo) / (hi - lo) * (plot_x1 - plot_x0);

    let heights: Vec<f64> = chart
        .rows
        .iter()
        .map(|r| row_height(label_line_count(&r.label, LABEL_SIZE, label_w), 32.0))
        .collect();
    let (plot_y0, plot_y1) = (y, y + heights.iter().sum::<f64>());
    let ticks = ((hi - lo) / step + 1e-6).floor() as usize;
    for i in 0..=ticks.min(50) {
        let t = lo + i as f64 * step;
        let x = sx(t);
        doc.elem("line", &line(x, plot_y0, x, plot_y1, GRID, 1.0));
        let label = fmt_num(t, tick_dec, loc);
        doc.text(
            x,
            plot_y1 + 15.0,
            &label,
            Font::small().anchor("middle"),
            "tick",
        );
    }

    let offset = if has_ci { 5.0 } else { 0.0 };
    for (i, row) in chart.rows.iter().enumerate() {
        let mid = y + heights[i] / 2.0;
        doc.label(MARGIN, mid, &row.label, label_w, Font::label(), "row-label");
        let (by, ay) = (mid - offset, mid + offset);
        for (ci, cy, class, dashed) in [
            (row.before_ci, by, "ci-before", true),
            (row.after_ci, ay, "ci-after", false),
        ] {
            if let Some(ci) = ci.and_then(Interval::finite) {
                let mut a = line(sx(ci.low), cy, sx(ci.high), cy, INK_SOFT, 1.4);
                a.push(("class", class.to_owned()));
                if dashed {
                    a.push(("stroke-dasharray", "3 2".to_owned()));
                }
                doc.elem("line", &a);
            }
        }
        if let (Some(b), Some(a)) = (finite(row.before), finite(row.after)) {
            arrow(&mut doc, (sx(b), by), (sx(a), ay));
        }
        for (v, cy, filled, class) in [
            (row.before, by, false, "before"),
            (row.after, ay, true, "after"),
        ] {
            if let Some(v) = finite(v) {
                doc.open_group(&[
                    ("data-row", i.to_string()),
                    ("data-value", format!("{v:.4}")),
                ]);
                marker(&mut doc, sx(v), cy, filled, class);
                doc.close_group();
            }
        }
        let baseline = mid + SMALL_SIZE * 0.36;
        let font = Font {
            fill: INK,
            ..Font::small().anchor("end")
        };
        doc.text(
            plot_x1 + 16.0 + value_w,
            baseline,
            &value_text(row),
            font,
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
    let desc = summary(chart, dec, loc);
    doc.finish(plot_y1 + 24.0 + MARGIN, &chart.meta.title, &desc)
}

/// The legend: a hollow marker for before, a filled one for after (with whiskers when
/// there are intervals).
fn legend_entries(chart: &PrePostChart, has_ci: bool) -> [(Swatch, String); 2] {
    [
        (
            Swatch::Marker {
                filled: false,
                whisker: has_ci,
            },
            chart.before_label.clone(),
        ),
        (
            Swatch::Marker {
                filled: true,
                whisker: has_ci,
            },
            chart.after_label.clone(),
        ),
    ]
}

/// The value axis: the chart's scale when it gives one, else a nice range around every
/// value and interval end; with its tick step.
fn axis_range(chart: &PrePostChart) -> (f64, f64, f64) {
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    let mut values: Vec<f64> = Vec::new();
    for r in &chart.rows {
        values.extend(finite(r.before));
        values.extend(finite(r.after));
        for ci in [r.before_ci, r.after_ci]
            .into_iter()
            .flatten()
            .filter_map(Interval::finite)
        {
            values.extend([ci.low, ci.high]);
        }
    }
    match chart
        .scale
        .and_then(Interval::finite)
        .filter(|s| s.high > s.low)
    {
        Some(s) => (s.low, s.high, nice_step((s.high - s.low) / 5.0)),
        None => nice_range(&values),
    }
}

/// A line with an arrowhead from `from` to `to`, stopping short of both markers; nothing
/// if the markers (almost) touch.
fn arrow(doc: &mut Doc, from: (f64, f64), to: (f64, f64)) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = dx.hypot(dy);
    let gap = 8.0;
    if len < 2.0 * gap + 6.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let start = (from.0 + ux * gap, from.1 + uy * gap);
    let tip = (to.0 - ux * gap, to.1 - uy * gap);
    let base = (tip.0 - ux * 7.0, tip.1 - uy * 7.0);
    let mut a = line(start.0, start.1, base.0, base.1, INK_SOFT, 1.8);
    a.push(("class", "change".to_owned()));
    doc.elem("line", &a);
    let (px, py) = (-uy * 3.5, ux * 3.5);
    let d = format!(
        "M{} {}L{} {}L{} {}Z",
        num(tip.0),
        num(tip.1),
        num(base.0 + px),
        num(base.1 + py),
        num(base.0 - px),
        num(base.1 - py)
    );
    doc.elem(
        "path",
        &[
            ("class", "arrowhead".to_owned()),
            ("d", d),
            ("fill", INK_SOFT.to_owned()),
        ],
    );
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

/// A "nice" step (1, 2, 2.5 or 5 × 10^k) at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag)
}

/// Axis from rounded-out data extremes with about five steps.
fn nice_range(values: &[f64]) -> (f64, f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if max > min {
        max - min
    } else {
        min.abs().max(1.0)
    };
    let step = nice_step(span / 5.0);
    let mut lo = (min / step).floor() * step;
    let mut hi = (max / step).ceil() * step;
    if hi <= lo {
        lo -= step;
        hi += step;
    }
    (lo, hi, step)
}

fn summary(chart: &PrePostChart, dec: usize, loc: Locale) -> String {
    let mut s = match loc {
        Locale::Cs => format!("Bodový graf hodnot před a po, {} řádků.", chart.rows.len()),
        Locale::En => format!(
            "Dot plot of values before and after, {} rows.",
            chart.rows.len()
        ),
    };
    let (b_label, a_label) = (chart.before_label.trim(), chart.after_label.trim());
    for r in &chart.rows {
        let f = |v: Option<f64>| v.filter(|x| x.is_finite());
        let show = |v: Option<f64>| f(v).map_or("–".to_owned(), |x| fmt_num(x, dec, loc));
        let mut part = format!(
            " {}: {b_label} {}, {a_label} {}",
            r.label.trim(),
            show(r.before),
            show(r.after)
        );
        let mut extra = Vec::new();
        if let (Some(b), Some(a)) = (f(r.before), f(r.after)) {
            let d = fmt_num(a - b, dec, loc);
            let d = if a - b > 0.0 && !d.starts_with('-') {
                format!("+{d}")
            } else {
                d
            };
            extra.push(match loc {
                Locale::Cs => format!("změna {d}"),
                Locale::En => format!("change {d}"),
            });
        }
        if let Some(n) = r.n {
            extra.push(format!("n = {n}"));
        }
        if !extra.is_empty() {
            part.push_str(&format!(" ({})", extra.join(", ")));
        }
        part.push('.');
        s.push_str(&part);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_and_ranges() {
        assert_eq!(nice_step(0.8), 1.0);
        assert_eq!(nice_step(1.7), 2.0);
        assert_eq!(nice_step(0.22), 0.25);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_range(&[2.3, 4.1]), (2.0, 4.5, 0.5));
        let (lo, hi, _) = nice_range(&[3.0]);
        assert!(lo < 3.0 && hi > 3.0);
    }
}
