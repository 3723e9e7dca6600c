//! Tests of the SPSS .sav writer: pure ones, and a round trip through the real readers.

use super::*;
use std::fmt::Write as _;
use std::process::Command;
use time::macros::{date, datetime};

fn col(name: &str, label: &str, kind: Kind) -> Column {
    Column {
        name: name.into(),
        label: label.into(),
        kind,
    }
}

fn num(labels: &[(f64, &str)], not_asked: f64, decimals: u8) -> Kind {
    let labels = labels.iter().map(|(v, l)| (*v, l.to_string())).collect();
    Kind::Number {
        labels,
        not_asked,
        decimals,
    }
}

fn text(width: usize) -> Kind {
    Kind::Text { width }
}

#[test]
    #[rustfmt::skip]
    fn names_are_valid_unique_ascii() {
        let long = "x".repeat(100);
        let x62 = format!("{}_2", "x".repeat(62));
        let cases = [
            ("q1", "q1"), ("town.region", "town.region"), ("invitation.group", "invitation.group"),
            ("role.other_text", "role.other_text"), ("2nd", "v2nd"), ("response_id", "response_id"),
            ("Přijetí", "Prijeti"), ("ŽLUŤOUČKÝ", "ZLUTOUCKY"), ("with", "with_"), ("AND", "AND_"),
            ("Q1", "Q1_2"), ("q1", "q1_3"), ("a.", "a"), ("_x", "v_x"), ("", "v"),
            ("😀 smile", "v__smile"), (&long, &long[..64]), (&long, &x62),
        ];
        let names = unique_names(cases.iter().map(|(from, _)| *from));
        assert_eq!(names, cases.map(|(_, to)| to));
        let mut seen = HashSet::new();
        for n in &names {
            assert!(n.len() <= 64 && n.starts_with(|c: char| c.is_ascii_alphabetic()), "{n}");
            assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'), "{n}");
            assert!(!n.ends_with('.') && !is_reserved(n), "{n}");
            assert!(seen.insert(n.to_ascii_uppercase()), "duplicate {n}");
        }
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
    }

#[test]
fn short_names_are_unique_and_avoid_other_long_names() {
    let names = [
        "town.region",
        "town.regional",
        "abcdefghij",
        "ABCDEFGH",
        "comment",
    ];
    let shorts = short_names(&names.map(String::from), &[1, 1, 1, 1, 3]);
    let expected: [&[&str]; 5] = [
        &["TOWN.REG"],
        &["TOWN.R_1"],
        &["ABCDEF_1"], // "ABCDEFGH" is the next column's long name
        &["ABCDEFGH"],
        &["COMMENT", "COMMEN_1", "COMMEN_2"], // a very long string's segments
    ];
    assert_eq!(shorts, expected);
}

#[test]
fn labels_are_cut_at_char_boundaries() {
    assert_eq!(label_text("a\r\nb\nc\rd", 255), "a b c d");
    let e127 = "ě".repeat(127); // 254 bytes: fits
    assert_eq!(label_text(&e127, 255), e127);
    let e200 = "ě".repeat(200); // 252 bytes of text + "…"
    assert_eq!(label_text(&e200, 255), format!("{}…", "ě".repeat(126)));
    let emoji = "😀".repeat(40); // 117 bytes left for text = 29 emoji
    assert_eq!(label_text(&emoji, 120), format!("{}…", "😀".repeat(29)));
    assert_eq!(cut("abč", 3), "ab");
    assert_eq!(cut("abč", 4), "abč");
}

#[test]
fn epoch_conversion() {
    // Worked out by hand: Julian Day Numbers 2_299_161 (1582-10-15, the first Gregorian
    // day) and 2_440_588 (1970-01-01) put 141_428 days = 12_219_379_200 s between the
    // SPSS epoch 1582-10-14 and the Unix epoch (the constant ReadStat uses);
    // 1970-01-01 → 2024-01-16 is 54 * 365 + 13 leap days (1972..=2020) + 15 = 19_738
    // days = 1_705_363_200 s. Sum: 13_924_742_400. PSPP shows it as 16-JAN-2024 below.
    assert_eq!(date_seconds(date!(2024 - 01 - 16)), 13_924_742_400);
    assert_eq!(date_seconds(date!(1970 - 01 - 01)), 12_219_379_200);
    assert_eq!(date_seconds(date!(1582 - 10 - 15)), 86_400);
    let ms = |t| (datetime_seconds(t) * 1000.0).round() as i64;
    // 12:34:56.789 is 45_296_789 ms after midnight.
    let expected = 13_924_742_400_000 + 45_296_789;
    assert_eq!(ms(datetime!(2024-01-16 12:34:56.789 UTC)), expected);
    assert_eq!(ms(datetime!(2024-01-16 14:34:56.789 +02:00)), expected);
    assert_eq!(ms(datetime!(1582-10-14 00:00:00.001 UTC)), 1);
}

