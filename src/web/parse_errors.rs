//! The answers hyper writes by itself get our security headers too.
//!
//! A request hyper cannot parse (a malformed head: 400, a request target over 64 KiB:
//! 414, too many or too large header fields: 431) is answered by hyper before any
//! service runs, so no middleware can add headers to it, and hyper offers no hook. This
//! module wraps each connection's socket: a write that is exactly such an answer (a
//! lone head with one of those statuses and nothing but hyper's `content-length: 0`,
//! `date` and `connection: close` lines; every response of ours carries
//! `content-security-policy` besides) is written with the headers of
//! [`super::security_headers`] inserted. Everything else passes through untouched, and
//! the check looks at a write only when it starts with a status line.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use hyper::rt::{Read, ReadBufCursor, Write};

/// The statuses hyper answers by itself (hyper's `role::Server::on_error`).
const OWN_STATUSES: [&[u8]; 3] = [b"400 ", b"414 ", b"431 "];

/// A connection's socket that adds security headers to hyper's own error answers.
pub(crate) struct WithSecurityHeaders<T> {
    inner: T,
    /// `name: value\r\n` for each header, ready to insert.
    headers: Arc<[u8]>,
    /// A rewritten answer being written: its bytes, how many are out, and the length of
    /// hyper's original (what the write reports once everything is out).
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<T> WithSecurityHeaders<T> {
    pub(crate) fn new(inner: T, headers: Arc<[u8]>) -> Self {
        Self {
            inner,
            headers,
            pending: None,
        }
    }
}

/// The header lines to insert, made once per server.
pub(crate) fn header_lines(secure: bool) -> Arc<[u8]> {
    let mut lines = Vec::new();
    for (name, value) in super::security_headers(secure) {
        lines.extend_from_slice(name.as_str().as_bytes());
        lines.extend_from_slice(b": ");
        lines.extend_from_slice(value.as_bytes());
        lines.extend_from_slice(b"\r\n");
    }
    lines.into()
}

/// `head` with `headers` inserted, when `head` is one of hyper's own error answers.
fn with_headers(head: &[u8], headers: &[u8]) -> Option<Vec<u8>> {
    let status = head
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| head.strip_prefix(b"HTTP/1.0 "))?;
    if !OWN_STATUSES.iter().any(|own| status.starts_with(own)) {
        return None;
    }
    // One head and nothing after it.
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    if end + 4 != head.len() {
        return None;
    }
    // Exactly hyper's shape: after the status line only an empty length, its date and
    // perhaps the end of the connection (a body that merely looks like a head of ours
    // would have other lines, and ours all carry content-security-policy).
    let only_hypers_lines = head[..end]
        .split(|&b| b == b'\n')
        .skip(1)
        .map(|line| {
            line.strip_suffix(b"\r")
                .unwrap_or(line)
                .to_ascii_lowercase()
        })
        .all(|line| {
            line == b"content-length: 0"
                || line == b"connection: close"
                || line.starts_with(b"date: ")
        });
    if !only_hypers_lines {
        return None;
    }
    let mut out = Vec::with_capacity(head.len() + headers.len());
    out.extend_from_slice(&head[..end + 2]);
    out.extend_from_slice(headers);
    out.extend_from_slice(b"\r\n");
    Some(out)
}

impl<T: Write + Unpin> WithSecurityHeaders<T> {
    /// Write out the rewritten answer; done when all of it is out.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some((bytes, written, replaces)) = self.pending.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while *written < bytes.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        let replaces = *replaces;
        self.pending = None;
        Poll::Ready(Ok(replaces))
    }
}

impl<T: Read + Unpin> Read for WithSecurityHeaders<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: Write + Unpin> Write for WithSecurityHeaders<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_none() {
            match with_headers(buf, &this.headers) {
                Some(bytes) => this.pending = Some((bytes, 0, buf.len())),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        this.poll_pending(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_none() {
            // hyper's own answer is a head alone, so one buffer.
            let mut filled = bufs.iter().filter(|b| !b.is_empty());
            let rewritten = match (filled.next(), filled.next()) {
                (Some(only), None) => with_headers(only, &this.headers).map(|b| (b, only.len())),
                _ => None,
            };
            match rewritten {
                Some((bytes, replaces)) => this.pending = Some((bytes, 0, replaces)),
                None => return Pin::new(&mut this.inner).poll_write_vectored(cx, bufs),
            }
        }
        this.poll_pending(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: &[u8] = b"x-frame-options: DENY\r\n";

    #[test]
    fn hypers_own_answers_get_the_headers() {
        for status in [
            "400 Bad Request",
            "414 URI Too Long",
            "431 Request Header Fields Too Large",
        ] {
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 21:00:00 GMT\r\n\r\n"
            );
            let out = with_headers(head.as_bytes(), HEADERS).expect(status);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!(
                    "HTTP/1.1 {status}\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 21:00:00 GMT\r\nx-frame-options: DENY\r\n\r\n"
                )
            );
        }
    }

    #[test]
    fn everything_else_passes_untouched() {
        for bytes in [
            // Our own 400 page: it has its headers already.
            &b"HTTP/1.1 400 Bad Request\r\ncontent-security-policy: default-src 'none'\r\ncontent-length: 0\r\n\r\n"[..],
            // Other statuses.
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            // A head with its body in the same write is not a lone head.
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\nno",
            // A head with any other field is not hyper's own.
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 10\r\n\r\n",
            // Body bytes that merely look like a status line, without a head's end.
            b"HTTP/1.1 400 Bad Request",
            // A body chunk.
            b"1a\r\nHTTP/1.1 400 Bad Request\r\n\r\n",
            b"",
        ] {
            assert_eq!(with_headers(bytes, HEADERS), None, "{:?}", String::from_utf8_lossy(bytes));
        }
    }
}
