//! The export registry: every file format anketa writes, declared once (its name, file
//! name, content type, what writes it, what it applies to and who may have it). The
//! command line (`anketa export --format NAME`), the staff area
//! (`/admin/surveys/ID/export/NAME`) and the dashboard's download links all read this
//! table, so a format added here is offered everywhere and nowhere else needs a change.

use super::{CodebookFormat, InterviewFormat, Layout};
use crate::staff::Role;

/// A file format, by its name on the command line and in URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    CsvExcel,
    CsvLong,
    Json,
    Xlsx,
    XlsxLabels,
    Sav,
    Dta,
    Spss,
    R,
    DataPackage,
    Codebook,
    CodebookMd,
    CodebookJson,
    InterviewsMd,
    InterviewsTxt,
    InterviewsCsv,
}

/// What writes a format's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The responses (for an interview guide: one row per interview) in a layout.
    Responses(Layout),
    /// The codebook: names no one.
    Codebook(CodebookFormat),
    /// An interview guide's finished interviews as documents.
    Interviews(InterviewFormat),
}

/// A file that goes with a format's data file: syntax reading it with labels, or the
/// open-data description of it. The command line writes it beside `-o FILE.csv`; the
/// staff area hands both over as one ZIP archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// SPSS syntax (`.sps`).
    SpssSyntax,
    /// An R script (`.R`).
    RScript,
    /// A Frictionless Data Package descriptor (`datapackage.json`, Table Schema).
    DataPackage,
}

impl Companion {
    /// The companion's file name for the data file `data_file`.
    pub fn file_name(self, data_file: &str) -> String {
        let stem = match data_file.len().checked_sub(4) {
            Some(cut)
                if data_file.is_char_boundary(cut)
                    && data_file[cut..].eq_ignore_ascii_case(".csv") =>
            {
                &data_file[..cut]
            }
            _ => data_file,
        };
        match self {
            Companion::SpssSyntax => format!("{stem}.sps"),
            Companion::RScript => format!("{stem}.R"),
            // The standard name: a folder holding it is a data package.
            Companion::DataPackage => "datapackage.json".into(),
        }
    }

    /// The companion's text for `data_file` with `header` (the data file's first row).
    /// `coarsened` names columns an anonymized export coarsened: they hold text (a month,
    /// a band) whatever the question's type.
    pub fn text(
        self,
        survey_id: &str,
        title: &str,
        data_file: &str,
        header: &[String],
        entries: &[super::CodebookEntry],
        coarsened: &[String],
    ) -> String {
        let mut entries = entries.to_vec();
        for name in coarsened {
            if !entries.iter().any(|e| &e.variable == name) {
                entries.push(super::CodebookEntry {
                    variable: name.clone(),
                    question: name.clone(),
                    kind: "text".into(),
                    part: "value".into(),
                    text: Vec::new(),
                    values: Vec::new(),
                    condition: "coarsened".into(),
                    free_text: false,
                    versions: Vec::new(),
                });
            }
        }
        let entries = &entries;
        match self {
            Companion::SpssSyntax => super::syntax::spss(survey_id, data_file, header, entries),
            Companion::RScript => super::syntax::r(survey_id, data_file, header, entries),
            Companion::DataPackage => {
                super::datapackage::descriptor(survey_id, title, data_file, header, entries)
            }
        }
    }
}

/// Which kinds of survey a format applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Questionnaires,
    InterviewGuides,
    Both,
}

/// Everything about one format.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub format: Format,
    /// The name on the command line and in URLs.
    pub name: &'static str,
    /// What follows the survey id in the file name (`kurz.long.csv`).
    pub suffix: &'static str,
    pub content_type: &'static str,
    /// One line for `--help` and the download list (English, Czech).
    pub description: (&'static str, &'static str),
    pub job: Job,
    pub companion: Option<Companion>,
    pub applies: Applies,
    /// Who may download it from the staff area (each within the surveys they see; what
    /// they get, identified or anonymized, is their role's privacy).
    pub roles: &'static [Role],
}

/// Staff who may download data.
const DATA_ROLES: &[Role] = &[Role::Admin, Role::Researcher, Role::Evaluator];

const CSV: &str = "text/csv; charset=utf-8";
const ZIP: &str = "application/zip";

