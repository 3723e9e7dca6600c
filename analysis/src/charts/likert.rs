//! Diverging stacked bars for Likert items: one bar per item, one segment per scale level.
//!
//! Levels are given most negative first. With an odd number of levels the middle one is
//! neutral and is split evenly across the centre line; with an even number there is no
//! neutral level and the centre line separates the two halves. Negative levels lie left of
//! the centre, positive ones right. Each side of the axis reaches the longest bar on that
//! side rounded up to a whole step (10 %, or 20 % when both sides together exceed 100 %),
//! at least one step, so no room is wasted on a side with few answers.
//!
//! Black and white: fills are lightness ramps (dark = strong), negative levels are hatched
//! as well, the neutral level is plain grey, and each segment at least as wide as its label
//! is labelled with its rounded percentage (text keeps a halo in the segment's colour).
//! Segments of 0 % are not drawn. Each item shows its n on the right.
//!
//! Withheld counts (small-cell suppression) are never drawn as 0: their answers together
//! form a grey cross-hatched "hidden" segment after the bar, and every percentage is of
//! all the item's answers, the hidden ones included, so a level with a hidden count does
//! not look empty and the shown levels are not inflated.
//!
//! Every segment is a `<rect class="seg">` with `data-item`, `data-level` and `data-pct`;
//! the centre line is `<line class="centre">`.

use serde::{Deserialize, Serialize};

use super::frame::{Swatch, ink_on, label_column, label_line_count, mix, no_data, row_height};
use super::svg::{Doc, Font, GRID, INK, LABEL_SIZE, MARGIN, SMALL_SIZE, chart_width, num};
use super::text::text_width;
use super::{ChartMeta, Locale, fmt_pct};

/// Input of [`likert_svg`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LikertChart {
    /// Title, width, language.
    pub meta: ChartMeta,
    /// Labels of the scale levels, most negative first (e.g. "rozhodně nesouhlasím" …
    /// "rozhodně souhlasím"). "Don't know" and missing answers are not levels: leave them out.
    pub levels: Vec<String>,
    /// One bar per item, drawn top to bottom in this order.
    pub items: Vec<LikertItem>,
}

/// One Likert item: its label and the number of answers per level.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LikertItem {
    /// Item label, e.g. "Spokojenost s kurzem".
    pub label: String,
    /// Answers per level, in the order of [`LikertChart::levels`]; missing entries count as
    /// 0 and extra entries are ignored; a withheld count is 0 here and counted in `hidden`.
    pub counts: Vec<u64>,
    /// Answers in withheld counts, whatever their level. Percentages are of the counts
    /// plus these (the item's n).
    #[serde(default)]
    pub hidden: u64,
}

const NEG_DARK: &str = "#7a4508";
const NEG_LIGHT: &str = "#f0d9a8";
const POS_LIGHT: &str = "#bfe3dd";
const POS_DARK: &str = "#00564f";
const NEUTRAL: &str = "#bdbdbd";
const HIDDEN: &str = "#e4e4e4";
/// Gap between a bar and its hidden segment.
const HIDDEN_GAP: f64 = 3.0;
/// Font size of the percentages on segments.
const PCT_SIZE: f64 = 10.5;

