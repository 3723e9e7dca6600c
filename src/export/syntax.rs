//! Syntax files that read a wide CSV export into SPSS (`.sps`: GET DATA with types, variable
//! and value labels) or R (`.R`: read.csv, factors with the codebook's levels and labels,
//! dates). Pure text from the CSV's header and the codebook.

use super::codebook::Entry;

/// What a column holds, for the statistics packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Number,
    Date,
    DateTime,
    /// Free text: may be long.
    LongText,
    Text,
}

pub(super) fn kind(column: &str, entry: Option<&Entry>) -> Kind {
    match (column, entry) {
        ("submitted_at", None) => Kind::DateTime,
        (_, Some(e)) if matches!(e.part.as_str(), "option" | "rank" | "points") => Kind::Number,
        (_, Some(e))
            if e.part == "value" && matches!(e.kind.as_str(), "number" | "rating" | "yesno") =>
        {
            Kind::Number
        }
        (_, Some(e)) if e.kind == "date" => Kind::Date,
        (_, Some(e)) if e.free_text => Kind::LongText,
        _ => Kind::Text,
    }
}

/// `code = label` pairs of a choice variable's codes (a single choice, a dropdown, a
/// Likert item, a matrix row): not option ticks, ranks, numbers or yes/no.
pub(super) fn value_labels(e: &Entry) -> Vec<(&str, &str)> {
    let coded = matches!(e.part.as_str(), "value" | "row")
        && !matches!(
            e.kind.as_str(),
            "number" | "rating" | "yesno" | "consent" | "date"
        );
    if !coded {
        return Vec::new();
    }
    e.pairs().collect()
}

/// SPSS variable names for the columns: letters, digits, `_` and `.`, starting with a
/// letter, at most 64 bytes, unique (the original name stays in the variable label).
fn spss_names(columns: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in columns {
        let mut name: String = c
            .chars()
            .map(|ch| {
                if ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' {
                    ch
                } else {
                    '_'
                }
            })
            .collect();
        if !name.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
            name = format!("v_{name}");
        }
        name = name.trim_end_matches('.').chars().take(60).collect();
        let base = name.clone();
        let mut n = 1;
        while names.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

pub(super) fn label(e: &Entry) -> &str {
    e.text.first().map_or("", |(_, t)| t.as_str())
}

fn spss_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace(['\n', '\r'], " "))
}

/// Longest variable label SPSS keeps, in bytes (UTF-8).
const SPSS_VARIABLE_LABEL: usize = 255;
/// Longest value label SPSS keeps, in bytes (UTF-8).
const SPSS_VALUE_LABEL: usize = 120;

/// A label cut to `max` bytes at a character boundary, with "…" when cut (SPSS would cut
/// it itself, possibly inside a Czech letter's two bytes).
fn spss_label(s: &str, max: usize) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.len() <= max {
        return s;
    }
    let mut end = max - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", s[..end].trim_end())
}

/// The characters that make a spreadsheet run a cell (see [`super::formula`]), as an
/// SPSS string expression.
const TRIGGERS: &str = "CONCAT(\"=+-@\", X'09', X'0D')";