impl Format {
    /// Every format, in the order they are offered.
    pub const ALL: [Format; 17] = [
        Format::Csv,
        Format::CsvExcel,
        Format::CsvLong,
        Format::Json,
        Format::Xlsx,
        Format::XlsxLabels,
        Format::Sav,
        Format::Dta,
        Format::Spss,
        Format::R,
        Format::DataPackage,
        Format::Codebook,
        Format::CodebookMd,
        Format::CodebookJson,
        Format::InterviewsMd,
        Format::InterviewsTxt,
        Format::InterviewsCsv,
    ];

    pub fn spec(self) -> Spec {
        use Format as F;
        let (name, suffix, content_type, job, companion) = match self {
            F::Csv => ("csv", "csv", CSV, Job::Responses(Layout::Wide), None),
            F::CsvExcel => (
                "csv-excel",
                "excel.csv",
                CSV,
                Job::Responses(Layout::WideExcel),
                None,
            ),
            F::CsvLong => (
                "csv-long",
                "long.csv",
                CSV,
                Job::Responses(Layout::Long),
                None,
            ),
            F::Json => (
                "json",
                "jsonl",
                "application/x-ndjson",
                Job::Responses(Layout::JsonLines),
                None,
            ),
            F::Xlsx => (
                "xlsx",
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Job::Responses(Layout::Xlsx { labels: false }),
                None,
            ),
            F::XlsxLabels => (
                "xlsx-labels",
                "labels.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Job::Responses(Layout::Xlsx { labels: true }),
                None,
            ),
            F::Sav => (
                "sav",
                "sav",
                "application/x-spss-sav",
                Job::Responses(Layout::Native(super::native::Native::Sav)),
                None,
            ),
            F::Dta => (
                "dta",
                "dta",
                "application/x-stata-dta",
                Job::Responses(Layout::Native(super::native::Native::Dta)),
                None,
            ),
            F::Spss => (
                "spss",
                "spss.zip",
                ZIP,
                Job::Responses(Layout::WideOneLine),
                Some(Companion::SpssSyntax),
            ),
            F::R => (
                "r",
                "r.zip",
                ZIP,
                Job::Responses(Layout::Wide),
                Some(Companion::RScript),
            ),
            F::DataPackage => (
                "datapackage",
                "datapackage.zip",
                ZIP,
                Job::Responses(Layout::Wide),
                Some(Companion::DataPackage),
            ),
            F::Codebook => (
                "codebook",
                "codebook.csv",
                CSV,
                Job::Codebook(CodebookFormat::Csv),
                None,
            ),
            F::CodebookMd => (
                "codebook-md",
                "codebook.md",
                "text/markdown; charset=utf-8",
                Job::Codebook(CodebookFormat::Markdown),
                None,
            ),
            F::CodebookJson => (
                "codebook-json",
                "codebook.json",
                "application/json",
                Job::Codebook(CodebookFormat::Json),
                None,
            ),
            F::InterviewsMd => (
                "interviews-md",
                "interviews.md",
                "text/markdown; charset=utf-8",
                Job::Interviews(InterviewFormat::Markdown),
                None,
            ),
            F::InterviewsTxt => (
                "interviews-txt",
                "interviews.txt",
                "text/plain; charset=utf-8",
                Job::Interviews(InterviewFormat::Text),
                None,
            ),
            F::InterviewsCsv => (
                "interviews-csv",
                "interviews.csv",
                CSV,
                Job::Interviews(InterviewFormat::LongCsv),
                None,
            ),
        };
        Spec {
            format: self,
            name,
            suffix,
            content_type,
            description: self.description(),
            job,
            companion,
            applies: self.applies(),
            roles: DATA_ROLES,
        }
    }

    /// Whether it is for questionnaires, interview guides or both.
    fn applies(self) -> Applies {
        use Format as F;
        match self {
            F::Csv => Applies::Both,
            F::CsvExcel
            | F::CsvLong
            | F::Json
            | F::Xlsx
            | F::XlsxLabels
            | F::Sav
            | F::Dta
            | F::Spss
            | F::R
            | F::DataPackage
            | F::Codebook
            | F::CodebookMd
            | F::CodebookJson => Applies::Questionnaires,
            F::InterviewsMd | F::InterviewsTxt | F::InterviewsCsv => Applies::InterviewGuides,
        }
    }

