//! Redirects. Every `Location` anketa sends is made here, from a path that may carry
//! text from the request (a sign-in's `next`, an id from the address): bytes that may
//! not stand in a URI (control characters, spaces, non-ASCII) are percent-encoded, so
//! no input can make a redirect fail (`axum::response::Redirect::to` panics on them;
//! clippy.toml forbids it).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What is encoded besides control characters and non-ASCII: what a URI may not hold.
const NOT_IN_URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `303 See Other` to `location` (a path of this site).
pub fn to(location: &str) -> Response {
    let encoded = utf8_percent_encode(location, NOT_IN_URI).to_string();
    match HeaderValue::from_str(&encoded) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        // Unreachable: the encoded text is visible ASCII only.
        Err(_) => {
            super::AppError::BadRequest("an address that cannot be redirected to").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to;

    #[test]
    fn any_text_makes_a_valid_location() {
        for path in [
            "/admin/x\r\nSet-Cookie: a=b",
            "/admin/\0\x7f\x01",
            "/admin/žluťoučký kůň",
            "/admin/a\"<b>{c}|d\\e^f`",
            "/admin/ok?x=1&y=%41",
        ] {
            let r = to(path);
            assert_eq!(r.status(), 303, "{path:?}");
            let location = r.headers()["location"].to_str().unwrap();
            assert!(
                location.bytes().all(|b| (0x21..0x7f).contains(&b)),
                "{path:?} -> {location}"
            );
            assert!(location.starts_with("/admin/"), "{location}");
        }
        // What is valid already is left as it is (a query keeps its encoding).
        assert_eq!(
            to("/admin/ok?x=1&y=%41").headers()["location"],
            "/admin/ok?x=1&y=%41"
        );
        assert_eq!(
            to("/admin/x\r\nSet-Cookie: a=b").headers()["location"],
            "/admin/x%0D%0ASet-Cookie:%20a=b"
        );
    }
}
