//! Two-factor sign-in for staff: one-time codes by TOTP (RFC 6238: HMAC-SHA1, six
//! digits, 30-second steps, as every authenticator app reads them) through `totp-rs`,
//! the enrolment QR code drawn as SVG on the server (`qrcode`; the secret never goes to
//! another service), and one-time recovery codes, stored as SHA-256 hashes. Pure: the
//! clock is a parameter.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::tokens;

/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "anketa";
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
const STEP: u64 = 30;
const DIGITS: usize = 6;
/// Characters of a recovery code (50 random bits in Crockford base32).
const RECOVERY_CHARS: usize = 10;

/// A new random secret (160 bits, as RFC 4226 recommends), base32 as apps take it.
pub fn new_secret() -> String {
    match Secret::generate_secret().to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(bytes) => base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &bytes),
    }
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        1,
        STEP,
        bytes,
        Some(ISSUER.to_string()),
        account.to_string(),
    )
    .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &str, account: &str) -> Option<String> {
    Some(totp(secret, account)?.get_url())
}

/// The QR code of [`otpauth_uri`] as an `<svg>` element (dark modules on white, with
/// the quiet zone scanners need), to put in a page as it is: it holds no text.
pub fn qr_svg(secret: &str, account: &str) -> Option<String> {
    let uri = otpauth_uri(secret, account)?;
    let code =
        qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // The renderer writes an XML declaration first, which has no place inside HTML.
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// The secret grouped in fours, for typing it into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The time step (Unix seconds / 30) whose code `typed` is, among the step of `now`
/// and the ones just before and after (a phone's clock may be off by a few seconds);
/// `None` if it is none of them. The caller accepts a step once (no replay).
pub fn matching_step(secret: &str, typed: &str, now: u64) -> Option<u64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, ISSUER)?;
    let step = now / STEP;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| tokens::constant_time_eq(&totp.generate(s * STEP), &typed))
}

/// New recovery codes, shown once: `7K2M9-QXA4B`.
pub fn new_recovery_codes() -> Vec<String> {
    use rand::RngCore;
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 8];
            rand::rng().fill_bytes(&mut bytes);
            let plain = base32::encode(base32::Alphabet::Crockford, &bytes);
            format!("{}-{}", &plain[..5], &plain[5..RECOVERY_CHARS])
        })
        .collect()
}

/// A typed recovery code in its stored form (forgiving case, spaces, dashes, O for 0,
/// I or L for 1), or `None` if it cannot be one.
pub fn normalize_recovery_code(typed: &str) -> Option<String> {
    let plain = tokens::forgiving_crockford(typed);
    let valid = plain.len() == RECOVERY_CHARS
        && plain
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)));
    valid.then(|| format!("{}-{}", &plain[..5], &plain[5..]))
}

/// The stored form of a recovery code.
pub fn recovery_hash(code: &str) -> Option<String> {
    normalize_recovery_code(code).map(|c| tokens::hash(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 key "12345678901234567890" (base32 below); the
    /// six-digit codes are the last six digits of the RFC's eight.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_are_those_of_rfc_6238() {
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let six = &eight[2..];
            assert_eq!(
                matching_step(RFC_SECRET, six, time),
                Some(time / 30),
                "{time}"
            );
            // The code of the step before and after is accepted; two steps away is not.
            assert_eq!(matching_step(RFC_SECRET, six, time + 30), Some(time / 30));
            assert_eq!(matching_step(RFC_SECRET, six, time + 90), None, "{time}");
        }
        assert_eq!(
            matching_step(RFC_SECRET, "287 082", 59),
            Some(1),
            "spaces are fine"
        );
        for wrong in ["", "28708", "2870822", "abcdef", "287o82"] {
            assert_eq!(matching_step(RFC_SECRET, wrong, 59), None, "{wrong}");
        }
    }

    #[test]
    fn enrolment_gives_a_uri_and_a_qr_code() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        assert_ne!(secret, new_secret());
        let uri = otpauth_uri(&secret, "jana@example.cz").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/anketa:jana%40example.cz?"),
            "{uri}"
        );
        assert!(
            uri.contains(&format!("secret={secret}")) && uri.contains("issuer=anketa"),
            "{uri}"
        );
        let svg = qr_svg(&secret, "jana@example.cz").unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
        assert!(!svg.contains("jana"), "no text in the picture");
        assert_eq!(grouped("ABCDEFGH"), "ABCD EFGH");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_forgive_typing() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        for code in &codes {
            assert_eq!(
                normalize_recovery_code(code).as_deref(),
                Some(code.as_str())
            );
            let sloppy = code.to_lowercase().replace('-', " ").replace('0', "o");
            assert_eq!(recovery_hash(&sloppy), recovery_hash(code), "{sloppy}");
        }
        assert_eq!(normalize_recovery_code("123456"), None);
        assert_eq!(
            normalize_recovery_code("ABCDE-FGHJU"),
            None,
            "U is not a Crockford digit"
        );
    }
}