/// SPSS syntax reading `data_file` (in the same folder) with `columns` (the CSV header).
pub fn spss(survey_id: &str, data_file: &str, columns: &[String], entries: &[Entry]) -> String {
    let entry = |c: &str| entries.iter().find(|e| e.variable == c);
    let names = spss_names(columns);
    let mut out = format!(
        "* anketa export of survey {}: reads {} (UTF-8, the same folder).\n\
         * Run it from the folder holding the data file, or put the full path in /FILE.\n\
         * Numbers in the file have a decimal point, whatever SET DECIMAL says here;\n\
         * line breaks inside answers are U+E000 (LF) and U+E001 (CR) in the file (one case\n\
         * per line); the COMPUTE commands below turn them back into line breaks.\n\
         PRESERVE.\n\
         SET DECIMAL=DOT.\n\
         GET DATA /TYPE=TXT /FILE={} /ENCODING='UTF8'\n  /DELCASE=LINE /DELIMITERS=\",\" /QUALIFIER='\"' /ARRANGEMENT=DELIMITED /FIRSTCASE=2\n  /VARIABLES=",
        spss_string(survey_id),
        spss_string(data_file),
        spss_string(data_file)
    );
    // Each line starts with the previous variable's format, never with a name: a line
    // starting with a variable called `comment` would be read as a COMMENT command.
    for (c, name) in columns.iter().zip(&names) {
        let format = match kind(c, entry(c)) {
            Kind::Number => "F12.4",
            Kind::Date => "SDATE10",
            Kind::DateTime => "A30",
            Kind::LongText => "A32767",
            Kind::Text => "A255",
        };
        out.push_str(&format!("{name}\n  {format} "));
    }
    out.push_str(".\n");
    // The apostrophe anketa puts before text a spreadsheet would run as a formula (see
    // export::formula) comes off again; one command per line, each starting with IF.
    for (c, name) in columns.iter().zip(&names) {
        if matches!(kind(c, entry(c)), Kind::Text | Kind::LongText) {
            // Line breaks back first: a formula character after the apostrophe may be one.
            out.push_str(&format!(
                "COMPUTE {name} = REPLACE(REPLACE({name}, \"{}\", X'0D'), \"{}\", X'0A').\n",
                super::CARRIAGE_RETURN,
                super::LINE_FEED
            ));
            out.push_str(&format!(
                "IF (SUBSTR({name}, 1, 1) = \"'\" AND (INDEX({TRIGGERS}, SUBSTR({name}, 2, 1)) > 0 \
                 OR (SUBSTR({name}, 2, 1) = \"'\" AND INDEX({TRIGGERS}, SUBSTR({name}, 3, 1)) > 0))) \
                 {name} = SUBSTR({name}, 2).\n"
            ));
        }
    }
    let labels: Vec<String> = columns
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            let text = match entry(c) {
                Some(e) if c == name => label(e).to_string(),
                Some(e) => format!("{c}: {}", label(e)),
                None => c.clone(),
            };
            format!(
                "{name} {}",
                spss_string(&spss_label(&text, SPSS_VARIABLE_LABEL))
            )
        })
        .collect();
    out.push_str("VARIABLE LABELS ");
    out.push_str(&labels.join("\n  /"));
    out.push_str(" .\n");
    let with_values: Vec<String> = columns
        .iter()
        .zip(&names)
        .filter_map(|(c, name)| {
            let e = entry(c)?;
            let pairs: Vec<String> = match (e.part.as_str(), e.kind.as_str()) {
                ("value", "yesno") => vec!["1 'yes'".into(), "0 'no'".into()],
                ("option", _) => vec!["1 'chosen'".into(), "0 'not chosen'".into()],
                _ => value_labels(e)
                    .iter()
                    .map(|(code, l)| {
                        format!(
                            "{} {}",
                            spss_string(code),
                            spss_string(&spss_label(l, SPSS_VALUE_LABEL))
                        )
                    })
                    .collect(),
            };
            (!pairs.is_empty()).then(|| format!("{name} {}", pairs.join(" ")))
        })
        .collect();
    if !with_values.is_empty() {
        out.push_str("VALUE LABELS ");
        out.push_str(&with_values.join("\n  /"));
        out.push_str(" .\n");
    }
    out.push_str("EXECUTE.\nRESTORE.\n");
    out
}

fn r_string(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
            .replace('\r', "")
    )
}

