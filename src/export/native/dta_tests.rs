//! Tests of the Stata .dta writer: pure ones, and a round trip through the real readers.

use super::*;
use std::io::Cursor;
use time::macros::{date, datetime};

fn number(labels: &[(f64, &str)], decimals: u8) -> Kind {
    let labels = labels.iter().map(|(c, t)| (*c, (*t).to_owned())).collect();
    Kind::Number {
        labels,
        not_asked: -99.0,
        decimals,
    }
}

fn col(name: &str, label: &str, kind: Kind) -> Column {
    Column {
        name: name.to_owned(),
        label: label.to_owned(),
        kind,
    }
}

fn names(of: &[&str]) -> Vec<String> {
    let columns: Vec<Column> = of.iter().map(|n| col(n, "", Kind::Date)).collect();
    stata_names(&columns)
}

#[test]
fn names_are_valid_unique_and_readable() {
    let long = "a_very_long_question_name_that_goes_on_and_on";
    #[rustfmt::skip]
        let got = names(&[
            "q1", "town.region", "invitation.group", "role.other_text", "2nd", "response_id",
            "Přijetí", "if", "_N", "strL", "str80", "str2045", "Town_Region", long, long, "😀", "",
        ]);
    #[rustfmt::skip]
        let want = [
            "q1", "town_region", "invitation_group", "role_other_text", "v2nd", "response_id",
            "Prijeti", "if_", "_N_", "strL_", "str80_", "str2045_", "Town_Region_2",
            "a_very_long_question_name_that_g", "a_very_long_question_name_that_2", "v16", "v17",
        ];
    assert_eq!(got, want);
    let mut seen = HashSet::new();
    for name in &got {
        let first = name.chars().next().unwrap();
        assert!((1..=32).contains(&name.len()), "{name}");
        assert!(first.is_ascii_alphabetic() || first == '_', "{name}");
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name}"
        );
        assert!(!is_reserved(name), "{name}");
        assert!(seen.insert(name.to_ascii_lowercase()), "{name} twice");
    }
    assert!(is_reserved("STRL") && is_reserved("str1") && is_reserved("_pi"));
    assert!(!is_reserved("str") && !is_reserved("strength") && !is_reserved("q1"));
}

#[test]
fn labels_are_cut_at_character_boundaries() {
    assert_eq!(clean_label("a\r\nb\nc\rd\0e", 80, 320), "a b c de");
    let cut = clean_label(&"ř".repeat(100), 80, 320);
    assert_eq!(cut.chars().count(), 80);
    assert_eq!(cut, format!("{}…", "ř".repeat(79)));
    assert_eq!(clean_label(&"ř".repeat(80), 80, 320), "ř".repeat(80));
    let emoji = clean_label(&"😀".repeat(10_000), usize::MAX, VALUE_LABEL_MAX_BYTES);
    assert!(
        emoji.len() <= VALUE_LABEL_MAX_BYTES && emoji.ends_with('…'),
        "{}",
        emoji.len()
    );
    assert_eq!(emoji.len(), 31_996 + 3); // 7,999 emoji of 4 bytes, then "…"
}

#[test]
fn dates_and_times_count_from_1960() {
    // 1960-01-01 to 2024-01-01 is 64 × 365 days plus 16 leap days (1960, 1964, …, 2020),
    // 23,376; January 16 is 15 days later: 23,391 (Python agrees:
    // `(date(2024, 1, 16) - date(1960, 1, 1)).days`), and Stata shows
    // `display %td 23391` as 16jan2024.
    assert_eq!(stata_days(date!(2024 - 01 - 16)), Some(23_391));
    assert_eq!(stata_days(date!(1959 - 12 - 31)), Some(-1));
    assert_eq!(stata_millis(datetime!(1960-01-01 0:00:00.001 UTC)), 1.0);
    assert_eq!(
        stata_millis(datetime!(1970-01-01 0:00 UTC)),
        315_619_200_000.0
    );
    assert_eq!(stata_millis(datetime!(1959-12-31 23:59:59.9995 UTC)), -1.0);
    let prague = datetime!(2024-01-16 11:11:12.345 +01:00);
    let utc = datetime!(2024-01-16 10:11:12.345 UTC);
    assert_eq!(stata_millis(prague), stata_millis(utc));
    assert_eq!(
        stata_millis(utc),
        (23_391_i64 * 86_400_000 + 36_672_345) as f64
    );
}

