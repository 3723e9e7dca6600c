//! Report charts as SVG strings, and PNG bytes rendered from that SVG.
//!
//! Every chart is a pure function: a serde-friendly input struct with already-translated
//! labels and numbers goes in, a self-contained SVG document comes out. The SVG is meant to
//! be inlined in HTML reports (Czech and English) and the staff report page; [`to_png`]
//! rasterises it with `resvg` and the embedded DejaVu Sans font for Word reports.
//!
//! Charts: [`likert_svg`] (diverging stacked bars), [`proportions_svg`] (proportions with
//! 95 % confidence intervals), [`prepost_svg`] (before/after dot plot) and
//! [`timeline_svg`] (responses per day or week with a cumulative line).
//!
//! Conventions shared by all charts:
//! - Accessibility: the root element has `role="img"` and `aria-labelledby` pointing at a
//!   `<title>` (the caller's title) and a `<desc>` (a generated plain-text summary of the
//!   data in the chart's [`Locale`]). Title 16 px bold, labels 13 px, ticks, legend and
//!   counts 11.5 px, percentages on Likert segments 10.5 px.
//! - Black and white: nothing relies on colour alone. Palettes are lightness ramps, the
//!   negative side of Likert bars is hatched and segments carry direct percentage labels,
//!   before/after use a hollow vs a filled marker, the cumulative line is dark and dashed.
//! - Escaping: every caller string goes through [`escape_xml`] (`& < > " '` become entities,
//!   characters that XML 1.0 forbids are dropped), in text and in attributes alike.
//! - Long labels wrap at word boundaries onto at most three lines; what still does not fit
//!   is truncated with an ellipsis "…", and the full label is kept in a `<title>` tooltip.
//!   Widths are measured with the advance widths of the embedded DejaVu Sans (via `skrifa`),
//!   the same font the SVG asks for first and the PNG renderer uses.
//! - Size: the caller gives the width (clamped to 320–4000 px); the height follows from the
//!   number of rows (and of wrapped label lines). Empty input gives a small "no data" chart.
//! - Non-finite numbers are treated as missing, never as a reason to panic.
//!
//! # Why no `plotters`
//! `plotters` 0.3.7 (with `svg_backend` and without system-font features) was evaluated and
//! does not fit these charts:
//! - Text measurement: without `ttf`/`ab_glyph` it estimates every text as
//!   `0.7 × size / 1.24² × text.len()` with the length in *bytes*, so Czech labels are
//!   mis-measured (each "ř", "ů" counts twice); the `ab_glyph` feature works only through a
//!   process-global font registry (`register_font`) that must be filled before drawing.
//! - Patterns: its SVG backend writes only flat `RGBColor` fills: no `<defs>`, no
//!   `<pattern>`, no `url(#…)` fill, so hatched segments are impossible.
//! - Accessibility: the `<svg>` root is written by the backend with fixed attributes; there
//!   is no way to add `role="img"`, `aria-labelledby`, `<title>` or `<desc>` other than by
//!   patching the output string.
//! - Geometry: the backend works in integer pixels (`BackendCoord = (i32, i32)`), and it has
//!   no diverging-bar or dot-plot series; the bars would be hand-placed rectangles anyway.
//!
//! So the SVG is written directly by a small writer (`svg.rs`, `frame.rs`), while the parts
//! where a well-kept library matters are libraries: font metrics (`skrifa`), SVG parsing and
//! rasterisation (`resvg`/`usvg`/`tiny-skia`), and `roxmltree` for the tests.

mod dates;
mod frame;
mod likert;
mod png;
mod prepost;
mod proportions;
mod svg;
mod text;
mod timeline;

use serde::{Deserialize, Serialize};

pub use likert::{LikertChart, LikertItem, likert_svg};
pub use png::to_png;
pub use prepost::{PrePostChart, PrePostRow, prepost_svg};
pub use proportions::{ProportionChart, ProportionRow, proportions_svg};
pub use text::{escape_xml, text_width};
pub use timeline::{TimeBin, TimelineChart, TimelinePoint, timeline_svg};

