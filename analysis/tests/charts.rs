//! Tests of the report charts: the SVG parses as XML, has one shape per datum with geometry
//! matching the data, escapes caller text, handles empty input, and renders to a readable
//! PNG with the embedded font.
//!
//! Set `CHARTS_SAMPLE_DIR=/some/dir` to also write every sample chart there as SVG and PNG.

use analysis::charts::{
    ChartMeta, Interval, LikertChart, LikertItem, Locale, PrePostChart, PrePostRow,
    ProportionChart, ProportionRow, TimeBin, TimelineChart, TimelinePoint, likert_svg, prepost_svg,
    proportions_svg, timeline_svg, to_png,
};
use resvg::tiny_skia::Pixmap;
use roxmltree::{Document, Node};

const EVIL: &str = "<script>&\"'";

fn meta(title: &str) -> ChartMeta {
    ChartMeta::new(title, 720, Locale::Cs)
}

fn levels5() -> Vec<String> {
    [
        "rozhodně nesouhlasím",
        "spíše nesouhlasím",
        "ani souhlas, ani nesouhlas",
        "spíše souhlasím",
        "rozhodně souhlasím",
    ]
    .map(String::from)
    .to_vec()
}

fn likert_sample() -> LikertChart {
    LikertChart {
        meta: ChartMeta {
            subtitle: Some("Účastníci kurzů, jaro 2025".into()),
            ..meta("Hodnocení kurzu sociálními pracovníky")
        },
        levels: levels5(),
        items: vec![
            LikertItem {
                label: "Spokojenost s kurzem".into(),
                counts: vec![2, 5, 8, 20, 15],
                hidden: 0,
            },
            LikertItem {
                label: "Kurz odpovídal mým potřebám v přímé práci s klienty".into(),
                counts: vec![0, 3, 10, 25, 12],
                hidden: 0,
            },
            LikertItem {
                label: "Lektor srozumitelně vysvětloval".into(),
                counts: vec![10, 12, 6, 9, 3],
                hidden: 0,
            },
            LikertItem {
                label: "Doporučil/a bych kurz kolegům".into(),
                counts: vec![1, 1, 2, 10, 36],
                hidden: 0,
            },
        ],
    }
}

fn proportions_sample() -> ProportionChart {
    ProportionChart {
        meta: meta("Obce podle využívaných nástrojů sociální práce"),
        rows: vec![
            ProportionRow::wilson("Individuální plánování", 48, 60),
            ProportionRow::wilson("Případové konference", 27, 60),
            ProportionRow::wilson("Spolupráce s OSPOD", 55, 60),
            ProportionRow::wilson(
                "Terénní práce v domácnostech klientů mimo úřední hodiny",
                9,
                60,
            ),
            ProportionRow::wilson("Žádný z uvedených", 0, 60),
        ],
    }
}

fn prepost_sample() -> PrePostChart {
    let ci = |m: f64| {
        Some(Interval {
            low: m - 0.3,
            high: m + 0.3,
        })
    };
    let row = |label: &str, b: f64, a: f64| PrePostRow {
        label: label.into(),
        before: Some(b),
        after: Some(a),
        before_ci: ci(b),
        after_ci: ci(a),
        n: Some(42),
    };
    PrePostChart {
        meta: meta("Sebehodnocení kompetencí před kurzem a po něm"),
        before_label: "před".into(),
        after_label: "po".into(),
        rows: vec![
            row("Znalost legislativy", 2.6, 3.8),
            row("Vedení rozhovoru", 3.1, 3.9),
            row("Práce s rodinou", 3.6, 3.1),
            row("Krizová intervence", 2.2, 3.5),
        ],
        scale: Some(Interval {
            low: 1.0,
            high: 5.0,
        }),
        decimals: None,
    }
}