/// A written file's bytes and the offsets in its map.
fn write(columns: &[Column], rows: &[Vec<Value<'_>>]) -> (Vec<u8>, Vec<usize>) {
    let mut w = DtaWriter::new(Cursor::new(Vec::new()), "t", columns, rows.len() as u64).unwrap();
    for row in rows {
        w.row(row).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let at = bytes.windows(5).position(|w| w == b"<map>").unwrap() + 5;
    let map = (0..14)
        .map(|i| u64::from_le_bytes(bytes[at + 8 * i..at + 8 * i + 8].try_into().unwrap()) as usize)
        .collect();
    (bytes, map)
}

#[test]
fn missing_values_have_stata_bit_patterns_and_the_map_points_at_sections() {
    assert_eq!(f64::from_bits(DOUBLE_MISSING), 2f64.powi(1023));
    assert_eq!(DOUBLE_MISSING_A, DOUBLE_MISSING + (1 << 40));
    let columns = [col("n", "", number(&[], 0)), col("d", "", Kind::Date)];
    let rows = [
        vec![Value::NoAnswer, Value::NoAnswer],
        vec![Value::NotAsked, Value::NotAsked],
    ];
    let (bytes, map) = write(&columns, &rows);
    #[rustfmt::skip]
        let tags: [&[u8]; 14] = [
            b"<stata_dta>", b"<map>", b"<variable_types>", b"<varnames>", b"<sortlist>",
            b"<formats>", b"<value_label_names>", b"<variable_labels>", b"<characteristics>",
            b"<data>", b"<strls>", b"<value_labels>", b"</stata_dta>", b"",
        ];
    for (offset, tag) in map.iter().zip(tags) {
        assert!(bytes[*offset..].starts_with(tag), "{offset} is not {tag:?}");
    }
    assert_eq!(map[13], bytes.len());
    let data = &bytes[map[9] + 6..map[10] - 7];
    let mut want = Vec::new();
    want.extend([0, 0, 0, 0, 0, 0, 0xE0, 0x7F, 0xE5, 0xFF, 0xFF, 0x7F]); // . and .
    want.extend([0, 0, 0, 0, 0, 1, 0xE0, 0x7F, 0xE6, 0xFF, 0xFF, 0x7F]); // .a and .a
    assert_eq!(data, want.as_slice());
}

#[test]
fn misfits_are_errors_and_leave_the_writer_usable() {
    let columns = [
        col("n", "", number(&[(1.5, "half")], 0)),
        col("t", "", Kind::DateTime),
        col("s", "", Kind::Text { width: 3 }),
    ];
    let mut w = DtaWriter::new(Cursor::new(Vec::new()), "", &columns, 1).unwrap();
    use Value::{Number as N, Text as T};
    let t = || Value::DateTime(datetime!(2024-01-16 10:00 UTC));
    #[rustfmt::skip]
        let bad = [
            vec![T("1"), t(), T("abc")], vec![N(f64::NAN), t(), T("abc")],
            vec![N(f64::MAX), t(), T("abc")], vec![N(f64::INFINITY), t(), T("abc")],
            vec![N(1.0), Value::Date(date!(2024 - 01 - 16)), T("abc")],
            vec![N(1.0), t(), T("abcd")], vec![N(1.0), t(), N(1.0)], vec![N(1.0), t()],
        ];
    for bad in bad {
        let err = w.row(&bad).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad:?}: {err}");
    }
    w.row(&[N(1.0), t(), T("abc")]).unwrap();
    let err = w.row(&[N(1.0), t(), T("abc")]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
    let bytes = w.finish().unwrap().into_inner();
    // The non-integer code 1.5 got no label: the set holds only `.a`.
    let at = bytes.windows(5).position(|w| w == b"<lbl>").unwrap() + 5 + 4 + 129 + 3;
    assert_eq!(&bytes[at..at + 4], &1i32.to_le_bytes());
}

#[test]
fn fewer_rows_than_announced_is_an_error() {
    let columns = [col("n", "", number(&[], 0))];
    let mut w = DtaWriter::new(Cursor::new(Vec::new()), "", &columns, 2).unwrap();
    w.row(&[Value::Number(1.0)]).unwrap();
    assert_eq!(w.finish().unwrap_err().kind(), io::ErrorKind::InvalidInput);
}

const CHECK: &str = r#"
import sys, datetime as dt, math, pandas as pd, pyreadstat
path, expected = sys.argv[1], sys.argv[2]
NA = "not asked (skip logic) / nedotázáno"
def check(ok, what):
    if not ok:
        raise SystemExit("FAIL: " + what)
def same(got, want):
    return [g for g in got] == want or all(
        (isinstance(g, float) and isinstance(w, float) and math.isnan(g) and math.isnan(w)) or g == w
        for g, w in zip(got, want)) and len(got) == len(want)
texts = {}
for line in open(expected, encoding="ascii"):
    name, hexed = line.split()
    texts.setdefault(name, []).append(bytes.fromhex(hexed[1:]).decode("utf-8"))
nan = float("nan")
names = ["q1", "town_region", "score", "Prijeti", "submitted", "note", "essay", "v2nd", "if_"]
days = [dt.date(2024, 1, 16), dt.date(1960, 1, 1), nan, "a", dt.date(1959, 12, 31)]
times = [dt.datetime(2024, 1, 16, 10, 11, 12, 345000), dt.datetime(1960, 1, 1, 0, 0, 0, 1000), nan,
         "a", dt.datetime(1969, 12, 31, 23, 59, 59, 999000)]
df, meta = pyreadstat.read_dta(path, user_missing=True)
check(list(df.columns) == names, f"names {list(df.columns)}")
check(meta.file_label == "Průzkum 2024 " + "x" * 66 + "…", f"file label {meta.file_label!r}")
labels = dict(zip(meta.column_names, meta.column_labels))
check(labels["q1"] == "Jak jste spokojen/á? \"Velmi\"", f"q1 label {labels['q1']!r}")
check(labels["town_region"] == "town.region: Region", f"label {labels['town_region']!r}")
check(labels["Prijeti"] == "Přijetí: Datum přijetí", f"label {labels['Prijeti']!r}")
check(labels["if_"] == "if: " + "ž" * 75 + "…", f"label {labels['if_']!r}")
check(labels["note"] is None, f"note label {labels['note']!r}")
check(same(list(df["q1"]), [1.0, 2.0, nan, "a", 3.0]), f"q1 {list(df['q1'])}")
check(same(list(df["score"]), [1.25, -0.5, "a", nan, 1e10]), f"score {list(df['score'])}")
check(same(list(df["if_"]), [nan, "a", 0.0, -7.0, 2147483647.0]), f"if_ {list(df['if_'])}")
check(same(list(df["Prijeti"]), days), f"dates {list(df['Prijeti'])}")
check(same(list(df["submitted"]), times), f"times {list(df['submitted'])}")
for name, want in texts.items():
    check(list(df[name]) == want, f"{name}: {[v[:40] for v in df[name]]}")
check(len(texts["essay"][0]) == 5000, "the essay is not 5,000 characters")
vl = meta.variable_value_labels
check(vl["q1"] == {1: "ano", 2: "ne", 3: "Velmi spokojen/á — ěščřžýáíé 😀", "a": NA}, f"q1 labels {vl['q1']}")
check(vl["town_region"] == {-1: "jinde", "a": NA}, f"town labels {vl['town_region']}")
check(vl["score"] == {"a": NA} and vl["if_"] == {"a": NA}, f"labels {vl}")
check(set(vl) == {"q1", "town_region", "score", "if_"}, f"labelled {set(vl)}")
check(meta.missing_user_values == {n: ["a"] for n in ["q1", "town_region", "score", "Prijeti", "submitted", "if_"]},
      f"user missing {meta.missing_user_values}")
formats = meta.original_variable_types
check([formats[n] for n in names] == ["%10.0g", "%10.0g", "%9.2f", "%td", "%tc", "%33s", "%9s", "%3s", "%10.0g"],
      f"formats {formats}")
df, meta = pyreadstat.read_dta(path, user_missing=True, apply_value_formats=True)
check(same(list(df["q1"]), ["ano", "ne", nan, NA, "Velmi spokojen/á — ěščřžýáíé 😀"]), f"q1 formatted {list(df['q1'])}")
df = pd.read_stata(path, convert_categoricals=False)
check(list(df.columns) == names, f"pandas names {list(df.columns)}")
check(same(list(df["q1"]), [1.0, 2.0, nan, nan, 3.0]), f"pandas q1 {list(df['q1'])}")
check([str(t) for t in df["submitted"]] == ["2024-01-16 10:11:12.345000", "1960-01-01 00:00:00.001000", "NaT",
      "NaT", "1969-12-31 23:59:59.999000"], f"pandas times {list(df['submitted'])}")
check([str(t) for t in df["Prijeti"]] == ["2024-01-16 00:00:00", "1960-01-01 00:00:00", "NaT", "NaT",
      "1959-12-31 00:00:00"], f"pandas dates {list(df['Prijeti'])}")
for name, want in texts.items():
    check(list(df[name]) == want, f"pandas {name}")
# (pandas cannot convert dates when it keeps missing values apart)
df = pd.read_stata(path, convert_categoricals=False, convert_missing=True, convert_dates=False)
missing = [getattr(v, "string", v) for v in df["q1"]] + [getattr(v, "string", v) for v in df["Prijeti"]][2:4]
check(missing[:4] == [1.0, 2.0, ".", ".a"] and missing[5:] == [".", ".a"], f"pandas missing {missing}")
df = pd.read_stata(path, convert_categoricals=True)
check(same([v for v in df["q1"]], ["ano", "ne", nan, nan, "Velmi spokojen/á — ěščřžýáíé 😀"]), f"categories {list(df['q1'])}")
with pd.io.stata.StataReader(path) as reader:
    reader.read()
    check(reader.variable_labels()["town_region"] == "town.region: Region", "pandas variable label")
    check(reader.value_labels()["q1"][2147483622] == NA, f"pandas value labels {reader.value_labels()}")
print("ok")
"#;

#[test]
fn pyreadstat_and_pandas_read_back_every_kind() {
    use Value::{Date as D, DateTime as Dt, NoAnswer, NotAsked, Number as N, Text as T};
    let python = std::env::var("ANKETA_TEST_PYTHON").unwrap_or_default();
    if python.is_empty() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "ANKETA_TEST_PYTHON must be set in CI: the pyreadstat/pandas check of .dta may not be skipped"
            );
        }
        eprintln!(
            "skipping the .dta pyreadstat/pandas check: set ANKETA_TEST_PYTHON to a Python with pandas and pyreadstat"
        );
        return;
    }
    let unit =
        "Příliš žluťoučký kůň úpěl ďábelské ódy 😀 \"uvozovky\" 'apostrof'\r\n=1+1\t;konec\n";
    let essay: String = unit.repeat(100).chars().take(5000).collect();
    let other = format!("{}\n{}", "ěščřžýáíé".repeat(400), "=HYPERLINK(\"x\")");
    let hyperlink = "=HYPERLINK(\"x\")";
    let q1 = [
        (1.0, "ano"),
        (2.0, "ne"),
        (3.0, "Velmi spokojen/á — ěščřžýáíé 😀"),
    ];
    #[rustfmt::skip]
        let columns = [
            col("q1", "Jak jste spokojen/á? \"Velmi\"", number(&q1, 0)),
            col("town.region", "Region", number(&[(-1.0, "jinde"), (2.5, "skipped")], 0)),
            col("score", "", number(&[], 2)),
            col("Přijetí", "Datum\npřijetí", Kind::Date),
            col("submitted", "", Kind::DateTime),
            col("note", "", Kind::Text { width: 33 }),
            col("essay", "", Kind::Text { width: other.len() }),
            col("2nd", "", Kind::Text { width: 3 }),
            col("if", &"ž".repeat(100), number(&[], 0)),
        ];
    #[rustfmt::skip]
        let rows = [
            [N(1.0), N(-1.0), N(1.25), D(date!(2024 - 01 - 16)),
             Dt(datetime!(2024-01-16 11:11:12.345 +01:00)), T("NA"), T(&essay), T("007"), NoAnswer],
            [N(2.0), NotAsked, N(-0.5), D(date!(1960 - 01 - 01)),
             Dt(datetime!(1960-01-01 0:00:00.001 UTC)), T(hyperlink), T("short"), T(""), NotAsked],
            [NoAnswer, NoAnswer, NotAsked, NoAnswer, NoAnswer, NoAnswer, NoAnswer, NoAnswer, N(0.0)],
            [NotAsked, N(3.0), NoAnswer, NotAsked, NotAsked, NotAsked, NotAsked, NotAsked, N(-7.0)],
            [N(3.0), N(2.5), N(1e10), D(date!(1959 - 12 - 31)),
             Dt(datetime!(1969-12-31 23:59:59.999 UTC)), T("trailing  ěščřžýáíé 😀"), T(&other),
             T("x\"\n"), N(2_147_483_647.0)],
        ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.dta");
    let label = format!("Průzkum 2024\r\n{}", "x".repeat(100));
    let file = File::create(&path).unwrap();
    let mut w = DtaWriter::new(file, &label, &columns, rows.len() as u64).unwrap();
    for row in &rows {
        w.row(row).unwrap();
    }
    w.finish().unwrap().sync_all().unwrap();
    let mut expected = String::new();
    for (i, name) in [(5, "note"), (6, "essay"), (7, "v2nd")] {
        for row in &rows {
            let text = if let T(s) = row[i] { s } else { "" };
            let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
            expected.push_str(&format!("{name} x{hex}\n"));
        }
    }
    let expected_path = dir.path().join("expected.txt");
    std::fs::write(&expected_path, expected).unwrap();
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(CHECK)
        .arg(&path)
        .arg(&expected_path)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(stdout.trim(), "ok", "{stderr}");
}
