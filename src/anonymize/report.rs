//! The anonymization report written next to an anonymized export: which rules were
//! applied, the k reached, what was suppressed, and how large the groups of look-alike
//! respondents are (overall and per quasi-identifier). Markdown, for people.

use std::fmt::Write;

use super::kanon::Outcome;
use super::scrub::Redactions;

#[derive(Debug, Clone)]
pub struct Report {
    pub survey_id: String,
    pub k: usize,
    pub outcome: Outcome,
    pub quasi_identifiers: Vec<String>,
    /// Column and rule.
    pub coarsened: Vec<(String, String)>,
    pub scrubbed: Vec<String>,
    /// Column and why.
    pub dropped: Vec<(String, &'static str)>,
    pub pseudonyms: String,
    pub redactions: Redactions,
}

fn cell(s: &str) -> String {
    let s = if s.is_empty() { "(blank)" } else { s };
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

impl Report {
    /// Why an export that needs suppression was refused (one paragraph).
    pub fn refusal(&self) -> String {
        let o = &self.outcome;
        format!(
            "k = {k} is not reached for \"{survey}\": some of the {records} response(s) are in groups of fewer than {k} that share their {qi}. \
             Reaching k needs {cells} cell(s) blanked and {dropped} response(s) left out: accept that suppression, \
             or coarsen more in the survey's [privacy.coarsen]",
            k = self.k,
            survey = self.survey_id,
            records = o.records,
            qi = self.quasi_identifiers.join(", "),
            cells = o.cells_blanked(),
            dropped = o.dropped,
        )
    }

    pub fn markdown(&self) -> String {
        let o = &self.outcome;
        let mut s = String::new();
        let _ = writeln!(s, "# Anonymization report: {}\n", self.survey_id);
        let _ = writeln!(s, "- Responses selected: {}", o.records);
        let _ = writeln!(s, "- Responses published: {}", o.records - o.dropped);
        let _ = writeln!(s, "- Responses left out (suppressed whole): {}", o.dropped);
        let _ = writeln!(s, "- Required k: {}", self.k);
        let _ = writeln!(
            s,
            "- k achieved (smallest group sharing all quasi-identifiers): {}",
            o.smallest_class
                .map_or("none published".into(), |k| k.to_string())
        );
        let _ = writeln!(s, "- Quasi-identifier cells blanked: {}", o.cells_blanked());
        let _ = writeln!(s, "- Pseudonyms: {}", self.pseudonyms);
        let _ = writeln!(s, "\n## Columns left out\n");
        if self.dropped.is_empty() {
            let _ = writeln!(s, "None.");
        } else {
            let _ = writeln!(s, "| Column | Why |\n|---|---|");
            for (name, why) in &self.dropped {
                let _ = writeln!(s, "| {} | {} |", cell(name), cell(why));
            }
        }
        let _ = writeln!(s, "\n## Coarsening\n");
        if self.coarsened.is_empty() {
            let _ = writeln!(s, "None.");
        } else {
            let _ = writeln!(s, "| Column | Rule |\n|---|---|");
            for (name, rule) in &self.coarsened {
                let _ = writeln!(s, "| {} | {} |", cell(name), cell(rule));
            }
        }
        let _ = writeln!(s, "\n## Quasi-identifiers\n");
        if self.quasi_identifiers.is_empty() {
            let _ = writeln!(
                s,
                "None declared: mark them with privacy = \"quasi_identifier\" in the survey file."
            );
        }
        for (j, name) in self.quasi_identifiers.iter().enumerate() {
            let _ = writeln!(
                s,
                "### {}\n\nCells blanked: {}\n\n| Published value | Responses |\n|---|---|",
                cell(name),
                o.blanked.get(j).copied().unwrap_or(0)
            );
            if let Some(values) = o.values.get(j) {
                for (value, n) in values {
                    let _ = writeln!(s, "| {} | {n} |", cell(value));
                }
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(
            s,
            "## Groups sharing all quasi-identifiers\n\n| Group size | Groups |\n|---|---|"
        );
        for (size, n) in &o.class_sizes {
            let _ = writeln!(s, "| {size} | {n} |");
        }
        let r = &self.redactions;
        let _ = writeln!(s, "\n## Typed text\n");
        if self.scrubbed.is_empty() {
            let _ = writeln!(s, "No typed text is published.");
        } else {
            let _ = writeln!(
                s,
                "Published redacted: {}.\n\nRedacted: {} e-mail address(es), {} phone number(s), {} birth number(s), {} name(s) from the invitation list.",
                self.scrubbed.join(", "),
                r.emails,
                r.phones,
                r.birth_numbers,
                r.names
            );
        }
        s
    }
}