fn timeline_sample() -> TimelineChart {
    let counts = [5, 12, 9, 0, 3, 2, 14, 20, 7, 4, 1, 0, 0, 6];
    TimelineChart {
        meta: meta("Odpovědi v čase"),
        points: counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| TimelinePoint {
                date: format!("2025-03-{:02}", i + 1),
                label: None,
                count: *c,
            })
            .collect(),
        bin: TimeBin::Day,
        count_label: "Odpovědi za den".into(),
        cumulative_label: Some("Celkem (pravá osa)".into()),
    }
}

/// Seven levels, English, a narrow chart and a label that must be truncated.
fn likert_en_narrow() -> LikertChart {
    let levels = [
        "strongly disagree",
        "disagree",
        "somewhat disagree",
        "neutral",
        "somewhat agree",
        "agree",
        "strongly agree",
    ];
    LikertChart {
        meta: ChartMeta::new("Satisfaction with the social work course in the municipality", 480, Locale::En),
        levels: levels.map(String::from).to_vec(),
        items: vec![
            LikertItem { label: "Course met my needs".into(), counts: vec![1, 2, 3, 4, 10, 12, 8], hidden: 0 },
            LikertItem {
                label: "The trainer explained the legal framework of social work in municipalities clearly and with many practical examples from the field".into(),
                counts: vec![6, 5, 4, 3, 2, 1, 0],
                hidden: 0,
            },
        ],
    }
}

fn parse(svg: &str) -> Document<'_> {
    let doc = Document::parse(svg).unwrap_or_else(|e| panic!("SVG does not parse: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let labelled = root.attribute("aria-labelledby").unwrap();
    for id in labelled.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "missing #{id}"
        );
    }
    doc
}

fn f(n: Node, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr}"))
        .parse()
        .unwrap()
}

fn with_class<'a>(doc: &'a Document, name: &str, class: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(name) && n.attribute("class") == Some(class))
        .collect()
}

fn child_text(doc: &Document, name: &str) -> String {
    let n = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name(name))
        .unwrap();
    n.text().unwrap_or("").to_owned()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn likert_segments_match_percentages() {
    let chart = likert_sample();
    let svg = likert_svg(&chart);
    let doc = parse(&svg);
    let segs = with_class(&doc, "rect", "seg");
    let nonzero: usize = chart
        .items
        .iter()
        .map(|i| i.counts.iter().filter(|c| **c > 0).count())
        .sum();
    assert_eq!(segs.len(), nonzero, "one segment per non-zero level");
    // Item 1 has 0 answers in level 0: no such segment.
    assert!(
        !segs.iter().any(
            |s| s.attribute("data-item") == Some("1") && s.attribute("data-level") == Some("0")
        )
    );

    // Width is proportional to the percentage, with one px-per-percent for the chart.
    let px_per_pct: Vec<f64> = segs
        .iter()
        .map(|s| f(*s, "width") / f(*s, "data-pct"))
        .collect();
    for r in &px_per_pct {
        assert!(close(*r, px_per_pct[0], 0.01), "{px_per_pct:?}");
    }
    let centre = with_class(&doc, "line", "centre");
    assert_eq!(centre.len(), 1);
    let cx = f(centre[0], "x1");
    for item in 0..chart.items.len() {
        let mine: Vec<_> = segs
            .iter()
            .filter(|s| s.attribute("data-item") == Some(&item.to_string()))
            .collect();
        // Segments are contiguous, in level order.
        for pair in mine.windows(2) {
            assert!(close(
                f(*pair[0], "x") + f(*pair[0], "width"),
                f(*pair[1], "x"),
                0.02
            ));
        }
        for s in &mine {
            let level: usize = s.attribute("data-level").unwrap().parse().unwrap();
            let (x, w) = (f(**s, "x"), f(**s, "width"));
            match level {
                0 | 1 => assert!(x + w <= cx + 0.02, "negative level right of centre"),
                2 => assert!(
                    close(x + w / 2.0, cx, 0.02),
                    "neutral not split at the centre"
                ),
                _ => assert!(x >= cx - 0.02, "positive level left of centre"),
            }
        }
        let total: f64 = mine.iter().map(|s| f(**s, "data-pct")).sum();
        assert!(close(total, 100.0, 0.05));
    }
    // The centre line is the axis' 0 %, between the longest bars on either side.
    let ticks = with_class(&doc, "text", "tick");
    let zero = ticks.iter().find(|t| t.text() == Some("0\u{a0}%")).unwrap();
    assert!(close(f(*zero, "x"), cx, 0.02));
    // Every hatched fill refers to a pattern defined in this document.
    for s in &segs {
        let fill = s.attribute("fill").unwrap();
        if let Some(id) = fill.strip_prefix("url(#").and_then(|r| r.strip_suffix(')')) {
            assert!(
                doc.descendants()
                    .any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some(id)),
                "{id}"
            );
        }
    }
    // Legend, n per item, percentage labels on wide segments, hatch patterns for negatives.
    for l in levels5() {
        assert!(svg.contains(&l), "legend {l}");
    }
    let ns: Vec<String> = with_class(&doc, "text", "n")
        .iter()
        .map(|n| n.text().unwrap().to_owned())
        .collect();
    assert_eq!(ns, ["n = 50", "n = 50", "n = 40", "n = 50"]);
    let pcts: Vec<&str> = with_class(&doc, "text", "pct")
        .iter()
        .map(|n| n.text().unwrap())
        .collect();
    assert!(pcts.contains(&"72\u{a0}%"), "{pcts:?}"); // 36 of 50
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("pattern"))
            .count(),
        2
    );
    let desc = child_text(&doc, "desc");
    assert!(
        desc.contains("Spokojenost s kurzem (n = 50)") && desc.contains("rozhodně souhlasím 30"),
        "{desc}"
    );
}

