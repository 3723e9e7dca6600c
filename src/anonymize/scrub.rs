//! Redacting typed text for anonymized exports (`--scrub-text`, and text a survey
//! declares `privacy = "none"`): e-mail addresses, phone numbers, Czech birth numbers
//! (rodná čísla) and the names of invited people (words from the invitation list's
//! identifier columns, with up to three more letters for Czech case endings).

use std::sync::LazyLock;

use regex::Regex;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("valid regex")
});

/// YYMMDD/XXX(X) or YYMMDDXXXX: months 01-12, +20, +50, +70 (women, and the extra series).
/// Nine digits without the slash are left to the phone pattern.
static BIRTH_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\d{2}(?:0[1-9]|1[0-2]|2[1-9]|3[0-2]|5[1-9]|6[0-2]|7[1-9]|8[0-2])(?:0[1-9]|[12]\d|3[01])(?:\s?/\s?\d{3,4}|\d{4})\b",
    )
    .expect("valid regex")
});

/// Nine digits, optionally grouped by threes and with an international prefix
/// (+420 603 123 456, 00420603123456, 603-123-456).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:\+|\b00)\d{1,3}[ .-]?)?\b\d{3}[ .-]?\d{3}[ .-]?\d{3}\b")
        .expect("valid regex")
});

/// What replaces each kind of redacted text.
pub const EMAIL_MARK: &str = "[e-mail]";
pub const PHONE_MARK: &str = "[phone]";
pub const BIRTH_NUMBER_MARK: &str = "[birth number]";
pub const NAME_MARK: &str = "[name]";

/// A redactor for one survey: the common patterns plus the invited people's names.
#[derive(Debug, Clone)]
pub struct Scrubber {
    names: Option<Regex>,
}

/// What one redaction did, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Redactions {
    pub emails: u64,
    pub phones: u64,
    pub birth_numbers: u64,
    pub names: u64,
}

impl Redactions {
    pub fn add(&mut self, other: Redactions) {
        self.emails += other.emails;
        self.phones += other.phones;
        self.birth_numbers += other.birth_numbers;
        self.names += other.names;
    }
}

impl Scrubber {
    /// `people`: values of identifier columns of the invitation list (names, e-mails).
    /// Words of three letters or more become names to redact.
    pub fn new<'a>(people: impl IntoIterator<Item = &'a str>) -> Scrubber {
        let mut words: Vec<String> = people
            .into_iter()
            .flat_map(|v| v.split(|c: char| !c.is_alphabetic()))
            .map(|w| stem(&w.to_lowercase()))
            .filter(|w| w.chars().count() >= 3)
            .collect();
        words.sort();
        words.dedup();
        // Longest first, so "Nováková" is not cut at "Novák".
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let names = (!words.is_empty()).then(|| {
            let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
            Regex::new(&format!(r"(?i)\b(?:{})\w{{0,3}}\b", alternatives.join("|")))
                .expect("escaped words make a valid regex")
        });
        Scrubber { names }
    }

    /// The text with every match replaced by its mark.
    pub fn scrub(&self, text: &str) -> (String, Redactions) {
        let mut counts = Redactions::default();
        let mut out = replace(&EMAIL, text, EMAIL_MARK, &mut counts.emails);
        out = replace(
            &BIRTH_NUMBER,
            &out,
            BIRTH_NUMBER_MARK,
            &mut counts.birth_numbers,
        );
        out = replace(&PHONE, &out, PHONE_MARK, &mut counts.phones);
        if let Some(names) = &self.names {
            out = replace(names, &out, NAME_MARK, &mut counts.names);
        }
        (out, counts)
    }
}

/// A name without its final vowel, so Czech case endings match: Dvořáková ->
/// dvořákov (Dvořákovou, Dvořákové), Marie -> mari (Marii, Marií).
fn stem(word: &str) -> String {
    match word.chars().last() {
        Some('a' | 'á' | 'e' | 'é' | 'ě' | 'i' | 'í' | 'o' | 'u' | 'ů' | 'y' | 'ý') => {
            word.chars().take(word.chars().count() - 1).collect()
        }
        _ => word.to_string(),
    }
}

fn replace(re: &Regex, text: &str, mark: &str, count: &mut u64) -> String {
    let n = re.find_iter(text).count() as u64;
    if n == 0 {
        return text.to_string();
    }
    *count += n;
    re.replace_all(text, mark).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_and_birth_numbers_are_redacted() {
        let s = Scrubber::new([]);
        let (out, n) = s.scrub(
            "Pište na jana.novakova@mestokolin.cz nebo volejte +420 603 123 456, 603123456; r.č. 855101/1234 a 7001011234.",
        );
        assert_eq!(
            out,
            "Pište na [e-mail] nebo volejte [phone], [phone]; r.č. [birth number] a [birth number]."
        );
        assert_eq!(
            n,
            Redactions {
                emails: 1,
                phones: 2,
                birth_numbers: 2,
                names: 0
            }
        );
    }

    #[test]
    fn ordinary_numbers_stay() {
        let s = Scrubber::new([]);
        let text = "Máme 3 pracovníky, 12 klientů týdně, rozpočet 450 000 Kč, rok 2024.";
        assert_eq!(s.scrub(text).0, text);
    }

    #[test]
    fn invited_names_are_redacted_in_any_case_and_czech_ending() {
        let s = Scrubber::new(["Jan Novák", "Marie Dvořáková", "jn@example.cz", "Al"]);
        let (out, n) =
            s.scrub("S panem Novákem a paní DVOŘÁKOVOU jsme mluvili; Jan souhlasil. Al ne.");
        assert_eq!(
            out,
            "S panem [name] a paní [name] jsme mluvili; [name] souhlasil. Al ne."
        );
        assert_eq!(n.names, 3);
        // Other words are left alone, even when they start like a name fragment.
        assert_eq!(s.scrub("Janovice").0, "Janovice");
    }
}
