//! Text for charts: the embedded DejaVu Sans font, width measurement with its advance
//! widths (`skrifa`), XML escaping, and wrapping of long labels (at most a few lines, then
//! truncation with an ellipsis "…").

use skrifa::prelude::{FontRef, LocationRef, MetadataProvider, Size};

/// DejaVu Sans regular, embedded so that measurement and PNG rendering need no system fonts.
pub(crate) static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans bold (chart titles).
pub(crate) static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The ellipsis that ends truncated labels.
pub(crate) const ELLIPSIS: char = '…';

/// Width in px of `text` set in DejaVu Sans at `font_size` px (`bold` for DejaVu Sans Bold).
///
/// Sums the font's advance widths (no kerning, so it errs slightly wide). Characters the
/// font lacks count as 0.6 em.
pub fn text_width(text: &str, font_size: f64, bold: bool) -> f64 {
    let data = if bold { FONT_BOLD } else { FONT_REGULAR };
    let fallback = 0.6 * font_size;
    let Ok(font) = FontRef::new(data) else {
        return fallback * text.chars().count() as f64;
    };
    let metrics = font.glyph_metrics(Size::new(font_size as f32), LocationRef::default());
    let charmap = font.charmap();
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(fallback, f64::from)
        })
        .sum()
}

/// Escapes `s` for XML text and attribute values: `& < > " '` become entities, and
/// characters not allowed in XML 1.0 (C0 controls other than tab, newline and carriage
/// return; U+FFFE, U+FFFF) are dropped.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A label laid out onto lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wrapped {
    /// The lines to draw.
    pub lines: Vec<String>,
    /// Whether text was cut (then the full label goes into a tooltip).
    pub truncated: bool,
}

/// Wraps `text` at spaces into lines no wider than `max_width` px at `font_size`, at most
/// `max_lines` lines; the last line is truncated with "…" if text remains. A single word
/// wider than a line is cut with "…" too. Whitespace runs collapse to one space.
pub(crate) fn wrap(text: &str, font_size: f64, max_width: f64, max_lines: usize) -> Wrapped {
    let max_lines = max_lines.max(1);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut current = String::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, font_size, false) <= max_width {
            current = candidate;
            i += 1;
            continue;
        }
        if current.is_empty() {
            // One word alone is too wide: cut it.
            current = truncate(word, font_size, max_width);
            truncated = true;
            i += 1;
        }
        if lines.len() + 1 == max_lines {
            // Last allowed line: whatever remains is cut off.
            let rest = words[i..].join(" ");
            if !rest.is_empty() {
                current = truncate(&format!("{current} {rest}"), font_size, max_width);
                truncated = true;
            }
            lines.push(current);
            return Wrapped { lines, truncated };
        }
        lines.push(std::mem::take(&mut current));
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    Wrapped { lines, truncated }
}

/// The longest prefix of `text` that fits in `max_width` with "…" appended (just "…" if
/// nothing fits). Returns `text` unchanged if it fits whole.
pub(crate) fn truncate(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size, false) <= max_width {
        return text.to_owned();
    }
    let budget = max_width - text_width("…", font_size, false);
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), font_size, false);
        if width + w > budget {
            break;
        }
        width += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_the_font() {
        let w = text_width("Spokojenost", 13.0, false);
        assert!(w > 60.0 && w < 100.0, "{w}");
        // Diacritics are one character each, not one per byte.
        let plain = text_width("rozhodne", 13.0, false);
        let czech = text_width("rozhodně", 13.0, false);
        assert!((plain - czech).abs() < 2.0, "{plain} vs {czech}");
        assert!(text_width("Abc", 13.0, true) > text_width("Abc", 13.0, false));
        assert_eq!(text_width("", 13.0, false), 0.0);
    }

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            escape_xml("<script>&\"'\u{0}ř"),
            "&lt;script&gt;&amp;&quot;&apos;ř"
        );
    }

    #[test]
    fn wraps_then_truncates() {
        let w = wrap("Spokojenost s kurzem", 13.0, 1000.0, 3);
        assert_eq!(w.lines, vec!["Spokojenost s kurzem"]);
        assert!(!w.truncated);
        let w = wrap("Spokojenost s kurzem a lektorem", 13.0, 100.0, 3);
        assert!(w.lines.len() > 1 && !w.truncated, "{w:?}");
        for line in &w.lines {
            assert!(text_width(line, 13.0, false) <= 100.0, "{line}");
        }
        let long = "slovo ".repeat(40);
        let w = wrap(&long, 13.0, 100.0, 2);
        assert_eq!(w.lines.len(), 2);
        assert!(w.truncated && w.lines[1].ends_with('…'), "{w:?}");
        let w = wrap("Nejdelšíslovonasvětěbezmezer", 13.0, 60.0, 2);
        assert!(w.truncated && w.lines[0].ends_with('…'));
        assert!(text_width(&w.lines[0], 13.0, false) <= 60.0);
        assert_eq!(wrap("", 13.0, 50.0, 2).lines, vec![String::new()]);
    }
}