/// Renders a diverging stacked bar chart; see the module doc for the layout.
pub fn likert_svg(chart: &LikertChart) -> String {
    let k = chart.levels.len();
    if k == 0 || chart.items.is_empty() {
        return no_data(&chart.meta, "likert");
    }
    let loc = chart.meta.locale;
    let neutral = (k % 2 == 1).then_some(k / 2);
    let half = k / 2; // levels strictly left of the centre (or of the neutral level)
    let fills = palette(k);

    let mut doc = Doc::new(&chart.meta, "likert");
    let width = chart_width(&chart.meta);
    let fill_refs = hatched_fills(&mut doc, &fills, half);

    let any_hidden = chart.items.iter().any(|i| i.hidden > 0);
    let hidden_fill = if any_hidden {
        hidden_pattern(&mut doc)
    } else {
        String::new()
    };

    let mut y = doc.header(&chart.meta);
    let mut entries: Vec<(Swatch, String)> = chart
        .levels
        .iter()
        .zip(&fill_refs)
        .map(|(l, f)| (Swatch::Fill(f.clone()), l.clone()))
        .collect();
    if any_hidden {
        entries.push((
            Swatch::Fill(hidden_fill.clone()),
            hidden_label(loc).to_owned(),
        ));
    }
    y += doc.legend(&entries, y) + 10.0;

    let rows = percentages(chart);
    // Extent of the bars left and right of the centre; each side of the axis is rounded
    // up to whole steps on its own, so the plot is not wasted on an empty side.
    let side = |p: &Vec<f64>, right: bool| {
        let mid = neutral.map_or(0.0, |m| p[m] / 2.0);
        let outer = if right { &p[k - half..k] } else { &p[..half] };
        outer.iter().sum::<f64>() + mid + if right { p[k] } else { 0.0 }
    };
    let max_left = rows.iter().map(|(_, p)| side(p, false)).fold(0.0, f64::max);
    let max_right = rows.iter().map(|(_, p)| side(p, true)).fold(0.0, f64::max);
    let step = if max_left + max_right <= 100.0 {
        10.0
    } else {
        20.0
    };
    let round = |x: f64| ((x - 1e-9) / step).ceil().clamp(1.0, 100.0 / step) * step;
    let (dom_left, dom_right) = (round(max_left), round(max_right));

    let n_text = |n: u64| format!("n = {n}");
    let n_w = rows
        .iter()
        .map(|(n, _)| text_width(&n_text(*n), SMALL_SIZE, false))
        .fold(0.0, f64::max);
    let label_w = label_column(chart.items.iter().map(|i| i.label.as_str()), width, 0.34);
    let plot_x0 = MARGIN + label_w + 12.0;
    let plot_x1 = width - MARGIN - n_w - 10.0;
    let px = (plot_x1 - plot_x0) / (dom_left + dom_right);
    let cx = plot_x0 + dom_left * px;

    let heights: Vec<f64> = chart
        .items
        .iter()
        .map(|i| row_height(label_line_count(&i.label, LABEL_SIZE, label_w), 32.0))
        .collect();
    let plot_y0 = y;
    let plot_y1 = y + heights.iter().sum::<f64>();

    // Grid and ticks; tick labels thinned out so they never touch.
    let widest = dom_left.max(dom_right);
    let tick_w = text_width(&fmt_pct(widest, 0, loc), SMALL_SIZE, false) + 8.0;
    let every = (tick_w / (step * px)).ceil().max(1.0) as i64;
    let (first, last) = (
        -(dom_left / step).round() as i64,
        (dom_right / step).round() as i64,
    );
    for i in first..=last {
        let t = i as f64 * step;
        let x = cx + t * px;
        doc.elem("line", &line(x, plot_y0, x, plot_y1, GRID, 1.0));
        if i % every == 0 {
            let label = fmt_pct(t.abs(), 0, loc);
            let font = Font::small().anchor("middle");
            doc.text(x, plot_y1 + 15.0, &label, font, "tick");
        }
    }

    // The centre line runs under the bars (it shows between them and past both ends), so
    // it never crosses a percentage label.
    let centre = line(cx, plot_y0 - 4.0, cx, plot_y1 + 4.0, INK, 1.5);
    doc.elem(
        "line",
        &[centre, vec![("class", "centre".to_owned())]].concat(),
    );

    let bars = Bars {
        k,
        half,
        neutral,
        cx,
        px,
        fills: &fills,
        fill_refs: &fill_refs,
        hidden_fill: &hidden_fill,
        loc,
    };
    for (i, (item, (n, pct))) in chart.items.iter().zip(&rows).enumerate() {
        let h = heights[i];
        let mid = y + h / 2.0;
        doc.label(
            MARGIN,
            mid,
            &item.label,
            label_w,
            Font::label(),
            "item-label",
        );
        let n_font = Font::small().anchor("end");
        doc.text(
            width - MARGIN,
            mid + SMALL_SIZE * 0.36,
            &n_text(*n),
            n_font,
            "n",
        );
        bars.draw(&mut doc, i, pct, mid);
        y += h;
    }

    let desc = summary(chart, &rows, loc);
    doc.finish(plot_y1 + 24.0 + MARGIN, &chart.meta.title, &desc)
}

/// The fills of the levels, the negative ones (left of the centre) hatched as well, so
/// the chart reads in black and white.
fn hatched_fills(doc: &mut Doc, fills: &[String], half: usize) -> Vec<String> {
    let mut fill_refs = fills.to_vec();
    for (j, base) in fills.iter().enumerate().take(half) {
        let id = doc.id(&format!("hatch{j}"));
        let stroke = if ink_on(base) == INK {
            mix(base, "#000000", 0.45)
        } else {
            mix(base, "#ffffff", 0.45)
        };
        let inner = format!(
            "<rect width=\"6\" height=\"6\" fill=\"{base}\"/>\
             <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{stroke}\" stroke-width=\"1.6\"/>"
        );
        let attrs = [
            ("id", id.clone()),
            ("patternUnits", "userSpaceOnUse".to_owned()),
            ("width", "6".to_owned()),
            ("height", "6".to_owned()),
            ("patternTransform", "rotate(45)".to_owned()),
        ];
        doc.def("pattern", &attrs, &inner);
        fill_refs[j] = format!("url(#{id})");
    }
    fill_refs
}