    /// One line for `--help` and the download list (English, Czech).
    fn description(self) -> (&'static str, &'static str) {
        use Format as F;
        match self {
            F::Csv => (
                "Wide CSV: one row per response (for an interview guide: per interview), one column per variable",
                "CSV: jeden řádek na odpověď, jeden sloupec na proměnnou",
            ),
            F::CsvExcel => (
                "Wide CSV for Czech Excel: UTF-8 with BOM, semicolons, decimal commas",
                "CSV pro český Excel: středníky, desetinné čárky",
            ),
            F::CsvLong => (
                "Long CSV: response_id, variable, value (one row per non-empty value)",
                "Dlouhé CSV: odpověď, proměnná, hodnota",
            ),
            F::Json => (
                "JSON lines: one object per response",
                "JSON lines: jeden objekt na odpověď",
            ),
            F::Xlsx => (
                "Excel workbook with codes: typed data sheet and the codebook",
                "Sešit Excel s kódy: data a číselník",
            ),
            F::XlsxLabels => (
                "Excel workbook with answer labels instead of codes",
                "Sešit Excel s texty odpovědí místo kódů",
            ),
            F::Sav => (
                "SPSS data file (.sav): labels, types, \"not asked\" as a user-missing code",
                "Datový soubor SPSS (.sav)",
            ),
            F::Dta => (
                "Stata dataset (.dta, format 118): labels, types, \"not asked\" as .a",
                "Datový soubor Stata (.dta)",
            ),
            F::Spss => (
                "Wide CSV plus SPSS syntax (.sps) reading it with types and labels",
                "CSV se syntaxí SPSS (.sps)",
            ),
            F::R => (
                "Wide CSV plus an R script reading it with factors and labels",
                "CSV se skriptem pro R",
            ),
            F::DataPackage => (
                "Wide CSV plus datapackage.json (Frictionless Table Schema) for open data",
                "CSV s popisem datapackage.json pro otevřená data",
            ),
            F::Codebook => (
                "The codebook as CSV: variables, question texts, types, codes and labels",
                "Číselník (CSV)",
            ),
            F::CodebookMd => ("The codebook as Markdown", "Číselník (Markdown)"),
            F::CodebookJson => ("The codebook as JSON", "Číselník (JSON)"),
            F::InterviewsMd => (
                "Finished interviews, one Markdown document after another",
                "Rozhovory jako Markdown",
            ),
            F::InterviewsTxt => (
                "Finished interviews as plain text (a form feed between interviews)",
                "Rozhovory jako prostý text",
            ),
            F::InterviewsCsv => (
                "Long CSV for coding software: interview, topic, field, text",
                "Rozhovory jako dlouhé CSV pro kódování",
            ),
        }
    }

    /// The format called `name` on the command line or in a URL.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.spec().name == name)
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Whether it applies to an interview guide (`true`) or a questionnaire.
    pub fn applies_to(self, interview: bool) -> bool {
        match self.spec().applies {
            Applies::Both => true,
            Applies::Questionnaires => !interview,
            Applies::InterviewGuides => interview,
        }
    }

    /// Whether a file of it is binary (it cannot go to a terminal).
    pub fn is_binary(self) -> bool {
        let spec = self.spec();
        spec.companion.is_some()
            || matches!(
                spec.job,
                Job::Responses(Layout::Xlsx { .. } | Layout::Native(_))
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_file_suffixes_are_unique_and_found_again() {
        let mut names = std::collections::HashSet::new();
        let mut suffixes = std::collections::HashSet::new();
        for f in Format::ALL {
            let spec = f.spec();
            assert_eq!(spec.format, f);
            assert!(names.insert(spec.name), "{} twice", spec.name);
            assert!(suffixes.insert(spec.suffix), "{} twice", spec.suffix);
            assert_eq!(Format::from_name(spec.name), Some(f));
            // A name is safe in a URL path and on a command line.
            assert!(
                spec.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                spec.name
            );
            // A companion goes with one data file, a ZIP in the staff area.
            assert_eq!(spec.companion.is_some(), spec.content_type == ZIP);
        }
        assert_eq!(Format::from_name("xls"), None);
    }

    #[test]
    fn every_survey_kind_has_formats_and_interview_documents_only_apply_to_guides() {
        assert!(Format::ALL.iter().any(|f| f.applies_to(true)));
        assert!(Format::ALL.iter().any(|f| f.applies_to(false)));
        for f in Format::ALL {
            if matches!(f.spec().job, Job::Interviews(_)) {
                assert!(f.applies_to(true) && !f.applies_to(false), "{f:?}");
            }
        }
    }

    #[test]
    fn companions_sit_beside_their_data_file() {
        assert_eq!(
            Companion::SpssSyntax.file_name("kurz-spss.csv"),
            "kurz-spss.sps"
        );
        assert_eq!(Companion::RScript.file_name("kurz.csv"), "kurz.R");
        assert_eq!(
            Companion::DataPackage.file_name("kurz.csv"),
            "datapackage.json"
        );
    }
}