#[test]
fn likert_even_scale_has_no_neutral_and_splits_at_centre() {
    let chart = LikertChart {
        meta: ChartMeta::new("Four levels", 500, Locale::En),
        levels: ["no", "rather no", "rather yes", "yes"]
            .map(String::from)
            .to_vec(),
        items: vec![LikertItem {
            label: "Item".into(),
            counts: vec![1, 1, 1, 1],
            hidden: 0,
        }],
    };
    let svg = likert_svg(&chart);
    let doc = parse(&svg);
    let cx = f(with_class(&doc, "line", "centre")[0], "x1");
    let segs = with_class(&doc, "rect", "seg");
    assert_eq!(segs.len(), 4);
    assert!(close(f(segs[2], "x"), cx, 0.02));
    assert!(svg.contains(">25%<"), "English percent format");
}

#[test]
fn caller_text_is_escaped_everywhere() {
    let mut chart = likert_sample();
    chart.meta.title = format!("Titulek {EVIL}");
    chart.levels[0] = EVIL.into();
    chart.items[0].label = EVIL.into();
    let mut props = proportions_sample();
    props.rows[0].label = EVIL.into();
    props.meta.subtitle = Some(EVIL.into());
    let mut pp = prepost_sample();
    pp.before_label = EVIL.into();
    pp.rows[0].label = EVIL.into();
    let mut tl = timeline_sample();
    tl.count_label = EVIL.into();
    tl.points[0].label = Some(EVIL.into());
    tl.meta.title = EVIL.into();
    for svg in [
        likert_svg(&chart),
        proportions_svg(&props),
        prepost_svg(&pp),
        timeline_svg(&tl),
    ] {
        assert!(!svg.contains("<script"), "unescaped markup");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos;"));
        let doc = parse(&svg);
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") || n.has_tag_name("tspan"))
            .filter_map(|n| n.text().map(str::to_owned))
            .collect();
        assert!(
            texts.iter().any(|t| t == EVIL),
            "escaped text reads back as the original"
        );
    }
    let doc_svg = likert_svg(&chart);
    let doc = parse(&doc_svg);
    assert_eq!(child_text(&doc, "title"), format!("Titulek {EVIL}"));
    // Control characters that XML forbids are dropped instead of breaking the document.
    chart.items[1].label = "a\u{1}b\u{0}c".into();
    parse(&likert_svg(&chart));
}