#[test]
fn layout_of_header_and_very_long_string() {
    let cols = [
        col("n", "", num(&[], 9.0, 0)),
        col("long", "", text(600)),
        col("s", "", text(3)),
    ];
    let empty = SavWriter::new(Vec::new(), "", &cols, 0)
        .unwrap()
        .finish()
        .unwrap();
    let value = "0123456789".repeat(60);
    let mut w = SavWriter::new(Vec::new(), "Průzkum", &cols, 2).unwrap();
    w.row(&[Value::Number(1.5), Value::Text(&value), Value::Text("ab")])
        .unwrap();
    w.row(&[Value::NoAnswer, Value::NotAsked, Value::Text("xyz")])
        .unwrap();
    let file = w.finish().unwrap();
    assert_eq!(&file[..4], b"$FL2");
    assert_eq!(&file[4..64], format!("{PRODUCT:<60}").as_bytes());
    let int = |at: usize| i32::from_le_bytes(file[at..at + 4].try_into().unwrap());
    // Layout 2, 600 bytes = segments of 255, 255 and 96 bytes = 32 + 32 + 12 slots (+ 1
    // + 1), no compression, no weight, 2 cases.
    assert_eq!(
        [int(64), int(68), int(72), int(76), int(80)],
        [2, 78, 0, 0, 2]
    );
    assert_eq!(file[84..92], 100f64.to_le_bytes());
    let label = [&b"Pr\xc5\xafzkum"[..], &[b' '; 56]].concat(); // 8 bytes + 56 spaces
    assert_eq!(file[109..173], label[..]);
    assert_eq!(
        (&file[173..176], int(176)),
        (&[0u8; 3][..], 2),
        "first variable record"
    );
    assert_eq!(file.len(), empty.len() + 2 * 78 * 8);
    let case = &file[empty.len()..][..78 * 8];
    assert_eq!(case[..8], 1.5f64.to_le_bytes());
    // Packed 255 bytes per segment, each segment padded to its 8-byte slots; a 3-byte
    // string takes one slot.
    let segments = [
        &value[..255],
        " ",
        &value[255..510],
        " ",
        &value[510..],
        "      ",
    ];
    assert_eq!(
        case[8..],
        [&segments.concat(), "ab      "].concat().as_bytes()[..]
    );
    let second = &file[empty.len() + 78 * 8..];
    assert_eq!(second[..8], SYSMIS.to_le_bytes());
    assert_eq!(second[8..], format!("{:<608}xyz     ", "").as_bytes()[..]);
}