/// An R script reading `data_file` (in the working directory) into `data`.
pub fn r(survey_id: &str, data_file: &str, columns: &[String], entries: &[Entry]) -> String {
    let entry = |c: &str| entries.iter().find(|e| e.variable == c);
    let mut out = format!(
        "# anketa export of survey {}: reads {} (UTF-8) into `data`,\n\
         # with factors for choice questions and the question texts as \"label\" attributes.\n\
         # Every column is read as text (an answer \"0123\", \"TRUE\" or \"NA\" stays as typed);\n\
         # numbers, dates and times are converted below, and the apostrophe anketa puts before\n\
         # text that a spreadsheet would run as a formula is taken off.\n\
         data <- read.csv({}, fileEncoding = \"UTF-8\", check.names = FALSE,\n                 colClasses = \"character\", na.strings = \"\")\n",
        r_string(survey_id),
        r_string(data_file),
        r_string(data_file)
    );
    for c in columns {
        let col = format!("data[[{}]]", r_string(c));
        let e = entry(c);
        match kind(c, e) {
            Kind::DateTime => out.push_str(&format!(
                "{col} <- as.POSIXct({col}, format = \"%Y-%m-%dT%H:%M:%OSZ\", tz = \"UTC\")\n"
            )),
            Kind::Date => out.push_str(&format!("{col} <- as.Date({col})\n")),
            Kind::Number => out.push_str(&format!("{col} <- as.numeric({col})\n")),
            Kind::Text | Kind::LongText => out.push_str(&format!(
                "{col} <- sub(\"^'('?[-=+@\\t\\r])\", \"\\\\1\", {col})\n"
            )),
        }
        let Some(e) = e else { continue };
        let pairs = value_labels(e);
        if !pairs.is_empty() {
            let levels: Vec<String> = pairs.iter().map(|(c, _)| r_string(c)).collect();
            let labels: Vec<String> = pairs.iter().map(|(_, l)| r_string(l)).collect();
            out.push_str(&format!(
                "{col} <- factor({col}, levels = c({}), labels = c({}))\n",
                levels.join(", "),
                labels.join(", ")
            ));
        }
        out.push_str(&format!(
            "attr({col}, \"label\") <- {}\n",
            r_string(label(e))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(variable: &str, kind: &str, values: &[&str], free_text: bool) -> Entry {
        Entry {
            variable: variable.into(),
            question: variable.split('.').next().unwrap().into(),
            kind: kind.into(),
            part: if variable.contains('.') {
                "option"
            } else {
                "value"
            }
            .into(),
            text: vec![("cs".into(), format!("Otázka {variable} 'x' \"y\""))],
            values: values.iter().map(|v| v.to_string()).collect(),
            condition: String::new(),
            free_text,
            versions: vec!["v1".into()],
        }
    }

    fn fixture() -> (Vec<String>, Vec<Entry>) {
        let columns = [
            "response_id",
            "submitted_at",
            "role",
            "topics.law",
            "hours",
            "ok",
            "comment",
            "day",
        ]
        .map(String::from)
        .to_vec();
        let entries = vec![
            entry(
                "role",
                "single",
                &["sw = Sociální pracovník", "other = Jiná"],
                false,
            ),
            entry(
                "topics.law",
                "multi",
                &["1 = chosen", "0 = not chosen"],
                false,
            ),
            entry("hours", "number", &[], false),
            entry("ok", "yesno", &["1 = yes", "0 = no"], false),
            entry("comment", "textarea", &[], true),
            entry("day", "date", &[], false),
        ];
        (columns, entries)
    }

    #[test]
    fn spss_syntax_types_and_labels_every_column() {
        let (columns, entries) = fixture();
        let sps = spss("kurz", "kurz.csv", &columns, &entries);
        for expected in [
            "PRESERVE.\nSET DECIMAL=DOT.\nGET DATA /TYPE=TXT /FILE='kurz.csv' /ENCODING='UTF8'",
            // Each line starts with a format: a variable named `comment` at the start of
            // a line would be a COMMENT command (PSPP then drops every later variable).
            "/VARIABLES=response_id\n  A255 submitted_at\n  A30 role\n  A255 topics.law\n  \
             F12.4 hours\n  F12.4 ok\n  F12.4 comment\n  A32767 day\n  SDATE10 .\n",
            "VARIABLE LABELS response_id 'response_id'\n",
            "\n  /role 'Otázka role ''x'' \"y\"'",
            "VALUE LABELS role 'sw' 'Sociální pracovník' 'other' 'Jiná'\n  /topics.law 1 'chosen' 0 'not chosen'\n  /ok 1 'yes' 0 'no' .",
            "EXECUTE.\nRESTORE.\n",
            "\nIF (SUBSTR(role, 1, 1) = \"'\" AND (INDEX(CONCAT(\"=+-@\", X'09', X'0D'), SUBSTR(role, 2, 1)) > 0",
            "\nCOMPUTE comment = REPLACE(REPLACE(comment, \"\u{E001}\", X'0D'), \"\u{E000}\", X'0A').\n",
        ] {
            assert!(sps.contains(expected), "missing {expected:?} in\n{sps}");
        }
        for line in sps.lines() {
            let first = line.split_whitespace().next().unwrap_or("");
            assert!(
                !columns.iter().any(|c| c == first),
                "a line starts with a variable name: {line:?}"
            );
        }
    }

    #[test]
    fn long_labels_are_cut_at_a_character_boundary() {
        let long = "Ř".repeat(200); // 400 bytes
        let cut = spss_label(&long, SPSS_VARIABLE_LABEL);
        assert!(cut.len() <= SPSS_VARIABLE_LABEL, "{}", cut.len());
        assert!(cut.ends_with('…') && cut.starts_with("ŘŘ"));
        assert_eq!(spss_label("krátký\nštítek", 255), "krátký štítek");
    }

    #[test]
    fn spss_names_are_safe_and_unique_and_keep_the_original_in_the_label() {
        let columns = ["first name", "1st", "a'b\nHOST COMMAND", "First_name", "x."]
            .map(String::from)
            .to_vec();
        assert_eq!(
            spss_names(&columns),
            [
                "first_name",
                "v_1st",
                "a_b_HOST_COMMAND",
                "First_name_2",
                "x"
            ]
        );
        let sps = spss("s", "s.csv", &columns, &[]);
        assert!(sps.contains("\n  A255 a_b_HOST_COMMAND\n"), "{sps}");
        assert!(
            !sps.contains("\nHOST COMMAND"),
            "no line starts a command: {sps}"
        );
        assert!(
            sps.contains("/a_b_HOST_COMMAND 'a''b HOST COMMAND'"),
            "{sps}"
        );
    }

    #[test]
    fn r_script_makes_factors_dates_and_labels() {
        let (columns, entries) = fixture();
        let script = r("kurz", "kurz.csv", &columns, &entries);
        for expected in [
            "data <- read.csv(\"kurz.csv\", fileEncoding = \"UTF-8\", check.names = FALSE,",
            "data[[\"role\"]] <- factor(data[[\"role\"]], levels = c(\"sw\", \"other\"), labels = c(\"Sociální pracovník\", \"Jiná\"))",
            "attr(data[[\"role\"]], \"label\") <- \"Otázka role 'x' \\\"y\\\"\"",
            "data[[\"submitted_at\"]] <- as.POSIXct(",
            "data[[\"day\"]] <- as.Date(data[[\"day\"]])",
        ] {
            assert!(
                script.contains(expected),
                "missing {expected:?} in\n{script}"
            );
        }
        assert!(
            !script.contains("factor(data[[\"topics.law\"]]"),
            "ticks stay numbers"
        );
        assert!(!script.contains("factor(data[[\"ok\"]]"));
    }
}
