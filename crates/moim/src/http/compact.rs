//! Copies a Socket.IO request's head out of hyper's read buffer.
//!
//! socketioxide keeps each connection's request head (`http::request::Parts`)
//! for the whole life of the socket (`socket.req_parts()`). hyper parses the
//! URI and header values as slices of its read buffer, and a slice keeps the
//! whole buffer alive: 8–16 KiB per connected socket, about half of what a
//! socket cost (measured with heaptrack: `hyper::proto::h1::io::Buffered::
//! poll_read_from_io` held 16 KB per connection). Copying the few bytes of the
//! head into allocations of their own lets hyper's buffer go.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Uri};

/// Where Socket.IO lives; other requests pass untouched.
const SOCKET_IO: &str = "/socket.io/";

/// Rebuilds a Socket.IO request's URI and header values from copies.
pub async fn request(req: Request) -> Request {
    if !req.uri().path().starts_with(SOCKET_IO) {
        return req;
    }
    let (mut parts, body) = req.into_parts();
    let mut headers = HeaderMap::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        // `from_bytes` copies; it accepts whatever hyper accepted.
        if let Ok(mut copy) = HeaderValue::from_bytes(value.as_bytes()) {
            copy.set_sensitive(value.is_sensitive());
            headers.append(name.clone(), copy);
        }
    }
    parts.headers = headers;
    // Parsing from a `String` copies too.
    if let Ok(uri) = parts.uri.to_string().parse::<Uri>() {
        parts.uri = uri;
    }
    Request::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[tokio::test]
    async fn the_copy_is_equal_to_the_original() {
        let original = Request::builder()
            .uri("/socket.io/?EIO=4&transport=websocket")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("x-forwarded-for", "192.0.2.1")
            .header("x-forwarded-for", "192.0.2.2")
            .body(Body::empty())
            .unwrap();
        let (uri, headers) = (original.uri().clone(), original.headers().clone());
        let copy = request(original).await;
        assert_eq!(copy.uri(), &uri);
        assert_eq!(copy.headers(), &headers);
    }
}
