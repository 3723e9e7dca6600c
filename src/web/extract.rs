//! Request extractors that fail with proper error pages: query strings, the client's
//! address, and the preferred languages from `Accept-Language`. Form bodies are read only
//! through [`super::csrf`]'s extractors, which check the CSRF token.

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;

use super::error::AppError;
use crate::survey::Lang;

/// Query-string parameters; a malformed query string (say a repeated parameter that
/// may appear once) gets the app's 400 page rather than axum's plain-text rejection.
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Query<T>, AppError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(Query)
            .map_err(|_| AppError::BadRequest("the address has a parameter that is not valid"))
    }
}

/// A page number from a query parameter: anything that is not a number from 1 up is
/// page 1, and very large numbers are capped (no overflow when computing offsets).
pub fn page_number(raw: Option<&str>) -> usize {
    raw.and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000)
}

/// The languages the browser prefers, best first (only those anketa supports).
pub struct AcceptLanguage(pub Vec<Lang>);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<AcceptLanguage, Self::Rejection> {
        let header = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let codes = Lang::ALL.map(Lang::code);
        let langs = accept_language::intersection_ordered(header, &codes)
            .iter()
            .filter_map(|c| Lang::from_code(c))
            .collect();
        Ok(AcceptLanguage(langs))
    }
}

impl AcceptLanguage {
    /// The best language among `offered`: the browser's preference, else the first offered.
    pub fn pick(&self, offered: &[Lang]) -> Lang {
        self.0
            .iter()
            .copied()
            .find(|l| offered.contains(l))
            .unwrap_or(offered[0])
    }
}

/// The client's IP address: the TCP peer, or behind a trusted proxy the last address it
/// appended to `X-Forwarded-For` (only the last one: earlier entries are client-controlled,
/// so an unparsable last entry falls back to the peer rather than to a spoofable one).
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<crate::web::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::web::AppState,
    ) -> Result<ClientIp, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| {
                c.0.ip()
            });
        if state.settings().behind_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        Ok(ClientIp(peer))
    }
}

/// The address links are made with (`--base-url`, never the request's Host header).
pub fn base_url(state: &crate::web::AppState) -> &str {
    &state.settings().base_url
}
