//! Secrets handed to people: random tokens (invitation links, CSRF), resume codes meant
//! to be typed, and their SHA-256 hashes (only hashes are stored). Comparisons are
//! constant-time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A random URL-safe token with 256 bits of entropy (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token or code: SHA-256, hex.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Digits of a resume code: 12 Crockford base32 digits, 60 random bits. Short enough to
/// type from a phone; guessing one is hopeless with the per-address limit on attempts
/// (docs/staff.md gives the odds).
pub const RESUME_DIGITS: usize = 12;
/// Codes issued before 2026-12 had 32 digits (160 bits); they keep working until they
/// expire.
const OLD_RESUME_DIGITS: usize = 32;
const OLD_RESUME_BYTES: usize = 20;
/// Crockford's base32 digits: no I, L, O or U.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new resume code, shown in groups of four: `7K2M-9QXA-4HTB`.
pub fn new_resume_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let digits: Vec<u8> = (0..RESUME_DIGITS)
        .map(|_| CROCKFORD[rng.random_range(0..CROCKFORD.len())])
        .collect();
    grouped(&digits)
}

fn grouped(digits: &[u8]) -> String {
    digits
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed Crockford base32 code without what people get wrong: spaces and dashes gone,
/// upper case, O read as 0 and I or L as 1.
pub fn forgiving_crockford(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// What a typed resume code is, read forgivingly (see [`forgiving_crockford`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedCode {
    /// A code of the right form, in canonical form (it may still be unknown).
    Code(String),
    /// A character no code has (`U`, punctuation, a letter with a diacritic).
    NotADigit(char),
    /// The number of digits typed, when a code has [`RESUME_DIGITS`].
    WrongLength(usize),
}

pub fn read_resume_code(typed: &str) -> TypedCode {
    let canonical = forgiving_crockford(typed);
    if let Some(c) = canonical
        .chars()
        .find(|c| !c.is_ascii() || !CROCKFORD.contains(&(*c as u8)))
    {
        return TypedCode::NotADigit(c);
    }
    let old = canonical.len() == OLD_RESUME_DIGITS
        && base32::decode(base32::Alphabet::Crockford, &canonical)
            .is_some_and(|b| b.len() == OLD_RESUME_BYTES);
    match canonical.len() {
        RESUME_DIGITS => TypedCode::Code(grouped(canonical.as_bytes())),
        _ if old => TypedCode::Code(grouped(canonical.as_bytes())),
        n => TypedCode::WrongLength(n),
    }
}

/// A typed resume code in canonical form; `None` if it cannot be a code.
pub fn normalize_resume_code(typed: &str) -> Option<String> {
    match read_resume_code(typed) {
        TypedCode::Code(code) => Some(code),
        TypedCode::NotADigit(_) | TypedCode::WrongLength(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_url_safe() {
        let a = new_token();
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, new_token());
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "SHA-256 test vector"
        );
    }

    #[test]
    fn resume_codes_survive_sloppy_typing() {
        let code = new_resume_code();
        assert_eq!(code.len(), 14, "12 characters in 3 groups");
        assert_eq!(normalize_resume_code(&code).as_deref(), Some(code.as_str()));
        let sloppy = code
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(
            normalize_resume_code(&sloppy).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(normalize_resume_code("too-short"), None);
        assert_eq!(
            normalize_resume_code(&code.replace(|c: char| c.is_ascii_alphanumeric(), "U")),
            None,
            "U is not in the alphabet"
        );
    }

    #[test]
    fn a_mistyped_code_says_what_is_wrong_with_its_form() {
        assert_eq!(
            read_resume_code("7K2M-9QXA-4HT"),
            TypedCode::WrongLength(11)
        );
        assert_eq!(
            read_resume_code("7K2M-9QXA-4HTBB"),
            TypedCode::WrongLength(13)
        );
        assert_eq!(
            read_resume_code("7K2M-9QXA-4HTU"),
            TypedCode::NotADigit('U')
        );
        assert_eq!(
            read_resume_code("7K2M-9QXA-4HTŘ"),
            TypedCode::NotADigit('Ř')
        );
        assert_eq!(
            read_resume_code(" 7k2m 9qxa 4htb "),
            TypedCode::Code("7K2M-9QXA-4HTB".into())
        );
        // A 32-digit code issued before the short ones still reads.
        let old = base32::encode(base32::Alphabet::Crockford, &[7u8; 20]);
        assert_eq!(old.len(), 32);
        assert!(matches!(read_resume_code(&old), TypedCode::Code(c) if c.len() == 39));
        // New codes use every digit: 60 random bits.
        let seen: std::collections::BTreeSet<char> = (0..200)
            .flat_map(|_| new_resume_code().chars().collect::<Vec<_>>())
            .filter(|c| *c != '-')
            .collect();
        assert_eq!(seen.len(), 32, "{seen:?}");
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
