//! A small SVG writer shared by the charts: the document frame (`role="img"`, `<title>`,
//! `<desc>`, white background, per-chart unique ids), escaped attributes and text, and
//! multi-line labels. The title block, legend and colours are in `frame.rs`.
//!
//! All caller text passes through [`escape_xml`]; numbers are written with at most two
//! decimals and never as `NaN`.

use std::fmt::Write as _;

use super::ChartMeta;
use super::text::{escape_xml, wrap};

/// Fonts the SVG asks for: the embedded one first, then look-alikes, then generic.
pub(crate) const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";
/// Outer margin in px.
pub(crate) const MARGIN: f64 = 14.0;
/// Label font size in px.
pub(crate) const LABEL_SIZE: f64 = 13.0;
/// Line height of labels in px.
pub(crate) const LABEL_LINE: f64 = 15.0;
/// Font size of ticks, counts and legend in px.
pub(crate) const SMALL_SIZE: f64 = 11.5;
/// Text colour.
pub(crate) const INK: &str = "#1a1a1a";
/// Secondary text colour (still 9:1 contrast on white).
pub(crate) const INK_SOFT: &str = "#4a4a4a";
/// Grid line colour.
pub(crate) const GRID: &str = "#d4d4d4";

/// Placeholder for the per-chart id prefix, see [`Doc::id`].
const ID_MARK: char = '\u{1}';

/// Formats an SVG coordinate: at most two decimals, no trailing zeros, `0` for non-finite.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Chart width from the caller's request, clamped to 320–4000 px.
pub(crate) fn chart_width(meta: &ChartMeta) -> f64 {
    f64::from(meta.width.clamp(320, 4000))
}

/// Text style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font<'a> {
    pub size: f64,
    pub bold: bool,
    pub fill: &'a str,
    /// `start`, `middle` or `end`.
    pub anchor: &'a str,
    /// A halo (stroke painted under the fill) in this colour, to keep text readable on
    /// hatched or dark backgrounds.
    pub halo: Option<&'a str>,
}

impl Font<'static> {
    /// Regular label text, anchored at the start.
    pub(crate) fn label() -> Self {
        Self {
            size: LABEL_SIZE,
            bold: false,
            fill: INK,
            anchor: "start",
            halo: None,
        }
    }

    /// Small text (ticks, counts, legend), anchored at the start.
    pub(crate) fn small() -> Self {
        Self {
            size: SMALL_SIZE,
            fill: INK_SOFT,
            ..Self::label()
        }
    }
}

impl<'a> Font<'a> {
    /// The same style with another anchor.
    pub(crate) fn anchor(self, anchor: &'a str) -> Self {
        Self { anchor, ..self }
    }
}

/// An SVG document being written.
pub(crate) struct Doc {
    body: String,
    defs: String,
    /// Kind of chart, the start of element ids.
    prefix: String,
    /// Width in px.
    pub width: f64,
}

impl Doc {
    /// A new document of `kind` (e.g. "likert"), which starts its element ids.
    pub(crate) fn new(meta: &ChartMeta, kind: &str) -> Self {
        Self {
            body: String::new(),
            defs: String::new(),
            prefix: kind.to_owned(),
            width: chart_width(meta),
        }
    }

    /// A document id made unique per chart: ids are written with the placeholder
    /// [`ID_MARK`] (a control character, so no escaped caller text contains it), which
    /// [`Doc::finish`] replaces by the kind and a hash of the content. Identical charts get
    /// identical ids, different charts inlined in one HTML page do not clash.
    pub(crate) fn id(&self, name: &str) -> String {
        format!("{ID_MARK}-{name}")
    }

