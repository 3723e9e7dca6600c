//! The parts of a chart around the data: title block, legend, marker shapes, label-column
//! sizing, colour helpers (mixing, WCAG luminance, text colour for a background) and the
//! small "no data" chart shown for empty input.

use super::svg::{Doc, Font, INK, INK_SOFT, LABEL_LINE, LABEL_SIZE, MARGIN, SMALL_SIZE, num};
use super::text::{text_width, truncate, wrap};
use super::{ChartMeta, no_data_text};

impl Doc {
    /// Draws the title (bold, wrapped) and optional subtitle; returns the y below them.
    pub(crate) fn header(&mut self, meta: &ChartMeta) -> f64 {
        let max = self.width - 2.0 * MARGIN;
        let mut y = MARGIN;
        let title = wrap(&meta.title, 16.0, max * 0.92, 2);
        let title_font = Font {
            size: 16.0,
            bold: true,
            ..Font::label()
        };
        let lines: Vec<(f64, String)> = title
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (y + 14.0 + i as f64 * 20.0, l.clone()))
            .collect();
        if !meta.title.trim().is_empty() {
            let tip = title.truncated.then_some(meta.title.as_str());
            self.lines(MARGIN, &lines, title_font, "title", tip);
            y += 20.0 * lines.len() as f64;
        }
        if let Some(sub) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            let w = wrap(sub, 12.5, max, 2);
            let font = Font {
                size: 12.5,
                ..Font::small()
            };
            let lines: Vec<(f64, String)> = w
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| (y + 13.0 + i as f64 * 16.0, l.clone()))
                .collect();
            self.lines(MARGIN, &lines, font, "subtitle", w.truncated.then_some(sub));
            y += 16.0 * lines.len() as f64 + 2.0;
        }
        y + 8.0
    }

    /// Draws a legend flowing left to right, wrapping onto new rows; returns its height.
    pub(crate) fn legend(&mut self, entries: &[(Swatch, String)], y: f64) -> f64 {
        let x0 = MARGIN;
        let max_x = self.width - MARGIN;
        let row_h = 20.0;
        let (mut x, mut row) = (x0, 0.0);
        self.open_group(&[("class", "legend".to_owned())]);
        for (swatch, label) in entries {
            let sw = match swatch {
                Swatch::Marker { whisker: true, .. } => 28.0,
                _ => 16.0,
            };
            let label = truncate(label, SMALL_SIZE, max_x - x0 - sw - 6.0);
            let w = sw + 6.0 + text_width(&label, SMALL_SIZE, false);
            if x > x0 && x + w > max_x {
                x = x0;
                row += 1.0;
            }
            let cy = y + row * row_h + row_h / 2.0;
            self.swatch(swatch, x, cy, sw);
            let font = Font {
                fill: INK,
                ..Font::small()
            };
            self.text(x + sw + 6.0, cy + SMALL_SIZE * 0.36, &label, font, "");
            x += w + 18.0;
        }
        self.close_group();
        if entries.is_empty() {
            0.0
        } else {
            (row + 1.0) * row_h
        }
    }

    fn swatch(&mut self, swatch: &Swatch, x: f64, cy: f64, size: f64) {
        match swatch {
            Swatch::Fill(fill) => self.elem(
                "rect",
                &[
                    ("x", num(x)),
                    ("y", num(cy - size / 2.0 + 2.0)),
                    ("width", num(size)),
                    ("height", num(size - 4.0)),
                    ("fill", fill.clone()),
                    ("stroke", "#666666".to_owned()),
                    ("stroke-width", "0.6".to_owned()),
                ],
            ),
            Swatch::Marker { filled, whisker } => {
                if *whisker {
                    let mut a = vec![
                        ("x1", num(x)),
                        ("y1", num(cy)),
                        ("x2", num(x + size)),
                        ("y2", num(cy)),
                        ("stroke", INK_SOFT.to_owned()),
                        ("stroke-width", "1.4".to_owned()),
                    ];
                    if !*filled {
                        a.push(("stroke-dasharray", "3 2".to_owned()));
                    }
                    self.elem("line", &a);
                }
                marker(self, x + size / 2.0, cy, *filled, "");
            }
        }
    }
}