#[test]
fn invalid_values_are_errors() {
    use Value::*;
    let cols = [
        col("n", "", num(&[(1.0, "one")], 9.0, 0)),
        col("t", "", text(3)),
        col("d", "", Kind::Date),
        col("dt", "", Kind::DateTime),
    ];
    let (day, instant) = (
        Date(date!(2024 - 01 - 16)),
        DateTime(datetime!(2024-01-16 0:00 UTC)),
    );
    let good = [Number(1.0), Text("abc"), day.clone(), instant.clone()];
    let mut w = SavWriter::new(Vec::new(), "", &cols, 1).unwrap();
    let bad = [
        (0, Text("1")),
        (0, Number(f64::NAN)),
        (0, Number(f64::INFINITY)),
        (1, Number(1.0)),
        (1, Text("abcd")),
        (2, instant),
        (3, day),
    ];
    for (i, value) in bad {
        let mut row = good.clone();
        row[i] = value;
        let err = w.row(&row).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert!(
            err.to_string()
                .starts_with(&format!("column {}:", cols[i].name)),
            "{err}"
        );
    }
    assert_eq!(
        w.row(&good[..3]).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    w.row(&good).unwrap();
    assert_eq!(
        w.row(&good).unwrap_err().kind(),
        io::ErrorKind::InvalidInput,
        "extra row"
    );
    let file = w.finish().unwrap();
    let empty = SavWriter::new(Vec::new(), "", &cols, 0)
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(file.len(), empty.len() + 4 * 8, "failed rows wrote nothing");

    let short = SavWriter::new(Vec::new(), "", &cols, 2).unwrap();
    assert_eq!(
        short.finish().unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    // Widths are capped at 32767 bytes; a longer value is an error, not truncated.
    let huge = [col("huge", "", text(40_000))];
    let mut w = SavWriter::new(Vec::new(), "", &huge, 2).unwrap();
    let err = w.row(&[Text(&"é".repeat(16_384))]).unwrap_err(); // 32768 bytes
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(
        err.to_string()
            .starts_with("column huge: a text of 32768 bytes"),
        "{err}"
    );
    w.row(&[Text(&"x".repeat(32_767))]).unwrap();
    w.row(&[NotAsked]).unwrap();
    // 32767 bytes = 131 segments: 130 of 255 bytes (32 slots) and one of 7 (1 slot).
    let dict = SavWriter::new(Vec::new(), "", &huge, 0)
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(w.finish().unwrap().len(), dict.len() + 2 * 4161 * 8);
}

const SECOND: &str = "  leading spaces, ěščřžýáíé 😀\r\nline 2 \"q\"";
const HYPERLINK: &str = "=HYPERLINK(\"x\")";
const FILE_LABEL: &str = "Průzkum spokojenosti 2024 – export z aplikace anketa, kódování UTF-8";

/// The long answer (over 5,000 characters) of the round trips.
fn long_text() -> String {
    let mut long = "a".repeat(254);
    long.push('ř'); // bytes 254..256: across the first segment boundary (255)
    long.push_str(&"b".repeat(508 - long.len()));
    long.push('😀'); // bytes 508..512: across the second boundary (510)
    long.push_str("\nNA 007 =HYPERLINK(\"x\") \"quoted\" 'single'\r\n");
    while long.chars().count() < 5_200 {
        long.push_str("Žluťoučký kůň úpěl ďábelské ódy ěščřžýáíé 😀🎉 \"q\"\n");
    }
    long + "konec"
}

/// Writes the round-trip file: every kind, awkward text, both kinds of missing.
    #[rustfmt::skip]
    fn write_fixture(path: &std::path::Path, long: &str) {
        use Value::*;
        let columns = [
            col("q1", "Do you like it?\nReally?", num(&[(1.0, "Yes"), (2.0, "No")], 99.0, 0)),
            col("score", "Score", num(
                &[(1.5, "one and a half"), (2.0, &"Velmi spokojen/á – ".repeat(10))], -99.0, 2)),
            col("2nd", "Second", num(&[], 999.0, 0)),
            col("town.region", "Town: region", text(HYPERLINK.len())),
            col("Přijetí", "Accepted on", Kind::Date),
            col("submitted_at", "", Kind::DateTime),
            col("comment", &"Jak hodnotíte ".repeat(30), text(long.len())),
            col("with", "reserved", text(1)),
        ];
        let rows = [
            [Number(1.0), Number(1.5), Number(7.0), Text("NA"), Date(date!(2024-01-16)),
                DateTime(datetime!(2024-01-16 12:34:56.789 UTC)), Text(long), Text("a")],
            [Number(2.0), Number(4.56789), NoAnswer, Text("007"), Date(date!(2000-02-29)),
                DateTime(datetime!(1999-12-31 23:59:59.001 UTC)), Text(SECOND), Text("b")],
            [NoAnswer, Number(-0.25), NotAsked, Text(HYPERLINK), NoAnswer,
                DateTime(datetime!(2024-06-01 10:00:00.5 +02:00)), NotAsked, NoAnswer],
            [NotAsked, NotAsked, Number(12345.0), NoAnswer, NotAsked, NotAsked, Text("x"),
                Text("c")],
        ];
        let file = std::fs::File::create(path).unwrap();
        let mut w = SavWriter::new(file, FILE_LABEL, &columns, rows.len() as u64).unwrap();
        for row in &rows {
            w.row(row).unwrap();
        }
        w.finish().unwrap();
    }

const NAMES: [&str; 8] = [
    "q1",
    "score",
    "v2nd",
    "town.region",
    "Prijeti",
    "submitted_at",
    "comment",
    "with_",
];

/// The external program named by `var`; `None` (skip) outside CI when it is unset.
fn tool(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var_os("CI").is_some() => panic!("{var} must be set in CI ({what})"),
        _ => {
            eprintln!("skipping: {var} is not set ({what})");
            None
        }
    }
}

/// A Python string literal (ASCII, whatever the locale).
fn py(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\') {
            out.push(c);
        } else {
            write!(out, "\\U{:08x}", c as u32).unwrap();
        }
    }
    out + "\""
}