/// The grey cross-hatched fill of withheld counts.
fn hidden_pattern(doc: &mut Doc) -> String {
    let id = doc.id("hidden");
    let inner = format!(
        "<rect width=\"6\" height=\"6\" fill=\"{HIDDEN}\"/>\
         <path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#6b6b6b\" stroke-width=\"1\"/>"
    );
    let attrs = [
        ("id", id.clone()),
        ("patternUnits", "userSpaceOnUse".to_owned()),
        ("width", "6".to_owned()),
        ("height", "6".to_owned()),
    ];
    doc.def("pattern", &attrs, &inner);
    format!("url(#{id})")
}

/// Percentages per item, of all its answers (the hidden ones included); the hidden share
/// is the last entry. With each item's n.
fn percentages(chart: &LikertChart) -> Vec<(u64, Vec<f64>)> {
    let k = chart.levels.len();
    chart
        .items
        .iter()
        .map(|item| {
            let mut counts: Vec<u64> = (0..k)
                .map(|j| item.counts.get(j).copied().unwrap_or(0))
                .collect();
            counts.push(item.hidden);
            let n = counts.iter().fold(0u64, |a, &c| a.saturating_add(c));
            let pct = counts
                .iter()
                .map(|&c| {
                    if n == 0 {
                        0.0
                    } else {
                        100.0 * c as f64 / n as f64
                    }
                })
                .collect();
            (n, pct)
        })
        .collect()
}

/// How the bars are laid out: the levels, the centre line and the scale, the fills.
struct Bars<'a> {
    k: usize,
    /// Levels strictly left of the centre (or of the neutral level).
    half: usize,
    neutral: Option<usize>,
    /// The centre line's x, and pixels per percentage point.
    cx: f64,
    px: f64,
    fills: &'a [String],
    fill_refs: &'a [String],
    hidden_fill: &'a str,
    loc: Locale,
}

impl Bars<'_> {
    /// Item `item`'s bar around the centre, its segments labelled where they fit, and
    /// its hidden segment after it.
    fn draw(&self, doc: &mut Doc, item: usize, pct: &[f64], mid: f64) {
        let Bars {
            k,
            half,
            neutral,
            cx,
            px,
            fills,
            fill_refs,
            hidden_fill,
            loc,
        } = *self;
        let (bar_h, top) = (20.0, mid - 10.0);
        let left: f64 = pct[..half].iter().sum::<f64>() + neutral.map_or(0.0, |m| pct[m] / 2.0);
        let mut x = cx - left * px;
        for (j, &p) in pct[..k].iter().enumerate() {
            if p <= 0.0 {
                continue;
            }
            let w = p * px;
            doc.elem(
                "rect",
                &[
                    ("class", "seg".to_owned()),
                    ("data-item", item.to_string()),
                    ("data-level", j.to_string()),
                    ("data-pct", format!("{p:.2}")),
                    ("x", num(x)),
                    ("y", num(top)),
                    ("width", num(w)),
                    ("height", num(bar_h)),
                    ("fill", fill_refs[j].clone()),
                    ("stroke", "#ffffff".to_owned()),
                    ("stroke-width", "0.8".to_owned()),
                ],
            );
            let text = fmt_pct(p.round(), 0, loc);
            if text_width(&text, PCT_SIZE, false) + 4.0 <= w {
                let font = Font {
                    fill: ink_on(&fills[j]),
                    halo: (j < half).then_some(fills[j].as_str()),
                    size: PCT_SIZE,
                    ..Font::small().anchor("middle")
                };
                doc.text(x + w / 2.0, mid + PCT_SIZE * 0.36, &text, font, "pct");
            }
            x += w;
        }
        if pct[k] > 0.0 {
            let w = pct[k] * px;
            let x = x + HIDDEN_GAP;
            doc.elem(
                "rect",
                &[
                    ("class", "seg hidden".to_owned()),
                    ("data-item", item.to_string()),
                    ("data-level", "hidden".to_owned()),
                    ("data-pct", format!("{:.2}", pct[k])),
                    ("x", num(x)),
                    ("y", num(top)),
                    ("width", num(w)),
                    ("height", num(bar_h)),
                    ("fill", hidden_fill.to_owned()),
                    ("stroke", "#6b6b6b".to_owned()),
                    ("stroke-width", "0.8".to_owned()),
                ],
            );
            let text = fmt_pct(pct[k].round(), 0, loc);
            if text_width(&text, PCT_SIZE, false) + 4.0 <= w {
                let font = Font {
                    halo: Some(HIDDEN),
                    size: PCT_SIZE,
                    ..Font::small().anchor("middle")
                };
                doc.text(x + w / 2.0, mid + PCT_SIZE * 0.36, &text, font, "pct");
            }
        }
    }
}

