//! Plain HTTP that arrives on the HTTPS port: answered with a redirect to the
//! same address over `https://`, or with a sentence saying what to do, never
//! left hanging (a browser would otherwise spin until it gives up).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The most of a request head read before answering.
const MAX_HEAD: usize = 8 * 1024;
/// How long a client gets to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads the request head from `stream` and answers it.
pub async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S) {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let read = tokio::time::timeout(READ_TIMEOUT, async {
        while head.len() < MAX_HEAD && !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    if read.is_err() && head.is_empty() {
        return;
    }
    let response = response_for(&head);
    stream.write_all(response.as_bytes()).await.ok();
    stream.shutdown().await.ok();
}

/// The response to a plain-HTTP request head: `307` to the `https://` URL when
/// the head names a usable host and path, `400` with an explanation otherwise.
pub fn response_for(head: &[u8]) -> String {
    match redirect_target(head) {
        Some(location) => {
            let body = format!("This server speaks HTTPS. Open {location}\n");
            format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\n\
                 Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
        }
        None => {
            let body = "This port speaks HTTPS: open it with https:// instead of http://.\n";
            format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        }
    }
}

/// `https://<Host><path>` from a request head, if both look sane.
fn redirect_target(head: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (_method, path, version) = (
        request_line.next()?,
        request_line.next()?,
        request_line.next()?,
    );
    if !version.starts_with("HTTP/1.") || !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    if !path.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let host = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim())
    })?;
    let host_ok = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    host_ok.then(|| format!("https://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_request_is_redirected_to_https_on_the_same_host_and_path() {
        let head =
            b"GET /r/standup?x=1 HTTP/1.1\r\nHost: 192.168.1.20:3000\r\nUser-Agent: x\r\n\r\n";
        let response = response_for(head);
        assert!(response.starts_with("HTTP/1.1 307 "), "{response}");
        assert!(response.contains("\r\nLocation: https://192.168.1.20:3000/r/standup?x=1\r\n"));
    }

    #[test]
    fn without_a_usable_host_the_answer_explains() {
        for head in [
            &b"GET / HTTP/1.1\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost: evil.example\r\nX: \xff\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            b"GET //evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n",
            b"\x00\x01garbage",
        ] {
            let response = response_for(head);
            assert!(response.starts_with("HTTP/1.1 400 "), "{response}");
            assert!(response.contains("https://"));
        }
    }
}