/// Checks everything pyreadstat reads, with and without user-missing values; the
/// expectations are written out again here (cuts computed by Python), not derived from
/// the writer's code.
const PY_CHECK: &str = r#"
import sys, math, datetime, pandas as pd, pyreadstat
NAL, SECOND, LONG, FILE_LABEL, NAMES = @NAL@, @SECOND@, @LONG@, @FILE_LABEL@, @NAMES@
def cut(s, n):  # at most n UTF-8 bytes at a character boundary, "..." (U+2026) when cut
    b = s.encode()
    return s if len(b) <= n else b[:n - 3].decode("utf-8", "ignore") + "\u2026"
LABELS = ["Do you like it? Really?", "Score", "2nd: Second", "Town: region",
          "P\u0159ijet\u00ed: Accepted on", None, cut("Jak hodnot\u00edte " * 30, 255),
          "with: reserved"]
VALUE_LABELS = {"q1": {1.0: "Yes", 2.0: "No", 99.0: NAL}, "v2nd": {999.0: NAL},
                "score": {1.5: "one and a half", -99.0: NAL,
                          2.0: cut("Velmi spokojen/\u00e1 \u2013 " * 10, 120)}}
MEASURE = dict(zip(NAMES, ["nominal", "nominal", "scale", "nominal", "scale", "scale",
                           "nominal", "nominal"]))
FORMATS = dict(zip(NAMES, ["F8.0", "F10.2", "F8.0", "A15", "DATE11", "DATETIME24.3",
                           "A%d" % len(LONG.encode()), "A1"]))
MISSING = {"q1": [{"lo": 99.0, "hi": 99.0}], "score": [{"lo": -99.0, "hi": -99.0}],
           "v2nd": [{"lo": 999.0, "hi": 999.0}]}
def values(um):
    na = lambda v: v if um else None
    return [[1.0, 2.0, None, na(99.0)], [1.5, 4.56789, -0.25, na(-99.0)],
            [7.0, None, na(999.0), 12345.0], ["NA", "007", '=HYPERLINK("x")', ""],
            ["2024-01-16", "2000-02-29", None, None],
            ["2024-01-16T12:34:56.789", "1999-12-31T23:59:59.001", "2024-06-01T08:00:00.500",
             None], [LONG, SECOND, "", "x"], ["a", "b", "", "c"]]
errors = []
def check(what, got, exp):
    if got != exp:
        r = lambda v: repr(v) if len(repr(v)) < 300 else repr(v)[:300] + "..."
        errors.append(f"{what}: got {r(got)}, expected {r(exp)}")