#[test]
fn ids_are_resolved_and_differ_between_charts() {
    let a = likert_svg(&likert_sample());
    let mut other = likert_sample();
    other.items[0].counts[0] += 1;
    let b = likert_svg(&other);
    let id = |svg: &str| {
        parse(svg)
            .root_element()
            .attribute("aria-labelledby")
            .unwrap()
            .to_owned()
    };
    assert_ne!(id(&a), id(&b), "two charts on one page must not share ids");
    assert_eq!(
        id(&a),
        id(&likert_svg(&likert_sample())),
        "output is deterministic"
    );
    assert!(!a.contains('\u{1}'));
}

#[test]
fn czech_diacritics_are_kept_as_utf8() {
    let svg = likert_svg(&likert_sample());
    let doc = parse(&svg);
    assert!(svg.contains("rozhodně nesouhlasím"));
    assert!(child_text(&doc, "title").contains("Hodnocení kurzu sociálními pracovníky"));
    assert!(child_text(&doc, "desc").starts_with("Skládaný pruhový graf"));
}

#[test]
fn long_labels_wrap_then_truncate_with_tooltip() {
    let mut chart = proportions_sample();
    let long = "Velmi dlouhý popis možnosti odpovědi, který se nevejde na jeden ani na tři řádky \
                textu v levém sloupci grafu, protože obsahuje mnoho slov o sociální práci v obcích";
    chart.rows[0].label = long.into();
    chart.meta.width = 480;
    let svg = proportions_svg(&chart);
    let doc = parse(&svg);
    let labels = with_class(&doc, "text", "row-label");
    let first = labels[0];
    let spans: Vec<&str> = first
        .children()
        .filter(|n| n.has_tag_name("tspan"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(spans.len(), 3, "{spans:?}");
    assert!(spans[2].ends_with('…'));
    let tip = first
        .parent()
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap();
    assert_eq!(tip.text(), Some(long));
    // Wider rows for wrapped labels: the chart is taller than with short labels.
    let short = proportions_svg(&ProportionChart {
        meta: chart.meta.clone(),
        rows: proportions_sample().rows,
    });
    assert!(f(doc.root_element(), "height") > f(parse(&short).root_element(), "height"));
}

#[test]
fn proportions_bars_and_whiskers_match_data() {
    let chart = proportions_sample();
    let svg = proportions_svg(&chart);
    let doc = parse(&svg);
    let bars = with_class(&doc, "rect", "bar");
    // A share of 0 draws no bar (a rectangle without width, which renderers warn about);
    // its value label and interval still say 0.
    let drawn: Vec<_> = chart.rows.iter().filter(|r| r.proportion > 0.0).collect();
    assert!(drawn.len() < chart.rows.len(), "the sample has a row at 0");
    assert_eq!(bars.len(), drawn.len());
    let ticks = with_class(&doc, "text", "tick");
    assert_eq!(ticks.first().unwrap().text(), Some("0\u{a0}%"));
    assert_eq!(ticks.last().unwrap().text(), Some("100\u{a0}%"));
    let (x0, x100) = (f(ticks[0], "x"), f(*ticks.last().unwrap(), "x"));
    let px = (x100 - x0) / 100.0;
    for (bar, row) in bars.iter().zip(&drawn) {
        assert!(close(f(*bar, "x"), x0, 0.01));
        assert!(close(f(*bar, "width"), row.proportion * 100.0 * px, 0.02));
    }
    let cis = with_class(&doc, "line", "ci");
    assert_eq!(cis.len(), chart.rows.len());
    for (ci, row) in cis.iter().zip(&chart.rows) {
        let i = row.ci.unwrap();
        assert!(close(f(*ci, "x1"), x0 + i.low * 100.0 * px, 0.02));
        assert!(close(f(*ci, "x2"), x0 + i.high * 100.0 * px, 0.02));
    }
    assert_eq!(
        with_class(&doc, "line", "ci-cap").len(),
        2 * chart.rows.len()
    );
    let values: Vec<&str> = with_class(&doc, "text", "value")
        .iter()
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(
        values,
        [
            "80\u{a0}%",
            "45\u{a0}%",
            "92\u{a0}%",
            "15\u{a0}%",
            "0\u{a0}%"
        ]
    );
    // A missing proportion keeps its row without a bar.
    let mut missing = chart.clone();
    missing.rows[1] = ProportionRow::wilson("Nikdo neodpověděl", 0, 0);
    let doc2_svg = proportions_svg(&missing);
    let doc2 = parse(&doc2_svg);
    assert_eq!(with_class(&doc2, "rect", "bar").len(), drawn.len() - 1);
}

#[test]
fn prepost_markers_match_data() {
    let chart = prepost_sample();
    let svg = prepost_svg(&chart);
    let doc = parse(&svg);
    let before = with_class(&doc, "circle", "before");
    let after = with_class(&doc, "circle", "after");
    assert_eq!((before.len(), after.len()), (4, 4));
    // Distinct shapes in black and white: hollow before, filled after.
    assert!(
        before
            .iter()
            .all(|c| c.attribute("fill") == Some("#ffffff"))
    );
    assert!(after.iter().all(|c| c.attribute("fill") != Some("#ffffff")));
    // x is linear in the value on the caller's 1–5 scale.
    let ticks = with_class(&doc, "text", "tick");
    let labels: Vec<&str> = ticks.iter().map(|t| t.text().unwrap()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "5"]);
    let (x1, x5) = (f(ticks[0], "x"), f(ticks[4], "x"));
    for (c, row) in before.iter().zip(&chart.rows) {
        assert!(close(
            f(*c, "cx"),
            x1 + (row.before.unwrap() - 1.0) / 4.0 * (x5 - x1),
            0.02
        ));
    }
    for (c, row) in after.iter().zip(&chart.rows) {
        assert!(close(
            f(*c, "cx"),
            x1 + (row.after.unwrap() - 1.0) / 4.0 * (x5 - x1),
            0.02
        ));
    }
    // Arrows point from before to after (row 2 decreases), whiskers for every CI.
    let changes = with_class(&doc, "line", "change");
    assert_eq!(changes.len(), 4);
    assert!(f(changes[0], "x2") > f(changes[0], "x1"));
    assert!(f(changes[2], "x2") < f(changes[2], "x1"));
    assert_eq!(with_class(&doc, "line", "ci-before").len(), 4);
    assert_eq!(with_class(&doc, "line", "ci-after").len(), 4);
    assert!(
        svg.contains(">před<") && svg.contains(">po<"),
        "legend labels from the caller"
    );
    let desc = child_text(&doc, "desc");
    assert!(
        desc.contains("Znalost legislativy: před 2,6, po 3,8 (změna +1,2, n = 42)"),
        "{desc}"
    );
    // Changes too small for an arrow draw none.
    let mut tiny = chart.clone();
    tiny.rows[2].after = Some(3.55);
    assert_eq!(
        with_class(&parse(&prepost_svg(&tiny)), "line", "change").len(),
        3
    );
    // One-sided rows draw one marker and no arrow.
    let mut one = chart.clone();
    one.rows.truncate(1);
    one.rows[0].after = None;
    let svg = prepost_svg(&one);
    let doc = parse(&svg);
    assert_eq!(with_class(&doc, "circle", "before").len(), 1);
    assert!(
        with_class(&doc, "circle", "after").is_empty()
            && with_class(&doc, "line", "change").is_empty()
    );
}

#[test]
fn timeline_fills_gaps_and_accumulates() {
    let chart = timeline_sample();
    let svg = timeline_svg(&chart);
    let doc = parse(&svg);
    let bars = with_class(&doc, "rect", "bar");
    // 14 days with 11 non-zero: 3 zero days (one of them in the middle) get no bar.
    assert_eq!(bars.len(), 11);
    let idx: Vec<usize> = bars
        .iter()
        .map(|b| b.attribute("data-index").unwrap().parse().unwrap())
        .collect();
    assert!(!idx.contains(&3), "the missing 4 March is a zero slot");
    // Heights are proportional to counts and bars stand on one baseline.
    let ratio = f(bars[0], "height") / 5.0;
    let base = f(bars[0], "y") + f(bars[0], "height");
    for b in &bars {
        assert!(close(f(*b, "height"), ratio * f(*b, "data-count"), 0.02));
        assert!(close(f(*b, "y") + f(*b, "height"), base, 0.02));
    }
    let line = with_class(&doc, "polyline", "cumulative");
    assert_eq!(line.len(), 1);
    let pts: Vec<(f64, f64)> = line[0]
        .attribute("points")
        .unwrap()
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(pts.len(), 14);
    assert!(
        pts.windows(2).all(|w| w[1].1 <= w[0].1 && w[1].0 > w[0].0),
        "running total never falls"
    );
    let labels: Vec<&str> = with_class(&doc, "text", "x-label")
        .iter()
        .map(|t| t.text().unwrap())
        .collect();
    assert_eq!(labels[0], "1.\u{a0}3.\u{a0}2025");
    let desc = child_text(&doc, "desc");
    assert!(
        desc.contains("celkem 83") && desc.contains("nejvíce 20"),
        "{desc}"
    );
    // Weekly bins fill whole missing weeks; English labels.
    let weekly = TimelineChart {
        meta: ChartMeta::new("Weekly", 600, Locale::En),
        points: vec![
            TimelinePoint {
                date: "2025-03-03".into(),
                label: None,
                count: 4,
            },
            TimelinePoint {
                date: "2025-03-17".into(),
                label: None,
                count: 6,
            },
        ],
        bin: TimeBin::Week,
        count_label: "Responses per week".into(),
        cumulative_label: None,
    };
    let svg = timeline_svg(&weekly);
    let doc = parse(&svg);
    assert_eq!(with_class(&doc, "rect", "bar").len(), 2);
    assert!(with_class(&doc, "polyline", "cumulative").is_empty());
    let labels: Vec<&str> = with_class(&doc, "text", "x-label")
        .iter()
        .map(|t| t.text().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["3\u{a0}Mar\u{a0}2025", "10\u{a0}Mar", "17\u{a0}Mar"]
    );
}

#[test]
fn empty_input_gives_a_small_no_data_chart() {
    let cs = meta("Prázdný graf");
    let svgs = [
        likert_svg(&LikertChart {
            meta: cs.clone(),
            levels: levels5(),
            items: vec![],
        }),
        likert_svg(&LikertChart {
            meta: cs.clone(),
            levels: vec![],
            items: likert_sample().items,
        }),
        proportions_svg(&ProportionChart {
            meta: cs.clone(),
            rows: vec![],
        }),
        prepost_svg(&PrePostChart {
            rows: vec![],
            ..prepost_sample()
        }),
        prepost_svg(&PrePostChart {
            rows: vec![PrePostRow {
                label: "x".into(),
                before: Some(f64::NAN),
                after: None,
                before_ci: None,
                after_ci: None,
                n: None,
            }],
            ..prepost_sample()
        }),
        timeline_svg(&TimelineChart {
            points: vec![],
            ..timeline_sample()
        }),
    ];
    for svg in &svgs {
        let doc = parse(svg);
        assert!(svg.contains("Žádná data k zobrazení"));
        assert!(f(doc.root_element(), "height") < 150.0);
        assert_eq!(with_class(&doc, "rect", "no-data").len(), 1);
        assert!(to_png(svg, 1.0).is_ok());
    }
    let en = proportions_svg(&ProportionChart {
        meta: ChartMeta::new("Empty", 400, Locale::En),
        rows: vec![],
    });
    assert!(en.contains("No data to display"));
    // Items whose counts are all zero still get a row (n = 0) but no segments.
    let zero = LikertChart {
        meta: cs,
        levels: levels5(),
        items: vec![LikertItem {
            label: "Nic".into(),
            counts: vec![],
            hidden: 0,
        }],
    };
    let svg = likert_svg(&zero);
    let doc = parse(&svg);
    assert!(with_class(&doc, "rect", "seg").is_empty());
    assert!(svg.contains(">n = 0<"));
}

#[test]
fn height_follows_rows_and_width_follows_caller() {
    let mut chart = likert_sample();
    let h4 = f(parse(&likert_svg(&chart)).root_element(), "height");
    chart.items.extend(likert_sample().items);
    let svg = likert_svg(&chart);
    let doc = parse(&svg);
    assert!(f(doc.root_element(), "height") > h4 + 100.0);
    assert_eq!(doc.root_element().attribute("width"), Some("720"));
    chart.meta.width = 10;
    assert_eq!(
        parse(&likert_svg(&chart)).root_element().attribute("width"),
        Some("320")
    );
}

#[test]
fn inputs_round_trip_through_json() {
    let chart = prepost_sample();
    let json = serde_json::to_string(&chart).unwrap();
    let back: PrePostChart = serde_json::from_str(&json).unwrap();
    assert_eq!(prepost_svg(&back), prepost_svg(&chart));
    let minimal: TimelineChart = serde_json::from_str(
        r#"{"meta":{"title":"T","width":600},"points":[{"date":"2025-01-01","count":3}],"count_label":"n"}"#,
    )
    .unwrap();
    assert_eq!(minimal.bin, TimeBin::AsGiven);
    assert_eq!(minimal.meta.locale, Locale::Cs);
}

fn dark_pixels(p: &Pixmap, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1.min(p.height()) {
        for x in x0..x1.min(p.width()) {
            let c = p.pixel(x, y).unwrap();
            if u32::from(c.red()) + u32::from(c.green()) + u32::from(c.blue()) < 3 * 90 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn png_has_signature_size_and_visible_text() {
    for (name, svg) in [
        ("likert", likert_svg(&likert_sample())),
        ("proportions", proportions_svg(&proportions_sample())),
        ("prepost", prepost_svg(&prepost_sample())),
        ("timeline", timeline_svg(&timeline_sample())),
        ("likert_en_narrow", likert_svg(&likert_en_narrow())),
    ] {
        let doc = parse(&svg);
        let (w, h) = (
            f(doc.root_element(), "width"),
            f(doc.root_element(), "height"),
        );
        let png = to_png(&svg, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        // IHDR: width and height are the big-endian u32s at bytes 16..24.
        let pw = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let ph = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!(
            (pw, ph),
            ((w * 2.0).ceil() as u32, (h * 2.0).ceil() as u32),
            "{name}"
        );
        let pixmap = Pixmap::decode_png(&png).unwrap();
        // Not blank, and the title (text only) is drawn: the embedded font works.
        assert!(dark_pixels(&pixmap, 0, 0, pw, ph) > 2000, "{name}");
        assert!(
            dark_pixels(&pixmap, 28, 28, 300, 64) > 300,
            "{name}: no title text"
        );
        if let Some(dir) = std::env::var_os("CHARTS_SAMPLE_DIR") {
            let dir = std::path::PathBuf::from(dir);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
            // A greyscale copy, to check the chart reads in black and white.
            let mut grey = pixmap.clone();
            for px in grey.pixels_mut() {
                let l = (0.2126 * f64::from(px.red())
                    + 0.7152 * f64::from(px.green())
                    + 0.0722 * f64::from(px.blue())) as u8;
                *px = resvg::tiny_skia::PremultipliedColorU8::from_rgba(l, l, l, 255).unwrap();
            }
            std::fs::write(
                dir.join(format!("{name}-grey.png")),
                grey.encode_png().unwrap(),
            )
            .unwrap();
        }
    }
}