/// The legend's name for withheld counts.
fn hidden_label(loc: Locale) -> &'static str {
    match loc {
        Locale::Cs => "skryté počty (úroveň neuvedena)",
        Locale::En => "hidden counts (level not shown)",
    }
}

/// Attributes of a line.
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

/// Fill colours for `k` levels: dark-to-light browns, grey for a neutral middle, light-to-
/// dark teals. Outer levels are darkest, so lightness alone orders each half.
fn palette(k: usize) -> Vec<String> {
    let half = k / 2;
    let ramp = |dark: &str, light: &str, i: usize| {
        let t = if half <= 1 {
            0.35
        } else {
            i as f64 / (half - 1) as f64
        };
        mix(dark, light, t)
    };
    (0..k)
        .map(|j| {
            if j < half {
                ramp(NEG_DARK, NEG_LIGHT, j)
            } else if j >= k - half {
                ramp(POS_DARK, POS_LIGHT, k - 1 - j)
            } else {
                NEUTRAL.to_owned()
            }
        })
        .collect()
}

fn summary(chart: &LikertChart, rows: &[(u64, Vec<f64>)], loc: Locale) -> String {
    let mut s = match loc {
        Locale::Cs => format!(
            "Skládaný pruhový graf rozdělený kolem středu škály: {} položek, {} úrovní škály \
             (záporné vlevo, kladné vpravo).",
            chart.items.len(),
            chart.levels.len()
        ),
        Locale::En => format!(
            "Diverging stacked bar chart: {} items, {} scale levels (negative left, positive right).",
            chart.items.len(),
            chart.levels.len()
        ),
    };
    for (item, (n, pct)) in chart.items.iter().zip(rows) {
        let mut parts: Vec<String> = chart
            .levels
            .iter()
            .zip(pct)
            .map(|(l, p)| format!("{} {}", l.trim(), fmt_pct(p.round(), 0, loc)))
            .collect();
        if item.hidden > 0 {
            parts.push(format!(
                "{} {}",
                hidden_label(loc),
                fmt_pct(pct[chart.levels.len()].round(), 0, loc)
            ));
        }
        s.push_str(&format!(
            " {} (n = {n}): {}.",
            item.label.trim(),
            parts.join(", ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_counts_are_a_hatched_segment_and_percentages_are_of_all_answers() {
        let chart = LikertChart {
            meta: ChartMeta::new("Likert", 720, Locale::En),
            levels: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
            items: vec![LikertItem {
                label: "Item".into(),
                // 20 shown answers, 5 hidden ones (e.g. "<5" and "x" of levels a and b).
                counts: vec![0, 0, 10, 6, 4],
                hidden: 5,
            }],
        };
        let svg = likert_svg(&chart);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let segs: Vec<(String, f64)> = doc
            .descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("seg")))
            .map(|n| {
                (
                    n.attribute("data-level").unwrap().to_string(),
                    n.attribute("data-pct").unwrap().parse().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            segs,
            [
                ("2".to_string(), 40.0),
                ("3".to_string(), 24.0),
                ("4".to_string(), 16.0),
                ("hidden".to_string(), 20.0)
            ]
        );
        assert!(
            svg.contains("hidden counts"),
            "in the legend and description"
        );
        let without = LikertChart {
            items: vec![LikertItem {
                hidden: 0,
                ..chart.items[0].clone()
            }],
            ..chart.clone()
        };
        assert!(!likert_svg(&without).contains("class=\"seg hidden\""));
    }

    #[test]
    fn palette_is_symmetric_in_lightness_order() {
        use super::super::frame::luminance;
        let p = palette(5);
        assert_eq!(p[2], NEUTRAL);
        assert!(luminance(&p[0]) < luminance(&p[1]));
        assert!(luminance(&p[4]) < luminance(&p[3]));
        let p = palette(4);
        assert_eq!(p.len(), 4);
        assert!(!p.contains(&NEUTRAL.to_owned()));
        assert_eq!(palette(3).len(), 3);
    }
}