/// Language of the generated texts (summary in `<desc>`, "no data", default date labels)
/// and of number formatting (`42 %` and `3,5` in Czech, `42%` and `3.5` in English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Czech.
    #[default]
    Cs,
    /// English.
    En,
}

/// What every chart needs besides its data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartMeta {
    /// Chart title: drawn at the top and used as the SVG `<title>`.
    pub title: String,
    /// Optional second line under the title, e.g. "N = 120, jaro 2025".
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Width in px (CSS px in SVG, pixels in PNG at scale 1); clamped to 320–4000.
    pub width: u32,
    /// Language of generated texts and number format.
    #[serde(default)]
    pub locale: Locale,
}

impl ChartMeta {
    /// Meta with no subtitle.
    pub fn new(title: impl Into<String>, width: u32, locale: Locale) -> Self {
        Self {
            title: title.into(),
            subtitle: None,
            width,
            locale,
        }
    }
}

/// A closed interval, e.g. a 95 % confidence interval, in the unit of the value it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// The interval if both bounds are finite, ordered low ≤ high.
    fn finite(self) -> Option<Self> {
        (self.low.is_finite() && self.high.is_finite()).then(|| Self {
            low: self.low.min(self.high),
            high: self.low.max(self.high),
        })
    }
}

/// Why a chart could not be turned into a PNG.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// `scale` was not a finite number in (0, 10].
    InvalidScale(f32),
    /// The SVG could not be parsed.
    Svg(String),
    /// The scaled image would be empty or larger than 16384 px on a side.
    Size {
        /// Requested width in pixels.
        width: f32,
        /// Requested height in pixels.
        height: f32,
    },
    /// PNG encoding failed.
    Png(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidScale(s) => write!(f, "invalid PNG scale {s}: expected 0 < scale <= 10"),
            Self::Svg(e) => write!(f, "invalid SVG: {e}"),
            Self::Size { width, height } => {
                write!(f, "PNG size {width}x{height} px is empty or too large")
            }
            Self::Png(e) => write!(f, "PNG encoding failed: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

/// Formats a number with `decimals` decimals in the locale's style (decimal comma in Czech).
pub(crate) fn fmt_num(x: f64, decimals: usize, locale: Locale) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let mut s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    match locale {
        Locale::Cs => s.replace('.', ","),
        Locale::En => s,
    }
}

/// Formats a percentage given in 0–100: `42 %` (Czech, no-break space) or `42%` (English).
pub(crate) fn fmt_pct(pct: f64, decimals: usize, locale: Locale) -> String {
    let n = fmt_num(pct, decimals, locale);
    match locale {
        Locale::Cs => format!("{n}\u{a0}%"),
        Locale::En => format!("{n}%"),
    }
}

/// Localised fixed phrases.
pub(crate) fn no_data_text(locale: Locale) -> &'static str {
    match locale {
        Locale::Cs => "Žádná data k zobrazení",
        Locale::En => "No data to display",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_locale() {
        assert_eq!(fmt_num(3.456, 1, Locale::Cs), "3,5");
        assert_eq!(fmt_num(3.456, 1, Locale::En), "3.5");
        assert_eq!(fmt_num(-0.01, 1, Locale::En), "0.0");
        assert_eq!(fmt_pct(42.0, 0, Locale::Cs), "42\u{a0}%");
        assert_eq!(fmt_pct(42.0, 0, Locale::En), "42%");
        assert_eq!(fmt_num(f64::NAN, 1, Locale::En), "–");
    }

    #[test]
    fn interval_orders_and_rejects_nan() {
        let i = Interval {
            low: 2.0,
            high: 1.0,
        }
        .finite()
        .unwrap();
        assert_eq!((i.low, i.high), (1.0, 2.0));
        assert!(
            Interval {
                low: f64::NAN,
                high: 1.0
            }
            .finite()
            .is_none()
        );
    }
}
