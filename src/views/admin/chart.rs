//! A bar chart of responses per day, drawn as inline SVG on the server. Only presentation
//! attributes (no `style`), so it passes the strict CSP, follows the text colour in dark
//! mode, and carries a title and description for screen readers; the page also lists
//! the numbers in a table.

use maud::{Markup, html};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// The date of a day number (days since 1970-01-01).
pub fn day_date(day: i64) -> time::Date {
    time::Date::from_julian_day(time::macros::date!(1970 - 01 - 01).to_julian_day() + day as i32)
        .unwrap_or(time::Date::MIN)
}

/// Bars for `series` (day number, count), e.g. from [`crate::dashboard::daily_series`].
pub fn per_day(series: &[(i64, i64)], title: &str) -> Markup {
    let max = series.iter().map(|s| s.1).max().unwrap_or(0).max(1) as f64;
    let n = series.len().max(1) as f64;
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = plot_w / n;
    let bar = (slot * 0.8).max(1.0);
    let total: i64 = series.iter().map(|s| s.1).sum();
    let desc = match (series.first(), series.last()) {
        (Some(first), Some(last)) => format!(
            "{total} complete responses from {} to {}, at most {} in a day.",
            day_date(first.0),
            day_date(last.0),
            max as i64
        ),
        _ => "No complete responses yet.".to_string(),
    };
    // Label the first and last day, and a few in between.
    let every = ((n / 6.0).ceil() as usize).max(1);
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg" {
            title #chart-title { (title) }
            desc #chart-desc { (desc) }
            line x1=(LEFT) y1=(TOP + plot_h) x2=(WIDTH - 8.0) y2=(TOP + plot_h) stroke="currentColor" stroke-width="1" {}
            text x=(LEFT - 6.0) y=(TOP + 4.0) text-anchor="end" font-size="12" fill="currentColor" { (max as i64) }
            text x=(LEFT - 6.0) y=(TOP + plot_h) text-anchor="end" font-size="12" fill="currentColor" { "0" }
            @for (i, (day, count)) in series.iter().enumerate() {
                @let h = (*count as f64) / max * plot_h;
                @let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
                rect x=(format!("{x:.1}")) y=(format!("{:.1}", TOP + plot_h - h)) width=(format!("{bar:.1}")) height=(format!("{h:.1}")) fill="currentColor" fill-opacity="0.75" {
                    title { (day_date(*day)) ": " (count) }
                }
                @if i % every == 0 || i + 1 == series.len() {
                    @let d = day_date(*day);
                    text x=(format!("{:.1}", x + bar / 2.0)) y=(HEIGHT - 8.0) text-anchor="middle" font-size="11" fill="currentColor" { (d.day()) "." (u8::from(d.month())) "." }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_day_and_the_chart_is_described() {
        let svg = per_day(
            &[(19_783, 2), (19_784, 0), (19_785, 4)],
            "Complete responses per day",
        )
        .into_string();
        assert!(svg.contains("<desc id=\"chart-desc\">6 complete responses from 2024-03-01 to 2024-03-03, at most 4 in a day.</desc>"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(
            svg.contains("height=\"180.0\""),
            "the largest bar fills the plot: {svg}"
        );
        assert!(svg.contains("height=\"90.0\""));
        assert!(!svg.contains("style="), "no inline styles");
        assert_eq!(day_date(0), time::macros::date!(1970 - 01 - 01));
    }
}
