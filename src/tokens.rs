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

const RESUME_BYTES: usize = 20;
const RESUME_CHARS: usize = 32;

/// A resume code: 160 random bits in Crockford base32 (no I, L, O, U), shown in groups of
/// four: `7K2M-9QXA-...`.
pub fn new_resume_code() -> String {
    let mut bytes = [0u8; RESUME_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let plain = base32::encode(base32::Alphabet::Crockford, &bytes);
    debug_assert_eq!(plain.len(), RESUME_CHARS);
    plain
        .as_bytes()
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

/// A typed resume code in canonical form, forgiving what people get wrong (see
/// [`forgiving_crockford`]). `None` if it cannot be a code.
pub fn normalize_resume_code(typed: &str) -> Option<String> {
    let canonical = forgiving_crockford(typed);
    let valid = canonical.len() == RESUME_CHARS
        && base32::decode(base32::Alphabet::Crockford, &canonical)
            .is_some_and(|b| b.len() == RESUME_BYTES);
    valid.then(|| {
        canonical
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).expect("ASCII"))
            .collect::<Vec<_>>()
            .join("-")
    })
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
        assert_eq!(code.len(), 39, "32 characters in 8 groups");
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
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
