//! A lean HTTP/1.1 client for the benchmark: one keep-alive connection per simulated
//! respondent, the session cookie kept by hand, redirects followed by the caller. Kept
//! small so that the load generator takes as little of the machine's two cores as it can.

use std::net::SocketAddr;

use anyhow::{Context, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The name of anketa's session cookie.
pub const SESSION_COOKIE: &str = "anketa_session";

pub struct Conn {
    addr: SocketAddr,
    host: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// The value of the session cookie, if the server set one.
    pub cookie: Option<String>,
}

/// One answer, body included.
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub body: Bytes,
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Conn {
        Conn {
            addr,
            host: HeaderValue::from_str(&addr.to_string()).expect("an address is a valid host"),
            sender: None,
            cookie: None,
        }
    }

    async fn connect(&mut self) -> anyhow::Result<()> {
        let stream = TcpStream::connect(self.addr)
            .await
            .with_context(|| format!("cannot connect to {}", self.addr))?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        self.sender = Some(sender);
        Ok(())
    }

    pub async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        self.request(Method::GET, path, None).await
    }

    pub async fn post_form(&mut self, path: &str, body: String) -> anyhow::Result<Reply> {
        self.request(Method::POST, path, Some(Bytes::from(body)))
            .await
    }

    async fn request(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> anyhow::Result<Reply> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            self.connect().await?;
        }
        let sender = self.sender.as_mut().expect("connected");
        if sender.ready().await.is_err() {
            self.connect().await?;
        }
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, self.host.clone());
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, format!("{SESSION_COOKIE}={c}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let req = req.body(Full::new(body.unwrap_or_default()))?;
        let sender = self.sender.as_mut().expect("connected");
        let result = sender.send_request(req).await;
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                self.sender = None;
                return Err(anyhow!("request failed: {e}"));
            }
        };
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let Ok(v) = v.to_str() else { continue };
            let Some(rest) = v
                .strip_prefix(SESSION_COOKIE)
                .and_then(|r| r.strip_prefix('='))
            else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default();
            self.cookie = (!value.is_empty()).then(|| value.to_string());
        }
        let body = match resp.into_body().collect().await {
            Ok(b) => b.to_bytes(),
            Err(e) => {
                self.sender = None;
                return Err(anyhow!("reading the body failed: {e}"));
            }
        };
        Ok(Reply {
            status,
            location,
            body,
        })
    }
}

/// The value of the first `name="NAME" value="..."` in a page (maud writes attributes
/// in source order, so the hidden CSRF field reads exactly like this).
pub fn hidden_value<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(body).ok()?;
    let needle = format!("name=\"{name}\" value=\"");
    let start = text.find(&needle)? + needle.len();
    let end = text[start..].find('"')? + start;
    Some(&text[start..end])
}

/// The action of the page's `method="post"` form (entities undone).
pub fn form_action(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let form = text.find("method=\"post\"")?;
    let rest = &text[form..];
    let start = rest.find("action=\"")? + "action=\"".len();
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].replace("&amp;", "&"))
}

/// The path of a `Location` (anketa sends paths; absolute URLs are cut to their path).
pub fn location_path(location: &str) -> &str {
    match location.find("://") {
        Some(i) => {
            let after = &location[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_and_the_action() {
        let page = br#"<form id="page-form" method="post" action="/s/x/p/a?review=1&amp;lang=cs" novalidate><input type="hidden" name="_csrf" value="abc-DEF_1">"#;
        assert_eq!(hidden_value(page, "_csrf"), Some("abc-DEF_1"));
        assert_eq!(
            form_action(page).as_deref(),
            Some("/s/x/p/a?review=1&lang=cs")
        );
        assert_eq!(location_path("http://h:1/s/x/done"), "/s/x/done");
        assert_eq!(location_path("/s/x/done"), "/s/x/done");
    }
}
