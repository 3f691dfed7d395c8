//! A minimal Socket.IO v5 client over Engine.IO v4's websocket transport.
//!
//! One websocket text frame is one Engine.IO packet: `0{…}` open, `2` ping
//! (answered `3`), `4…` a Socket.IO packet: `0` connect, `2` event, `3` ack,
//! each optionally followed by `/namespace,` and an ack id, then JSON. That is
//! all a load generator needs, and doing it by hand keeps each client a small
//! task instead of a full client library, so the generator is not what saturates.

use std::sync::Arc;
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// A frame the server sent to client `client`, stamped when it was read.
#[derive(Debug)]
pub struct Incoming {
    /// Index of the client that read it.
    pub client: usize,
    /// When the frame was read off the socket.
    pub at: Instant,
    /// The Socket.IO packet (the Engine.IO `4` stripped).
    pub packet: String,
}

/// Decides in the client's task which packets go on to the scenario; the rest
/// are read and dropped there (a join storm on the course server sends n²).
/// One per client, so it may remember what its client has seen.
pub type Filter = Box<dyn FnMut(&str) -> bool + Send>;

/// Makes each client's [`Filter`].
pub type Filters = Arc<dyn Fn() -> Filter + Send + Sync>;

/// A connected client: send Socket.IO packets with [`Client::send`].
#[derive(Debug, Clone)]
pub struct Client {
    tx: mpsc::UnboundedSender<String>,
    /// The socket id the namespace gave this client.
    pub sid: String,
}

impl Client {
    /// Sends one Socket.IO packet (without the Engine.IO `4`).
    pub fn send(&self, packet: String) {
        self.tx.send(packet).ok();
    }
}

/// A namespace's prefix inside a packet: empty for `/`, `/moim,` otherwise.
pub fn ns_prefix(namespace: &str) -> String {
    if namespace == "/" {
        String::new()
    } else {
        format!("{namespace},")
    }
}

/// An event packet: `2` + namespace + optional ack id + the JSON array.
pub fn event(namespace: &str, ack: Option<u64>, args: &serde_json::Value) -> String {
    let ack = ack.map(|id| id.to_string()).unwrap_or_default();
    format!("2{}{ack}{args}", ns_prefix(namespace))
}

/// A parsed Socket.IO event or ack: its kind (`'2'` or `'3'`), ack id and JSON array.
pub struct Packet<'a> {
    pub kind: u8,
    pub ack: Option<u64>,
    pub json: &'a str,
}

/// Splits a Socket.IO packet of `namespace` into kind, ack id and JSON; `None`
/// for other namespaces or kinds without a JSON array.
pub fn parse<'a>(namespace: &str, packet: &'a str) -> Option<Packet<'a>> {
    let kind = *packet.as_bytes().first()?;
    let mut rest = &packet[1..];
    if namespace != "/" {
        rest = rest.strip_prefix(namespace)?.strip_prefix(',')?;
    } else if rest.starts_with('/') {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ack = rest[..digits].parse().ok();
    Some(Packet {
        kind,
        ack,
        json: &rest[digits..],
    })
}

/// Opens a websocket to `url` (`ws://host:port`), connects to `namespace` and
/// spawns the client's task, which answers pings, sends what [`Client::send`]
/// queues and hands packets that pass `filter` to `events`.
pub async fn connect(
    url: &str,
    namespace: &str,
    index: usize,
    events: mpsc::UnboundedSender<Incoming>,
    mut filter: Filter,
) -> Result<Client, String> {
    let endpoint = format!("{url}/socket.io/?EIO=4&transport=websocket");
    // Small buffers: ten thousand of these share one process.
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(endpoint, Some(config), true)
        .await
        .map_err(|e| format!("websocket: {e}"))?;
    let open = next_text(&mut ws).await?;
    if !open.starts_with('0') {
        return Err(format!("expected an Engine.IO open packet, got {open:?}"));
    }
    let prefix = ns_prefix(namespace);
    ws.send(Message::text(format!("40{prefix}")))
        .await
        .map_err(|e| format!("send: {e}"))?;
    let connected = format!("40{prefix}");
    let sid = loop {
        let text = next_text(&mut ws).await?;
        if let Some(body) = text.strip_prefix(&connected) {
            let value: serde_json::Value =
                serde_json::from_str(body).map_err(|e| format!("connect packet: {e}"))?;
            break value["sid"].as_str().unwrap_or_default().to_owned();
        }
        if text == "2" {
            ws.send(Message::text("3"))
                .await
                .map_err(|e| format!("send: {e}"))?;
        } else if text.starts_with(&format!("44{prefix}")) {
            return Err(format!("connect refused: {text}"));
        }
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                out = rx.recv() => match out {
                    Some(packet) => {
                        if ws.send(Message::text(format!("4{packet}"))).await.is_err() {
                            break;
                        }
                    }
                    None => {
                        ws.close(None).await.ok();
                        break;
                    }
                },
                frame = ws.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        let text = text.as_str();
                        if text == "2" {
                            if ws.send(Message::text("3")).await.is_err() {
                                break;
                            }
                        } else if let Some(packet) = text.strip_prefix('4')
                            && filter(packet)
                        {
                            let at = Instant::now();
                            events.send(Incoming { client: index, at, packet: packet.to_owned() }).ok();
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                },
            }
        }
    });
    Ok(Client { tx, sid })
}

async fn next_text<S>(ws: &mut S) -> Result<String, String>
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => return Ok(text.as_str().to_owned()),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(format!("read: {e}")),
            None => return Err("closed during the handshake".to_owned()),
        }
    }
}

/// Connects `count` clients to `namespace`, at most `parallel` handshakes at a
/// time (a listen backlog overflows otherwise), in index order.
pub async fn connect_many(
    url: &str,
    namespace: &str,
    count: usize,
    events: &mpsc::UnboundedSender<Incoming>,
    filters: Filters,
) -> Result<Vec<Client>, String> {
    let parallel = 128;
    let results: Vec<Result<Client, String>> = futures_util::stream::iter(0..count)
        .map(|i| connect(url, namespace, i, events.clone(), filters()))
        .buffered(parallel)
        .collect()
        .await;
    results.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_parse_with_and_without_namespace_and_ack() {
        let p = parse("/", r#"31[]"#).unwrap();
        assert_eq!((p.kind, p.ack, p.json), (b'3', Some(1), "[]"));
        let p = parse("/moim", r#"2/moim,["rooms",[]]"#).unwrap();
        assert_eq!((p.kind, p.ack, p.json), (b'2', None, r#"["rooms",[]]"#));
        assert!(parse("/", r#"2/moim,["rooms",[]]"#).is_none());
        assert!(parse("/moim", r#"2["x"]"#).is_none());
        assert_eq!(
            event("/moim", Some(7), &serde_json::json!(["join", {}])),
            r#"2/moim,7["join",{}]"#
        );
        assert_eq!(
            event("/", None, &serde_json::json!(["nickname", "a"])),
            r#"2["nickname","a"]"#
        );
    }
}
