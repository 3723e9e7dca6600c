//! Redacting typed text for anonymized exports (`--scrub-text`, and text a survey
//! declares `privacy = "none"`): e-mail addresses, phone numbers, Czech birth numbers
//! (rodná čísla) and the names of invited people (words from the invitation list's
//! identifier columns, also in their Czech case forms).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// Addresses with letters of any script, and the `(at)` / `[at]` spellings people use to
/// dodge harvesters. Every address an e-mail question accepts
/// ([`crate::survey::form::parse_email`]: the characters browsers allow before the @, any
/// dotted domain) is redacted whole; numbers like `2@3.5` are redacted too (the safe side).
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+(?:@|\s*[(\[]at[)\]]\s*)[\p{L}\p{N}-]+(?:(?:\.|\s*[(\[]dot[)\]]\s*)[\p{L}\p{N}-]+)+",
    )
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

/// Nine digits grouped 3-3-3 or 3-2-2-2 (by spaces, dots, dashes or slashes, or not at
/// all), optionally after +420 / 00420 (or +421) or another `+NNN ` prefix:
/// +420 603 123 456, +420603123456, 00420603123456, 603 12 34 56, 603/123/456.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:\+|\b00)42[01][ .\-/]?|\+\d{1,3}[ .\-]|\b)\d{3}[ .\-/]?(?:\d{3}[ .\-/]?\d{3}|\d{2}[ .\-/]?\d{2}[ .\-/]?\d{2})\b",
    )
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
    /// Lower-case names and their stems: a word of the text that is one of them plus up
    /// to three letters is a name. A set, not a regex: invitation lists can be long.
    names: HashSet<String>,
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
    /// Words of three letters or more become names to redact, with their Czech stems.
    pub fn new<'a>(people: impl IntoIterator<Item = &'a str>) -> Scrubber {
        let mut names = HashSet::new();
        for value in people {
            for word in value.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() < 3 {
                    continue;
                }
                let word = word.to_lowercase();
                names.extend(stems(&word));
                names.insert(word);
            }
        }
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
        if !self.names.is_empty() {
            out = self.replace_names(&out, &mut counts.names);
        }
        (out, counts)
    }

    /// Replace every word that is a known name or stem plus at most three letters.
    fn replace_names(&self, text: &str, count: &mut u64) -> String {
        let mut out = String::with_capacity(text.len());
        let mut word_start: Option<usize> = None;
        let mut flush = |out: &mut String, word: &str| {
            if self.is_name(word) {
                *count += 1;
                out.push_str(NAME_MARK);
            } else {
                out.push_str(word);
            }
        };
        for (i, c) in text.char_indices() {
            match (c.is_alphabetic(), word_start) {
                (true, None) => word_start = Some(i),
                (true, Some(_)) => {}
                (false, Some(start)) => {
                    flush(&mut out, &text[start..i]);
                    word_start = None;
                    out.push(c);
                }
                (false, None) => out.push(c),
            }
        }
        if let Some(start) = word_start {
            flush(&mut out, &text[start..]);
        }
        out
    }

    fn is_name(&self, word: &str) -> bool {
        let lower: Vec<char> = word.to_lowercase().chars().collect();
        if lower.len() < 3 {
            return false;
        }
        (0..=3.min(lower.len() - 2)).any(|cut| {
            let prefix: String = lower[..lower.len() - cut].iter().collect();
            self.names.contains(&prefix)
        })
    }
}

/// The stems a Czech name is declined from: without its final vowel (Dvořáková ->
/// dvořákov: Dvořákovou; Eva -> ev: Evou) and without the mobile e before its last
/// consonant (Pavel -> pavl: Pavla, Pavlem; Marek -> mark: Markem).
fn stems(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    if matches!(
        chars[n - 1],
        'a' | 'á' | 'e' | 'é' | 'ě' | 'i' | 'í' | 'o' | 'u' | 'ů' | 'y' | 'ý'
    ) {
        out.push(chars[..n - 1].iter().collect());
    }
    if n >= 4 && matches!(chars[n - 2], 'e' | 'ě') {
        let mut s: String = chars[..n - 2].iter().collect();
        s.push(chars[n - 1]);
        out.push(s);
    }
    out
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

    /// Every address an e-mail question accepts is redacted whole, wherever it stands.
    #[test]
    fn every_address_an_email_question_accepts_is_redacted_whole() {
        let s = Scrubber::new([]);
        for address in [
            "o'brien@example.org",
            "jana.novakova&petr@obec.cz",
            "jan/novak@mpsv.cz",
            "novak{x}@obec.cz",
            "jana@192.168.1.10",
            "x@obec.c",
            "Jana.Novakova+dotaznik@mesto-kolin.cz",
        ] {
            assert!(
                crate::survey::form::parse_email(address).is_some(),
                "{address} is an address"
            );
            let (out, n) = s.scrub(&format!("Pište na {address}, díky."));
            assert_eq!(out, "Pište na [e-mail], díky.", "{address}");
            assert_eq!(n.emails, 1, "{address}");
        }
    }

    #[test]
    fn ordinary_numbers_stay() {
        let s = Scrubber::new([]);
        let text = "Máme 3 pracovníky, 12 klientů týdně, rozpočet 450 000 Kč, rok 2024.";
        assert_eq!(s.scrub(text).0, text);
    }

    #[test]
    fn invited_names_are_redacted_in_any_case_and_czech_ending() {
        let s = Scrubber::new([
            "Jan Novák",
            "Marie Dvořáková",
            "jn@example.cz",
            "Al",
            "Eva Marek",
            "Pavel",
        ]);
        let (out, n) =
            s.scrub("S panem Novákem a paní DVOŘÁKOVOU jsme mluvili; Jan souhlasil. Al ne.");
        assert_eq!(
            out,
            "S panem [name] a paní [name] jsme mluvili; [name] souhlasil. Al ne."
        );
        assert_eq!(n.names, 3);
        assert_eq!(
            s.scrub("Evou, Pavlem a Markem; pavla").0,
            "[name], [name] a [name]; [name]"
        );
        // Other words are left alone, even when they start like a name fragment.
        assert_eq!(s.scrub("Janovice a Markovice").0, "Janovice a Markovice");
    }

    #[test]
    fn compact_and_grouped_phones_and_unicode_addresses_are_redacted() {
        let s = Scrubber::new([]);
        for (text, kind) in [
            ("+420603123456", PHONE_MARK),
            ("00420603123456", PHONE_MARK),
            ("603 12 34 56", PHONE_MARK),
            ("603/123/456", PHONE_MARK),
            ("+421 903 123 456", PHONE_MARK),
            ("jiří.novák@obec.cz", EMAIL_MARK),
            ("jan@třebíč.cz", EMAIL_MARK),
            ("jan.novak (at) obec (dot) cz", EMAIL_MARK),
            ("jan.novak[at]obec.cz", EMAIL_MARK),
        ] {
            assert_eq!(
                s.scrub(&format!("tel/mail: {text}.")).0,
                format!("tel/mail: {kind}."),
                "{text}"
            );
        }
    }
}