    /// Writes `<name attr="value" …/>` with escaped values into the body.
    pub(crate) fn elem(&mut self, name: &str, attrs: &[(&str, String)]) {
        // A rectangle without area draws nothing, and renderers warn about it (a bar of 0).
        let empty = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| *k == key)
                .is_some_and(|(_, v)| v.parse::<f64>().is_ok_and(|x| x <= 0.0))
        };
        if name == "rect" && (empty("width") || empty("height")) {
            return;
        }
        let s = element(name, attrs);
        self.body.push_str(&s);
    }

    /// Writes an element into `<defs>`, with raw (already valid) inner XML.
    pub(crate) fn def(&mut self, name: &str, attrs: &[(&str, String)], inner: &str) {
        let open = element(name, attrs);
        let open = open.trim_end_matches("/>\n");
        let _ = writeln!(self.defs, "{open}>{inner}</{name}>");
    }

    /// Opens a group with the given attributes.
    pub(crate) fn open_group(&mut self, attrs: &[(&str, String)]) {
        let s = element("g", attrs);
        self.body.push_str(s.trim_end_matches("/>\n"));
        self.body.push_str(">\n");
    }

    /// Closes the last group.
    pub(crate) fn close_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// Writes one `<text>` at baseline `y`; `class` is optional.
    pub(crate) fn text(&mut self, x: f64, y: f64, content: &str, font: Font<'_>, class: &str) {
        self.lines(x, &[(y, content.to_owned())], font, class, None);
    }

    /// Writes one `<text>` with one `<tspan>` per line at the given baselines; with a
    /// tooltip the text is wrapped in a group whose `<title>` holds the full label.
    pub(crate) fn lines(
        &mut self,
        x: f64,
        lines: &[(f64, String)],
        font: Font<'_>,
        class: &str,
        tooltip: Option<&str>,
    ) {
        if let Some(tip) = tooltip {
            let _ = write!(self.body, "<g><title>{}</title>", escape_xml(tip));
        }
        let mut attrs = vec![
            ("x", num(x)),
            ("font-size", num(font.size)),
            ("fill", font.fill.to_owned()),
        ];
        if !class.is_empty() {
            attrs.push(("class", class.to_owned()));
        }
        if font.anchor != "start" {
            attrs.push(("text-anchor", font.anchor.to_owned()));
        }
        if font.bold {
            attrs.push(("font-weight", "bold".to_owned()));
        }
        if let Some(halo) = font.halo {
            attrs.push(("stroke", halo.to_owned()));
            attrs.push(("stroke-width", "3".to_owned()));
            attrs.push(("stroke-linejoin", "round".to_owned()));
            attrs.push(("paint-order", "stroke".to_owned()));
        }
        if let [(y, line)] = lines {
            attrs.push(("y", num(*y)));
            let open = element("text", &attrs);
            let _ = write!(
                self.body,
                "{}>{}</text>",
                open.trim_end_matches("/>\n"),
                escape_xml(line)
            );
        } else {
            let open = element("text", &attrs);
            self.body.push_str(open.trim_end_matches("/>\n"));
            self.body.push('>');
            for (y, line) in lines {
                let _ = write!(
                    self.body,
                    "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                    num(x),
                    num(*y),
                    escape_xml(line)
                );
            }
            self.body.push_str("</text>");
        }
        if tooltip.is_some() {
            self.body.push_str("</g>");
        }
        self.body.push('\n');
    }

    /// Writes a label wrapped into at most `max_lines` lines of `max_width`, vertically
    /// centred on `y_mid`; [`label_line_count`](super::frame::label_line_count) tells how many lines it takes.
    pub(crate) fn label(
        &mut self,
        x: f64,
        y_mid: f64,
        text: &str,
        max_width: f64,
        font: Font<'_>,
        class: &str,
    ) {
        let w = wrap(text, font.size, max_width, 3);
        let n = w.lines.len() as f64;
        let first = y_mid - (n - 1.0) * LABEL_LINE / 2.0 + font.size * 0.36;
        let lines: Vec<(f64, String)> = w
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (first + i as f64 * LABEL_LINE, l))
            .collect();
        let tip = w.truncated.then_some(text);
        self.lines(x, &lines, font, class, tip);
    }

    /// Writes the finished document with the given height.
    pub(crate) fn finish(mut self, height: f64, title: &str, desc: &str) -> String {
        // FNV-1a over everything drawn, enough to tell charts on one page apart.
        let hash = [
            self.defs.as_bytes(),
            self.body.as_bytes(),
            title.as_bytes(),
            desc.as_bytes(),
        ]
        .concat()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        self.prefix = format!("{}-{:08x}", self.prefix, hash as u32);
        let mut mark = [0; 4];
        let mark = ID_MARK.encode_utf8(&mut mark);
        self.body = self.body.replace(&*mark, &self.prefix);
        self.defs = self.defs.replace(&*mark, &self.prefix);
        let (w, h) = (num(self.width), num(height.ceil()));
        let mut out = String::with_capacity(self.body.len() + self.defs.len() + 1024);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{p}-title {p}-desc\" \
             font-family=\"{f}\">",
            p = self.prefix,
            f = escape_xml(FONT_FAMILY),
        );
        let _ = writeln!(
            out,
            "<title id=\"{}-title\">{}</title>",
            self.prefix,
            escape_xml(title)
        );
        let _ = writeln!(
            out,
            "<desc id=\"{}-desc\">{}</desc>",
            self.prefix,
            escape_xml(desc)
        );
        if !self.defs.is_empty() {
            let _ = writeln!(out, "<defs>\n{}</defs>", self.defs);
        }
        let _ = writeln!(
            out,
            "<rect class=\"background\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>"
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

fn element(name: &str, attrs: &[(&str, String)]) -> String {
    let mut s = format!("<{name}");
    for (k, v) in attrs {
        // Escaped, except that id placeholders survive (they become `[a-z0-9-]` later).
        let escaped: Vec<String> = v.split(ID_MARK).map(escape_xml).collect();
        let _ = write!(
            s,
            " {k}=\"{}\"",
            escaped.join(ID_MARK.encode_utf8(&mut [0; 4]))
        );
    }
    s.push_str("/>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact_and_finite() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }
}
