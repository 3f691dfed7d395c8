//! The SFU scenario against Janus: its videoroom plugin's API over Janus's
//! WebSocket transport (subprotocol `janus-protocol`), so the same publisher
//! and subscribers (`endpoint.rs`) measure Janus beside moim.
//!
//! One Janus session for the whole load, one plugin handle per endpoint:
//! `create` a room (VP8 and Opus, no periodic keyframe requests), the
//! publisher's `joinandconfigure` with its offer, and for each subscriber a
//! `join` to the publisher's feed (Janus offers) and a `start` with its
//! answer. A keepalive every 20 s keeps the session (Janus drops it after 60 s
//! of silence). Every request waits at most 15 s for its reply.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Waiting = Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>;

const PLUGIN: &str = "janus.plugin.videoroom";
const REPLY_WITHIN: Duration = Duration::from_secs(15);
const KEEPALIVE_EVERY: Duration = Duration::from_secs(20);

/// A Janus session on one WebSocket.
pub struct Janus {
    tx: mpsc::UnboundedSender<String>,
    waiting: Waiting,
    session: u64,
    next: AtomicU64,
}

impl Janus {
    /// Connects to `url` (`ws://host:port`) and creates a session.
    pub async fn connect(url: &str) -> Result<Self, String> {
        let mut request = url
            .into_client_request()
            .map_err(|e| format!("janus url {url:?}: {e}"))?;
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("janus-protocol"),
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|e| format!("janus websocket: {e}"))?;
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        let waiting: Waiting = Arc::default();
        let routes = waiting.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    out = rx.recv() => match out {
                        Some(text) => {
                            if ws.send(Message::text(text)).await.is_err() {
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
                            let Ok(reply) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                            // An "ack" only says a plugin request is queued; its
                            // "event" (same transaction) carries the reply.
                            if reply["janus"] == "ack" {
                                continue;
                            }
                            let Some(transaction) = reply["transaction"].as_str() else { continue };
                            if let Some(route) = routes.lock().unwrap().remove(transaction) {
                                route.send(reply).ok();
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => break,
                    },
                }
            }
        });
        let mut janus = Self {
            tx,
            waiting,
            session: 0,
            next: AtomicU64::new(1),
        };
        let created = janus.call(json!({ "janus": "create" })).await?;
        janus.session = created["data"]["id"]
            .as_u64()
            .ok_or_else(|| format!("janus create: no session id in {created}"))?;
        let keepalive = janus.tx.clone();
        let session = janus.session;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(KEEPALIVE_EVERY);
            tick.tick().await;
            loop {
                tick.tick().await;
                let alive = json!({ "janus": "keepalive", "session_id": session, "transaction": "keepalive" });
                if keepalive.send(alive.to_string()).is_err() {
                    break;
                }
            }
        });
        Ok(janus)
    }

    /// Sends `request` with a fresh transaction and the session; its reply,
    /// or a typed refusal for Janus's `error` and for silence.
    async fn call(&self, mut request: Value) -> Result<Value, String> {
        let transaction = format!("t{}", self.next.fetch_add(1, Ordering::Relaxed));
        request["transaction"] = json!(transaction);
        if self.session != 0 {
            request["session_id"] = json!(self.session);
        }
        let what = request["janus"].as_str().unwrap_or("request").to_owned();
        let (tx, rx) = oneshot::channel();
        self.waiting.lock().unwrap().insert(transaction, tx);
        self.tx
            .send(request.to_string())
            .map_err(|_| "janus: the connection closed".to_owned())?;
        let reply = tokio::time::timeout(REPLY_WITHIN, rx)
            .await
            .map_err(|_| format!("janus {what}: no reply in 15 s"))?
            .map_err(|_| format!("janus {what}: the connection closed"))?;
        if reply["janus"] == "error" {
            return Err(format!("janus {what} refused: {}", reply["error"]));
        }
        Ok(reply)
    }

    /// A new videoroom handle in the session.
    async fn attach(&self) -> Result<u64, String> {
        let reply = self
            .call(json!({ "janus": "attach", "plugin": PLUGIN }))
            .await?;
        reply["data"]["id"]
            .as_u64()
            .ok_or_else(|| format!("janus attach: no handle id in {reply}"))
    }

    /// A videoroom request on `handle`, with an SDP when given: the plugin's
    /// data and the SDP of its reply, if any.
    async fn message(
        &self,
        handle: u64,
        body: Value,
        jsep: Option<(&str, &str)>,
    ) -> Result<(Value, Option<String>), String> {
        let mut request = json!({ "janus": "message", "handle_id": handle, "body": body });
        if let Some((kind, sdp)) = jsep {
            request["jsep"] = json!({ "type": kind, "sdp": sdp });
        }
        let reply = self.call(request).await?;
        let data = reply["plugindata"]["data"].clone();
        if let Some(error) = data.get("error") {
            return Err(format!("videoroom {}: {error}", body["request"]));
        }
        let sdp = reply["jsep"]["sdp"].as_str().map(str::to_owned);
        if jsep.is_some() {
            // Every candidate was in the SDP: no trickle follows.
            let done = json!({ "janus": "trickle", "session_id": self.session, "handle_id": handle,
                "candidate": { "completed": true }, "transaction": "trickle" });
            self.tx.send(done.to_string()).ok();
        }
        Ok((data, sdp))
    }

    /// Creates a room for one publisher (VP8 and Opus, no bit rate cap, no
    /// periodic keyframe requests): its number.
    pub async fn create_room(&self) -> Result<u64, String> {
        let handle = self.attach().await?;
        let body = json!({ "request": "create", "publishers": 1, "bitrate": 0, "fir_freq": 0,
            "videocodec": "vp8", "audiocodec": "opus", "permanent": false });
        let (data, _) = self.message(handle, body, None).await?;
        data["room"]
            .as_u64()
            .ok_or_else(|| format!("videoroom create: no room in {data}"))
    }

    /// Publishes `offer` in `room`: the publisher's feed id and Janus's answer.
    pub async fn publish(&self, room: u64, offer: &str) -> Result<(u64, String), String> {
        let handle = self.attach().await?;
        let body = json!({ "request": "joinandconfigure", "room": room, "ptype": "publisher",
            "display": "load-0" });
        let (data, answer) = self.message(handle, body, Some(("offer", offer))).await?;
        let feed = data["id"]
            .as_u64()
            .ok_or_else(|| format!("videoroom joinandconfigure: no feed id in {data}"))?;
        Ok((feed, answer.ok_or("videoroom joinandconfigure: no answer")?))
    }

    /// Subscribes a new handle to `feed`: the handle and Janus's offer.
    pub async fn subscribe(&self, room: u64, feed: u64) -> Result<(u64, String), String> {
        let handle = self.attach().await?;
        let body = json!({ "request": "join", "room": room, "ptype": "subscriber",
            "streams": [{ "feed": feed }] });
        let (_, offer) = self.message(handle, body, None).await?;
        Ok((handle, offer.ok_or("videoroom join: no offer")?))
    }

    /// Starts a subscription with the subscriber's `answer`.
    pub async fn start(&self, handle: u64, answer: &str) -> Result<(), String> {
        let body = json!({ "request": "start" });
        self.message(handle, body, Some(("answer", answer)))
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;
    use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

    /// A scripted Janus: answers the videoroom requests the load client
    /// makes the way Janus 1.1 does ("ack" first for plugin messages, then
    /// the "event"), refuses room 13, and reports every request it got.
    async fn fake_janus() -> (String, mpsc::UnboundedReceiver<Value>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let (seen_tx, seen) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            // The handshake callback's error type is tungstenite's, not ours.
            #[allow(clippy::result_large_err)]
            let echo_protocol = |req: &Request, mut res: Response| {
                if let Some(p) = req.headers().get("Sec-WebSocket-Protocol") {
                    res.headers_mut()
                        .insert("Sec-WebSocket-Protocol", p.clone());
                }
                Ok(res)
            };
            let mut ws = tokio_tungstenite::accept_hdr_async(tcp, echo_protocol)
                .await
                .unwrap();
            let mut handles = 100;
            while let Some(Ok(Message::Text(text))) = ws.next().await {
                let req: Value = serde_json::from_str(text.as_str()).unwrap();
                seen_tx.send(req.clone()).ok();
                let t = req["transaction"].clone();
                let replies = match (
                    req["janus"].as_str().unwrap(),
                    req["body"]["request"].as_str(),
                ) {
                    ("create", _) => {
                        vec![json!({ "janus": "success", "transaction": t, "data": { "id": 1 } })]
                    }
                    ("attach", _) => {
                        handles += 1;
                        vec![
                            json!({ "janus": "success", "transaction": t, "data": { "id": handles } }),
                        ]
                    }
                    ("message", Some("create")) => {
                        vec![json!({ "janus": "success", "transaction": t,
                        "plugindata": { "plugin": PLUGIN, "data": { "videoroom": "created", "room": 42 } } })]
                    }
                    ("message", Some(_)) if req["body"]["room"] == 13 => {
                        vec![json!({ "janus": "event", "transaction": t,
                        "plugindata": { "plugin": PLUGIN, "data": { "videoroom": "event", "error_code": 426, "error": "No such room (13)" } } })]
                    }
                    ("message", Some(request)) => {
                        let (data, jsep) = match request {
                            "joinandconfigure" => (
                                json!({ "videoroom": "joined", "id": 7 }),
                                json!({ "type": "answer", "sdp": "ANSWER" }),
                            ),
                            "join" => (
                                json!({ "videoroom": "attached" }),
                                json!({ "type": "offer", "sdp": "OFFER" }),
                            ),
                            _ => (
                                json!({ "videoroom": "event", "started": "ok" }),
                                Value::Null,
                            ),
                        };
                        vec![
                            json!({ "janus": "ack", "transaction": t }),
                            json!({ "janus": "event", "transaction": t, "plugindata": { "plugin": PLUGIN, "data": data }, "jsep": jsep }),
                        ]
                    }
                    ("trickle", _) => vec![json!({ "janus": "ack", "transaction": t })],
                    _ => vec![
                        json!({ "janus": "error", "transaction": t, "error": { "code": 457, "reason": "Unknown request" } }),
                    ],
                };
                for r in replies {
                    ws.send(Message::text(r.to_string())).await.unwrap();
                }
            }
        });
        (url, seen)
    }

    #[tokio::test]
    async fn speaks_the_videoroom_api_in_order_and_refuses_what_janus_refuses() {
        let (url, mut seen) = fake_janus().await;
        let janus = Janus::connect(&url).await.unwrap();
        let room = janus.create_room().await.unwrap();
        assert_eq!(room, 42);
        assert_eq!(
            janus.publish(room, "PUBLISHER-OFFER").await.unwrap(),
            (7, "ANSWER".to_owned())
        );
        let (handle, offer) = janus.subscribe(room, 7).await.unwrap();
        assert_eq!(offer, "OFFER");
        janus.start(handle, "SUBSCRIBER-ANSWER").await.unwrap();
        let refused = janus.publish(13, "x").await.unwrap_err();
        assert!(refused.contains("No such room (13)"), "{refused}");

        let mut requests = Vec::new();
        while let Ok(r) = seen.try_recv() {
            requests.push(r);
        }
        let what: Vec<String> = requests
            .iter()
            .map(|r| match r["body"]["request"].as_str() {
                Some(b) => format!("{}:{b}", r["janus"].as_str().unwrap()),
                None => r["janus"].as_str().unwrap().to_owned(),
            })
            .collect();
        assert_eq!(
            what,
            [
                "create",
                "attach",
                "message:create",
                "attach",
                "message:joinandconfigure",
                "trickle",
                "attach",
                "message:join",
                "message:start",
                "trickle",
                "attach",
                "message:joinandconfigure",
            ]
        );
        // Every request after "create" is in the session; the SDPs go as Janus's jsep.
        assert!(requests[1..].iter().all(|r| r["session_id"] == 1));
        assert_eq!(
            requests[4]["jsep"],
            json!({ "type": "offer", "sdp": "PUBLISHER-OFFER" })
        );
        assert_eq!(requests[4]["body"]["room"], 42);
        assert_eq!(requests[7]["body"]["streams"], json!([{ "feed": 7 }]));
        assert_eq!(
            requests[8]["jsep"],
            json!({ "type": "answer", "sdp": "SUBSCRIBER-ANSWER" })
        );
        assert_eq!(requests[8]["handle_id"], requests[7]["handle_id"]);
    }
}
