//! PNG export: parses the chart SVG with `usvg` and rasterises it with `resvg`/`tiny-skia`.
//!
//! Text is rendered with the DejaVu Sans fonts embedded in this crate (loaded once into a
//! `fontdb` database with `load_font_data`), so the result is the same on a machine without
//! any system fonts; "DejaVu Sans" is also the fallback for every generic family. The image
//! has a white background and is `ceil(width × scale)` × `ceil(height × scale)` pixels.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::ChartError;
use super::text::{FONT_BOLD, FONT_REGULAR};

/// Largest side of the PNG in pixels.
const MAX_SIDE: f32 = 16_384.0;

fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(FONT_REGULAR.to_vec());
            db.load_font_data(FONT_BOLD.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            db.set_serif_family("DejaVu Sans");
            db.set_monospace_family("DejaVu Sans");
            db.set_cursive_family("DejaVu Sans");
            db.set_fantasy_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// Renders `svg` (e.g. from [`likert_svg`](super::likert_svg)) to PNG bytes at `scale`
/// (1.0 = one pixel per SVG px; 2.0 for print-quality Word reports).
///
/// Errors: `scale` not finite or outside (0, 10], SVG that does not parse, a result larger
/// than 16384 px on a side, or an encoding failure.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 10.0) {
        return Err(ChartError::InvalidScale(scale));
    }
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ChartError::Svg(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil(),
        (size.height() * scale).ceil(),
    );
    if !(w >= 1.0 && h >= 1.0 && w <= MAX_SIDE && h <= MAX_SIDE) {
        return Err(ChartError::Size {
            width: w,
            height: h,
        });
    }
    let mut pixmap = Pixmap::new(w as u32, h as u32).ok_or(ChartError::Size {
        width: w,
        height: h,
    })?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Png(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_scale_and_bad_svg() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
        assert!(matches!(to_png(svg, 0.0), Err(ChartError::InvalidScale(_))));
        assert!(matches!(
            to_png(svg, f32::NAN),
            Err(ChartError::InvalidScale(_))
        ));
        assert!(matches!(to_png("<svg", 1.0), Err(ChartError::Svg(_))));
        let png = to_png(svg, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn embedded_fonts_are_loaded() {
        let db = fonts();
        assert!(
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n == "DejaVu Sans"))
        );
        assert_eq!(db.len(), 2);
    }
}
