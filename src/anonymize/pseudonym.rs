//! Keyed pseudonyms: HMAC-SHA-256 of an identifier under a secret key kept outside the
//! export. Without the key nobody can compute a pseudonym from a name or e-mail, or go
//! back; with the same key the same person gets the same pseudonym in every export, so
//! pre- and post-course surveys link.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The shortest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "the pseudonym key has {0} bytes; it needs at least {MIN_KEY_BYTES} (make one with: head -c 32 /dev/urandom | base64 > pseudonym.key)"
)]
pub struct KeyTooShort(pub usize);

impl PseudonymKey {
    /// A key from a key file's contents (surrounding whitespace ignored).
    pub fn from_file_contents(bytes: &[u8]) -> Result<PseudonymKey, KeyTooShort> {
        let trimmed = bytes.trim_ascii();
        if trimmed.len() < MIN_KEY_BYTES {
            return Err(KeyTooShort(trimmed.len()));
        }
        Ok(PseudonymKey(trimmed.to_vec()))
    }

    /// The pseudonym of an identifier: 20 hex digits (80 bits). Identifiers are compared
    /// trimmed and case-insensitively, so `Jan@Obec.cz ` and `jan@obec.cz` link.
    pub fn pseudonym(&self, identifier: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"anketa-pseudonym\0");
        mac.update(identifier.trim().to_lowercase().as_bytes());
        mac.finalize().into_bytes()[..10]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_match_a_reference_hmac_and_link_spellings() {
        let key = PseudonymKey::from_file_contents(b"0123456789abcdef0123456789abcdef\n").unwrap();
        // Reference: python3 -c "import hmac,hashlib;
        //   print(hmac.new(b'0123456789abcdef0123456789abcdef',
        //   b'anketa-pseudonym\x00jan@obec.cz', hashlib.sha256).hexdigest()[:20])"
        assert_eq!(key.pseudonym(" Jan@Obec.cz"), key.pseudonym("jan@obec.cz"));
        assert_eq!(key.pseudonym("jan@obec.cz"), REFERENCE);
        assert_ne!(key.pseudonym("jana@obec.cz"), REFERENCE);
        let other = PseudonymKey::from_file_contents(&[7u8; 32]).unwrap();
        assert_ne!(other.pseudonym("jan@obec.cz"), REFERENCE);
    }

    const REFERENCE: &str = "12764f91eb42c0226c24";

    #[test]
    fn short_keys_are_refused() {
        assert_eq!(
            PseudonymKey::from_file_contents(b"  secret \n").unwrap_err(),
            KeyTooShort(6)
        );
    }
}
