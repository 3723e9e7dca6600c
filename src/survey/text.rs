//! Languages the respondent interface supports and localized survey text
//! (a plain string, or one string per language).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language anketa can show its respondent interface in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Cs,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Cs, Lang::En];

    /// The BCP 47 code used in survey files, URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Cs => "cs",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's name in English, for diagnostics.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::Cs => "Czech",
            Lang::En => "English",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Text a researcher wrote: either one string for every language, or one per language.
///
/// The loader guarantees that a per-language text has an entry for every language the
/// survey declares, so [`Text::get`] only falls back for languages outside the survey.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    Same(String),
    PerLang(Vec<(Lang, String)>),
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Text {
        Text::Same(s.into())
    }

    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Text::Same(s) => s,
            Text::PerLang(items) => items
                .iter()
                .find(|(l, _)| *l == lang)
                .or_else(|| items.first())
                .map(|(_, s)| s.as_str())
                .unwrap_or(""),
        }
    }

    /// Every language variant, for codebooks: `None` means the same text in all languages.
    pub fn variants(&self) -> Vec<(Option<Lang>, &str)> {
        match self {
            Text::Same(s) => vec![(None, s.as_str())],
            Text::PerLang(items) => items.iter().map(|(l, s)| (Some(*l), s.as_str())).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_language_text_picks_the_requested_language() {
        let t = Text::PerLang(vec![(Lang::Cs, "Ano".into()), (Lang::En, "Yes".into())]);
        assert_eq!(t.get(Lang::En), "Yes");
        assert_eq!(t.get(Lang::Cs), "Ano");
    }

    #[test]
    fn missing_language_falls_back_to_the_first_variant() {
        let t = Text::PerLang(vec![(Lang::Cs, "Ano".into())]);
        assert_eq!(t.get(Lang::En), "Ano");
        assert_eq!(Text::plain("Kolín").get(Lang::En), "Kolín");
    }

    #[test]
    fn language_codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("de"), None);
    }
}
