//! Which web pages may open Socket.IO and `/ws`.
//!
//! A browser lets any page open a WebSocket to any server, and tells the
//! server only through `Origin`. Without a check, a page a LAN user happens
//! to visit could read the room list and rooms' recent chat through that
//! user's browser. So a request to `/socket.io/` (both transports) or `/ws`
//! that carries an `Origin` is refused with 403 unless the origin is:
//! - moim's own: the origin's host and port equal the request's `Host`
//!   (either scheme, since a proxy may end TLS in front of moim; nginx must
//!   pass `Host` on, as docs/deploy.md's configuration does);
//! - given with `--allowed-origin` (`*` allows any, `null` allows pages
//!   opened from files or sandboxed frames).
//!
//! A request without `Origin` is not from a web page (the course's Node
//! clients, curl, the load generator) and passes: nothing a browser user
//! holds is at stake there.

use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A web origin: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// `http[s]://host[:port]`, host lower-cased, port defaulted by scheme; a
    /// trailing `/` is tolerated (people paste URLs), nothing else after it.
    fn parse(text: &str) -> Option<Self> {
        let (scheme, rest) = text.split_once("://")?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "http" => false,
            "https" => true,
            _ => return None,
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = split_authority(authority, if https { 443 } else { 80 })?;
        Some(Self { https, host, port })
    }

    /// Whether this origin names the same host and port as `host_header`
    /// (whose port, when absent, is this origin's scheme's default).
    fn is_host(&self, host_header: &str) -> bool {
        let default = if self.https { 443 } else { 80 };
        split_authority(host_header, default)
            .is_some_and(|(host, port)| host == self.host && port == self.port)
    }
}

/// `host[:port]` (`[v6]:port` for IPv6) into a lower-cased host and a port.
fn split_authority(authority: &str, default_port: u16) -> Option<(String, u16)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (format!("[{inside}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.to_owned(), None),
        }
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => default_port,
    };
    let bracketed = host.starts_with('[');
    let sane = !host.is_empty()
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || b".-_".contains(&b) || (bracketed && b"[]:".contains(&b))
        });
    sane.then(|| (host.to_ascii_lowercase(), port))
}

/// One `--allowed-origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedOrigin {
    /// `*`: any page at all (turns the check off).
    Any,
    /// `null`: pages opened from a file or a sandboxed frame.
    Null,
    /// One origin, e.g. `https://admin.socket.io` for the hosted Admin UI.
    Exact(Origin),
}

/// Why an `--allowed-origin` value was refused at start.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an origin: give http[s]://host[:port], `null` or `*`")]
pub struct BadOrigin(String);

impl FromStr for AllowedOrigin {
    type Err = BadOrigin;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "*" => Ok(Self::Any),
            "null" => Ok(Self::Null),
            other => Origin::parse(other)
                .map(Self::Exact)
                .ok_or_else(|| BadOrigin(text.to_owned())),
        }
    }
}

/// The origins allowed besides moim's own.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    allowed: Vec<AllowedOrigin>,
}

impl OriginPolicy {
    /// moim's own origin and `allowed`.
    pub fn new(allowed: Vec<AllowedOrigin>) -> Arc<Self> {
        Arc::new(Self { allowed })
    }

    /// Whether a request with these headers may go on.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        if self.allowed.contains(&AllowedOrigin::Any) {
            return true;
        }
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        if origin == "null" {
            return self.allowed.contains(&AllowedOrigin::Null);
        }
        let Some(origin) = Origin::parse(origin) else {
            return false;
        };
        let same = headers
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .is_some_and(|host| origin.is_host(host));
        same || self.allowed.contains(&AllowedOrigin::Exact(origin))
    }
}

/// Whether `path` is one of the connections a page could misuse.
fn guarded(path: &str) -> bool {
    path == "/ws" || path.starts_with("/socket.io/")
}

/// Middleware: 403 for a guarded request from an origin not allowed, before
/// Socket.IO or the WebSocket upgrade sees it.
pub async fn guard(
    State(policy): State<Arc<OriginPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    if guarded(request.uri().path()) && !policy.allows(request.headers()) {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned());
        tracing::debug!(origin = ?origin, path = request.uri().path(), "refused a cross-origin connection");
        return (
            StatusCode::FORBIDDEN,
            "this page's origin may not connect here; the server's operator can allow it \
             with --allowed-origin\n",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: Option<&str>) -> HeaderMap {
        let mut map = HeaderMap::new();
        if let Some(origin) = origin {
            map.insert(header::ORIGIN, origin.parse().unwrap());
        }
        if let Some(host) = host {
            map.insert(header::HOST, host.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_servers_own_origin_and_no_origin_pass() {
        let policy = OriginPolicy::new(vec![]);
        for (origin, host) in [
            ("http://localhost:3000", "localhost:3000"),
            ("https://192.168.1.20:3000", "192.168.1.20:3000"),
            ("https://Meet.Example.org", "meet.example.org"),
            ("https://meet.example.org", "meet.example.org:443"),
            ("http://[::1]:3000", "[::1]:3000"),
        ] {
            assert!(
                policy.allows(&headers(Some(origin), Some(host))),
                "{origin} on {host}"
            );
        }
        assert!(policy.allows(&headers(None, Some("localhost:3000"))));
        assert!(policy.allows(&headers(None, None)));
    }

    #[test]
    fn other_origins_are_refused_unless_allowed() {
        let policy = OriginPolicy::new(vec![]);
        for (origin, host) in [
            ("http://evil.example", "localhost:3000"),
            ("http://localhost:3001", "localhost:3000"),
            ("http://localhost", "localhost:3000"),
            ("https://meet.example.org", "meet.example.org:80"),
            ("http://localhost:3000", "localhost:3000.evil"),
            ("null", "localhost:3000"),
            ("chrome-extension://abc", "abc"),
            ("http://localhost:3000", ""),
        ] {
            assert!(
                !policy.allows(&headers(Some(origin), Some(host))),
                "{origin} on {host}"
            );
        }
        assert!(
            !policy.allows(&headers(Some("http://localhost:3000"), None)),
            "no Host"
        );
        let policy = OriginPolicy::new(vec![
            "https://admin.socket.io/".parse().unwrap(),
            "null".parse().unwrap(),
        ]);
        assert!(policy.allows(&headers(Some("https://admin.socket.io"), Some("x:3000"))));
        assert!(policy.allows(&headers(Some("null"), Some("x:3000"))));
        assert!(!policy.allows(&headers(Some("http://admin.socket.io"), Some("x:3000"))));
        let any = OriginPolicy::new(vec!["*".parse().unwrap()]);
        assert!(any.allows(&headers(Some("http://evil.example"), Some("x:3000"))));
    }

    #[test]
    fn an_unusable_allowed_origin_is_refused_at_start() {
        for bad in [
            "evil.example",
            "ftp://x",
            "https://x/path",
            "https://x:99999",
            "https://",
        ] {
            assert!(bad.parse::<AllowedOrigin>().is_err(), "{bad}");
        }
        assert_eq!(
            "HTTPS://App.Example:8443".parse::<AllowedOrigin>().unwrap(),
            AllowedOrigin::Exact(Origin::parse("https://app.example:8443").unwrap())
        );
    }

    #[test]
    fn only_socket_io_and_ws_are_guarded() {
        assert!(guarded("/ws") && guarded("/socket.io/"));
        assert!(!guarded("/") && !guarded("/r/x") && !guarded("/healthz") && !guarded("/wsx"));
    }
}