def norm(v):
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (pd.Timestamp, datetime.datetime)):
        t = pd.Timestamp(v).round("ms")
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (t.microsecond // 1000)
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v
for um in (True, False):
    df, meta = pyreadstat.read_sav(sys.argv[1], user_missing=um)
    check("names", meta.column_names, NAMES)
    check("variable labels", meta.column_labels, LABELS)
    check("file label", meta.file_label, FILE_LABEL.encode()[:64].decode("utf-8", "ignore"))
    check("value labels", meta.variable_value_labels, VALUE_LABELS)
    check("measure", meta.variable_measure, MEASURE)
    check("formats", meta.original_variable_types, FORMATS)
    check("rows", meta.number_rows, 4)
    check("user missing", meta.missing_ranges, MISSING if um else {})
    for name, exp in zip(NAMES, values(um)):
        check(f"{name} (user_missing={um})", [norm(v) for v in df[name].tolist()], exp)
print("\n".join(errors) if errors else "ok")
"#;

#[test]
fn round_trip_pyreadstat() {
    let Some(python) = tool("ANKETA_TEST_PYTHON", "a Python with pandas and pyreadstat") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, long) = (dir.path().join("x.sav"), long_text());
    write_fixture(&path, &long);
    let names: Vec<String> = NAMES.iter().map(|n| py(n)).collect();
    let script = PY_CHECK
        .replace("@NAL@", &py(NOT_ASKED_LABEL))
        .replace("@SECOND@", &py(SECOND))
        .replace("@LONG@", &py(&long))
        .replace("@FILE_LABEL@", &py(FILE_LABEL))
        .replace("@NAMES@", &format!("[{}]", names.join(", ")));
    let out = Command::new(&python)
        .arg("-c")
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim() == "ok",
        "pyreadstat check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Minimal RFC 4180 reader: quoted fields may hold commas, quotes ("") and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
    #[rustfmt::skip]
    fn round_trip_pspp() {
        let Some(pspp) = tool("ANKETA_TEST_PSPP", "path of GNU PSPP's pspp") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let (d, long) = (dir.path().display(), long_text());
        write_fixture(&dir.path().join("x.sav"), &long);
        let save = "SAVE TRANSLATE /TYPE=CSV /FIELDNAMES /REPLACE /TEXTOPTIONS FORMAT=VARIABLE";
        let syntax = format!(
            "GET FILE='{d}/x.sav'.\nDISPLAY DICTIONARY.\n{save} /OUTFILE='{d}/values.csv'.\n\
             {save} /OUTFILE='{d}/labels.csv' /CELLS=LABELS.\n\
             {save} /OUTFILE='{d}/recoded.csv' /MISSING=RECODE.\n"
        );
        std::fs::write(dir.path().join("x.sps"), syntax).unwrap();
        let out = Command::new(&pspp).arg(dir.path().join("x.sps")).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let log = format!("{stdout}{stderr}");
        assert!(out.status.success(), "pspp failed:\n{log}");
        let lower = log.to_lowercase();
        assert!(!lower.contains("warning") && !lower.contains("error"), "pspp complained:\n{log}");
        for shown in ["DATETIME24.3", "DATE11", "F10.2", "A15", "User-missing value", "Nominal"] {
            assert!(log.contains(shown), "{shown} not in DISPLAY DICTIONARY:\n{log}");
        }
        let check = |file: &str, expected: [[&str; 8]; 4]| {
            let table = parse_csv(&std::fs::read_to_string(dir.path().join(file)).unwrap());
            assert_eq!((table.len(), table[0].clone()), (5, NAMES.map(String::from).to_vec()), "{file}");
            for (r, exp) in expected.iter().enumerate() {
                for (c, e) in exp.iter().enumerate() {
                    // Text exactly, except that PSPP's CSV writer turns CR LF into LF (the
                    // pyreadstat test checks the bytes); numbers and dates without padding.
                    let (got, e) = match c {
                        3 | 6 | 7 => (table[r + 1][c].as_str(), e.replace("\r\n", "\n")),
                        _ => (table[r + 1][c].trim(), e.to_string()),
                    };
                    let at = got.chars().zip(e.chars()).take_while(|(a, b)| a == b).count();
                    let from = |s: &str| s.chars().skip(at).take(40).collect::<String>();
                    assert!(got == e, "{file} row {r} {}: from char {at} got {:?}, expected {:?}",
                        NAMES[c], from(got), from(&e));
                }
            }
        };
        let (long, nal) = (long.as_str(), NOT_ASKED_LABEL);
        let dt = ["16-JAN-2024 12:34:56.789", "31-DEC-1999 23:59:59.001", "01-JUN-2024 08:00:00.500"];
        check("values.csv", [
            ["1", "1.50", "7", "NA", "16-JAN-2024", dt[0], long, "a"],
            ["2", "4.57", "", "007", "29-FEB-2000", dt[1], SECOND, "b"],
            ["", "-.25", "999", HYPERLINK, "", dt[2], "", ""],
            ["99", "-99.00", "12345", "", "", "", "x", "c"],
        ]);
        check("labels.csv", [
            ["Yes", "one and a half", "7", "NA", "16-JAN-2024", dt[0], long, "a"],
            ["No", "4.57", "", "007", "29-FEB-2000", dt[1], SECOND, "b"],
            ["", "-.25", nal, HYPERLINK, "", dt[2], "", ""],
            [nal, nal, "12345", "", "", "", "x", "c"],
        ]);
        check("recoded.csv", [ // user-missing codes become system-missing
            ["1", "1.50", "7", "NA", "16-JAN-2024", dt[0], long, "a"],
            ["2", "4.57", "", "007", "29-FEB-2000", dt[1], SECOND, "b"],
            ["", "-.25", "", HYPERLINK, "", dt[2], "", ""],
            ["", "", "12345", "", "", "", "x", "c"],
        ]);
    }
