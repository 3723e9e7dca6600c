//! A Frictionless Data Package descriptor (`datapackage.json`, Table Schema) for a wide
//! CSV export, so the dataset can be published as open data with its codebook: each
//! column's type, title (the question text), description (the condition it was asked
//! under), and for coded columns the allowed codes with their labels. Pure JSON from the
//! CSV's header and the codebook. <https://datapackage.org/standard/table-schema/>

use serde_json::{Value, json};

use super::codebook::Entry;
use super::syntax::{Kind, kind, label, value_labels};

/// The descriptor of `data_file` (in the same folder) with `columns` (the CSV header).
pub fn descriptor(
    survey_id: &str,
    title: &str,
    data_file: &str,
    columns: &[String],
    entries: &[Entry],
) -> String {
    let entry = |c: &str| entries.iter().find(|e| e.variable == c);
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let e = entry(c);
            let mut field = json!({ "name": c });
            let kind = kind(c, e);
            field["type"] = match kind {
                Kind::Number => "number",
                Kind::Date => "date",
                Kind::DateTime => "datetime",
                Kind::Text | Kind::LongText => "string",
            }
            .into();
            if kind == Kind::DateTime {
                // RFC 3339 in UTC, with fractions of a second where there are any.
                field["format"] = "any".into();
            }
            if let Some(e) = e {
                field["title"] = label(e).into();
                if !e.condition.is_empty() {
                    field["description"] = format!("asked when: {}", e.condition).into();
                }
                let pairs = value_labels(e);
                if !pairs.is_empty() {
                    field["constraints"] = json!({
                        "enum": pairs.iter().map(|(code, _)| *code).collect::<Vec<_>>()
                    });
                    field["categories"] = pairs
                        .iter()
                        .map(|(code, l)| json!({ "value": code, "label": l }))
                        .collect();
                }
            }
            field
        })
        .collect();
    let name: String = survey_id
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let package = json!({
        "name": name,
        "title": title,
        "description": "Responses exported by anketa. Empty cells are missing answers \
            (not asked because of skip logic, or not answered). Text that a spreadsheet \
            would run as a formula (starting with =, +, -, @, a tab or a carriage return) \
            has an apostrophe in front of it.",
        "resources": [{
            "name": name,
            "path": data_file,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
            "schema": {
                "fields": fields,
                "missingValues": [""],
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&package).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_carry_types_titles_and_codes_with_labels() {
        let entry = |variable: &str, kind: &str, values: &[&str]| Entry {
            variable: variable.into(),
            question: variable.into(),
            kind: kind.into(),
            part: "value".into(),
            text: vec![("cs".into(), format!("Otázka {variable}"))],
            values: values.iter().map(|v| v.to_string()).collect(),
            condition: if variable == "hours" {
                "answered(role)".into()
            } else {
                String::new()
            },
            free_text: false,
            versions: vec!["v1".into()],
        };
        let columns = ["response_id", "submitted_at", "role", "hours", "day"].map(String::from);
        let entries = [
            entry(
                "role",
                "single",
                &["sw = Sociální pracovník", "other = Jiná"],
            ),
            entry("hours", "number", &[]),
            entry("day", "date", &[]),
        ];
        let text = descriptor("Kurz 1", "Kurz", "kurz.csv", &columns, &entries);
        let d: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(d["name"], "kurz-1");
        let resource = &d["resources"][0];
        assert_eq!(resource["path"], "kurz.csv");
        let fields = resource["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, columns);
        let types: Vec<&str> = fields.iter().map(|f| f["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["string", "datetime", "string", "number", "date"]);
        assert_eq!(fields[2]["title"], "Otázka role");
        assert_eq!(fields[2]["constraints"]["enum"], json!(["sw", "other"]));
        assert_eq!(
            fields[2]["categories"][0],
            json!({"value": "sw", "label": "Sociální pracovník"})
        );
        assert_eq!(fields[3]["description"], "asked when: answered(role)");
        assert!(fields[0].get("title").is_none());
    }
}