/// How many lines (1–3) [`Doc::label`] uses for `text` in `max_width` at `size`.
pub(crate) fn label_line_count(text: &str, size: f64, max_width: f64) -> usize {
    wrap(text, size, max_width, 3).lines.len()
}

/// Height of a row holding a label of `lines` lines, at least `min`.
pub(crate) fn row_height(lines: usize, min: f64) -> f64 {
    (lines as f64 * LABEL_LINE + 12.0).max(min)
}

/// Width of the label column: the widest single-line label, limited to `max_share` of the
/// chart width and at least 60 px.
pub(crate) fn label_column<'a>(
    labels: impl Iterator<Item = &'a str>,
    width: f64,
    max_share: f64,
) -> f64 {
    let widest = labels
        .map(|l| text_width(l.trim(), LABEL_SIZE, false))
        .fold(0.0, f64::max);
    widest.min(width * max_share).max(60.0).ceil()
}

/// A legend swatch.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A box with this fill (colour or `url(#…)`).
    Fill(String),
    /// The before/after marker: hollow or filled circle, with its whisker style (dashed
    /// for hollow, solid for filled) if the chart has confidence intervals.
    Marker { filled: bool, whisker: bool },
}

/// Writes a before/after marker: a hollow (white-filled) or a filled dark circle.
pub(crate) fn marker(doc: &mut Doc, cx: f64, cy: f64, filled: bool, class: &str) {
    let mut a = vec![
        ("cx", num(cx)),
        ("cy", num(cy)),
        ("r", "5.5".to_owned()),
        ("fill", if filled { INK } else { "#ffffff" }.to_owned()),
        ("stroke", INK.to_owned()),
        ("stroke-width", "2".to_owned()),
    ];
    if !class.is_empty() {
        a.push(("class", class.to_owned()));
    }
    doc.elem("circle", &a);
}

/// Parses `#rrggbb`.
fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .map_or(0.0, f64::from)
    };
    [c(0), c(2), c(4)]
}

/// Linear mix of two `#rrggbb` colours (t = 0 gives `a`).
pub(crate) fn mix(a: &str, b: &str, t: f64) -> String {
    let (a, b) = (rgb(a), rgb(b));
    let m = |i: usize| (a[i] + (b[i] - a[i]) * t).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", m(0), m(1), m(2))
}

/// Relative luminance (WCAG) of `#rrggbb`, 0 (black) to 1 (white).
pub(crate) fn luminance(hex: &str) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(hex);
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Text colour with the better contrast on `background`.
pub(crate) fn ink_on(background: &str) -> &'static str {
    if luminance(background) < 0.2 {
        "#ffffff"
    } else {
        INK
    }
}

/// The small chart shown instead of an empty one: title plus a framed "no data" note.
pub(crate) fn no_data(meta: &ChartMeta, kind: &str) -> String {
    let mut doc = Doc::new(meta, kind);
    let y = doc.header(meta);
    let (w, h) = (doc.width - 2.0 * MARGIN, 56.0);
    doc.elem(
        "rect",
        &[
            ("class", "no-data".to_owned()),
            ("x", num(MARGIN)),
            ("y", num(y)),
            ("width", num(w)),
            ("height", num(h)),
            ("fill", "#f4f4f4".to_owned()),
            ("stroke", "#9a9a9a".to_owned()),
            ("stroke-dasharray", "4 3".to_owned()),
        ],
    );
    let text = no_data_text(meta.locale);
    let font = Font::label().anchor("middle");
    doc.text(doc.width / 2.0, y + h / 2.0 + 4.5, text, font, "no-data");
    doc.finish(y + h + MARGIN, &meta.title, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(mix("#000000", "#ffffff", 0.5), "#808080");
        assert!(luminance("#ffffff") > 0.99 && luminance("#000000") < 0.01);
        assert_eq!(ink_on("#111111"), "#ffffff");
        assert_eq!(ink_on("#eeeeee"), INK);
    }
}
