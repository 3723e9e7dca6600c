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

/// Where the pseudonym key lives when no file is named: beside an SQLite database
/// (`anketa.db` -> `anketa.pseudonym.key`); `None` for PostgreSQL, where every instance
/// must be given the same file.
pub fn default_key_file(database_url: &str) -> Option<std::path::PathBuf> {
    crate::store::sqlite_file(database_url).map(|db| db.with_extension("pseudonym.key"))
}

/// The key in `path`, created first (32 random bytes, hex, readable by the owner only)
/// when the file does not exist; `true` when it was created now.
pub fn load_or_create_key(path: &std::path::Path) -> std::io::Result<(PseudonymKey, bool)> {
    use std::io::Write;
    let invalid = |e: KeyTooShort| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    match std::fs::read(path) {
        Ok(bytes) => {
            return Ok((
                PseudonymKey::from_file_contents(&bytes).map_err(invalid)?,
                false,
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut secret = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut secret);
    let text: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    // Written whole to a file of our own, then linked into place without replacing one
    // that exists: another instance starting at the same moment, or a crash halfway,
    // never leaves a partly written key.
    let temporary = path.with_extension(format!("key.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    drop(file);
    let linked = std::fs::hard_link(&temporary, path);
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok((
            PseudonymKey::from_file_contents(text.as_bytes()).map_err(invalid)?,
            true,
        )),
        // Another instance created it in between: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let bytes = std::fs::read(path)?;
            Ok((
                PseudonymKey::from_file_contents(&bytes).map_err(invalid)?,
                false,
            ))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_is_created_private_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pseudonym.key");
        let (first, created) = load_or_create_key(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, created) = load_or_create_key(&path).unwrap();
        assert!(!created);
        assert_eq!(
            first.pseudonym("jan@obec.cz"),
            again.pseudonym("jan@obec.cz")
        );
        std::fs::write(&path, b"short").unwrap();
        assert!(
            load_or_create_key(&path).is_err(),
            "a damaged key is not replaced"
        );
        assert_eq!(
            default_key_file("sqlite:///srv/anketa/anketa.db"),
            Some(std::path::PathBuf::from("/srv/anketa/anketa.pseudonym.key"))
        );
        assert_eq!(default_key_file("postgres://u@h/db"), None);
    }

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
