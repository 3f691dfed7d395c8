//! The integration tests' helpers. Here: the real server started in-process
//! on an ephemeral port, with its own data dir, and its clients; the lock the
//! tests that hold hundreds of descriptors share. `acme`: pebble and the moim
//! binary as child processes; `turn`: TURN clients and raw STUN; `redis`: a
//! throw-away Redis for the cluster's pieces.

#![allow(dead_code)]

pub mod acme;
pub mod redis;
pub mod turn;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use moim::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

/// A running server; dropping it does not stop it, call [`TestServer::stop`].
pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

/// How long any single wait in these tests may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(5);

impl TestServer {
    /// Starts moim with `extra` command-line options.
    pub async fn start(extra: &[&str]) -> TestServer {
        let data_dir =
            std::env::temp_dir().join(format!("moim-test-{}-{}", std::process::id(), unique()));
        let mut args = vec![
            "moim",
            "--data-dir",
            data_dir.to_str().expect("utf-8 temp dir"),
            // Tests run side by side: any free UDP port for the SFU.
            "--media-port",
            "0",
        ];
        args.extend_from_slice(extra);
        let config = Config::parse_from(args);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(moim::run(config, listener, async move {
            stopped.await.ok();
        }));
        let server = TestServer {
            addr,
            data_dir,
            stop: Some(stop),
            task,
        };
        // The listener is bound already; the first answer means `run` is serving.
        let (status, _, _) = server.get("/healthz").await;
        assert_eq!(status, 200, "the server answers /healthz once started");
        server
    }

    /// Asks for shutdown and waits for `run` to return.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        let result = tokio::time::timeout(Duration::from_secs(10), &mut self.task)
            .await
            .expect("the server stops within 10 s")
            .expect("the server task does not panic");
        std::fs::remove_dir_all(&self.data_dir).ok();
        result
    }

    /// `GET path`, returning the status code, the headers (lower-cased) and the body.
    pub async fn get(&self, path: &str) -> (u16, String, String) {
        self.get_with(path, "").await
    }

    /// `GET path` with `extra` header lines (each ending in `\r\n`) after
    /// `Host: localhost`.
    pub async fn get_with(&self, path: &str, extra: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .expect("send request");
        let mut raw = Vec::new();
        tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw))
            .await
            .expect("response in time")
            .expect("read response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        (status, head.to_lowercase(), dechunk(head, body))
    }

    /// Opens the course's raw WebSocket chat.
    pub async fn ws(&self) -> WsClient {
        let url = format!("ws://{}/ws", self.addr);
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("ws connect");
        WsClient { stream }
    }
}

/// A `/ws` client.
pub struct WsClient {
    stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    pub async fn send_text(&mut self, text: &str) {
        self.stream
            .send(Message::text(text))
            .await
            .expect("ws send");
    }

    pub async fn send_json(&mut self, value: serde_json::Value) {
        self.send_text(&value.to_string()).await;
    }

    /// Reads (and so answers pings) for `period`; `false` if the server
    /// closed the connection meanwhile.
    pub async fn stays_open_for(&mut self, period: Duration) -> bool {
        let until = tokio::time::Instant::now() + period;
        loop {
            match tokio::time::timeout_at(until, self.stream.next()).await {
                Err(_) => return true,
                Ok(Some(Ok(Message::Close(_)) | Err(_)) | None) => return false,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The next text frame; `None` when the connection closed.
    pub async fn next_text(&mut self) -> Option<String> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.stream.next())
                .await
                .expect("a frame in time");
            match frame {
                Some(Ok(Message::Text(text))) => return Some(text.to_string()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(_)) | Some(Err(_)) | None => return None,
            }
        }
    }
}

/// A TCP connection to `server` from the loopback address `source` (any of
/// 127/8 on Linux), so a test can be several clients' addresses at once.
pub async fn connect_from(source: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{source}:0").parse().expect("an address"))
        .expect("bind the source address");
    socket.connect(server).await.expect("connect")
}

/// Whether the server closes `stream` (end of stream or reset) within
/// `within`, reading and discarding whatever it sends before that.
pub async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let until = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(until, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Sends `GET /healthz` on `stream` (keeping it alive) and reads the
/// response's head; the status code, or `None` if the connection closed.
pub async fn healthz_on(stream: &mut TcpStream) -> Option<u16> {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tokio::time::timeout(PATIENCE, stream.read(&mut byte)).await {
            Ok(Ok(1)) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().ok())
        })
        .flatten()?;
    let mut body = vec![0u8; length];
    tokio::time::timeout(PATIENCE, stream.read_exact(&mut body))
        .await
        .ok()?
        .ok()?;
    head.split(' ').nth(1)?.parse().ok()
}

/// Held by each test that opens hundreds of descriptors in this process
/// (floods of idle connections, hundreds of sockets): one at a time, so that
/// together they stay far below a soft open-files limit of 1,024 (the usual
/// default; the process's limit is left as it is, since it is every test's),
/// and a flood's timing is not another flood's load. No test waits on
/// anything but the tests ahead of it.
pub async fn descriptor_hog() -> tokio::sync::MutexGuard<'static, ()> {
    static HOGS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    HOGS.lock().await
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Decodes a chunked body (axum streams bodies of unknown length).
fn dechunk(head: &str, body: &str) -> String {
    if !head.to_lowercase().contains("transfer-encoding: chunked") {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}
