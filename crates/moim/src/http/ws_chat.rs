//! The course's first chat: a raw WebSocket at `/ws`.
//!
//! Clients send JSON `{type, payload}` with `type` `nickname` or `new_message`;
//! every `/ws` client, the sender included, receives `"nickname: text"` as a
//! text frame. The default nickname is `Anon`. A frame moim cannot use is
//! answered, to its sender only, with `{"type": "error", "payload": {code, message}}`.
//!
//! Fan-out is one `broadcast` channel: a message is formatted once and each
//! connection's task writes it to its own socket.
//!
//! Liveness, as Socket.IO does it (`--ping-interval`, `--ping-timeout`): the
//! server pings every interval, and a client that has sent nothing, not even
//! a pong, for the interval plus the timeout is closed, as is one that does
//! not take a frame within the timeout. Without it a client that vanished (or
//! never meant to talk) held its socket for good.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde::Deserialize;
use tokio::sync::{broadcast, watch};

use crate::error::Refusal;
use crate::metrics::moim::Metrics;
use crate::rate_limit::{RateLimit, TokenBucket};
use crate::validate::DEFAULT_NICKNAME;
use crate::validate::{self, limits};

/// Lines kept for a slow reader before it starts missing some.
const BACKLOG: usize = 1024;

/// The `/ws` chat: one channel for every connection.
#[derive(Debug)]
pub struct WsChat {
    lines: broadcast::Sender<Arc<str>>,
    rate: RateLimit,
    liveness: Liveness,
    stop: watch::Receiver<bool>,
}

/// How often `/ws` clients are pinged and how long a silent one is kept.
#[derive(Debug, Clone, Copy)]
pub struct Liveness {
    /// Time between two pings.
    pub ping_every: Duration,
    /// Grace after a missed ping, and the most a frame may take to be sent.
    pub timeout: Duration,
}

impl WsChat {
    /// A chat whose connections close when `stop` turns true.
    pub fn new(rate: RateLimit, liveness: Liveness, stop: watch::Receiver<bool>) -> Self {
        Self {
            lines: broadcast::channel(BACKLOG).0,
            rate,
            liveness,
            stop,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", content = "payload", rename_all = "snake_case")]
enum Incoming {
    Nickname(String),
    NewMessage(String),
}

/// Upgrades `GET /ws` to the chat's WebSocket.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(chat): State<Arc<WsChat>>,
    State(metrics): State<Arc<Metrics>>,
) -> Response {
    ws.max_message_size(limits::PACKET_BYTES)
        .max_frame_size(limits::PACKET_BYTES)
        .on_upgrade(move |socket| serve(socket, chat, metrics))
}

async fn serve(mut socket: WebSocket, chat: Arc<WsChat>, metrics: Arc<Metrics>) {
    let mut lines = chat.lines.subscribe();
    let mut stop = chat.stop.clone();
    if *stop.borrow_and_update() {
        return;
    }
    let mut nickname: Arc<str> = DEFAULT_NICKNAME.into();
    let mut bucket = TokenBucket::new(chat.rate, Instant::now());
    let Liveness {
        ping_every,
        timeout,
    } = chat.liveness;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            frame = socket.recv() => {
                heard = Instant::now();
                let text = match frame {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Binary(_))) => {
                        metrics.refused("/ws", Refusal::InvalidJson);
                        if reply_error(&mut socket, Refusal::InvalidJson, timeout).await.is_err() { break }
                        continue;
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                };
                let outcome = if bucket.try_take(Instant::now()) {
                    handle(&text, &mut nickname, &chat.lines)
                } else {
                    Err(Refusal::RateLimited)
                };
                match outcome {
                    Ok(true) => metrics.relayed("/ws", "new_message"),
                    Ok(false) => {}
                    Err(refusal) => metrics.refused("/ws", refusal),
                }
                if let Err(refusal) = outcome
                    && (refusal != Refusal::RateLimited || bucket.should_notify(Instant::now()))
                    && reply_error(&mut socket, refusal, timeout).await.is_err()
                {
                    break;
                }
            }
            line = lines.recv() => match line {
                Ok(line) => {
                    if send(&mut socket, Message::Text((*line).into()), timeout).await.is_err() { break }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a /ws reader fell behind and missed messages");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = ping.tick() => {
                if heard.elapsed() >= ping_every + timeout {
                    tracing::debug!("closing a /ws client that stopped answering pings");
                    break;
                }
                if send(&mut socket, Message::Ping(Default::default()), timeout).await.is_err() { break }
            }
            _ = stop.changed() => break,
        }
    }
}

/// Why a frame was not sent: the socket failed or the client took none for
/// `timeout` (its receive window full: it stopped reading).
struct NotSent;

/// Sends `message`, giving up after `timeout`: a client that stops reading
/// must not hold this task, its pings and its timeout, in a blocked write.
async fn send(socket: &mut WebSocket, message: Message, timeout: Duration) -> Result<(), NotSent> {
    match tokio::time::timeout(timeout, socket.send(message)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) | Err(_) => Err(NotSent),
    }
}

/// Applies one frame: a nickname change or a message for everyone (`true`
/// when a message was sent).
fn handle(
    text: &str,
    nickname: &mut Arc<str>,
    lines: &broadcast::Sender<Arc<str>>,
) -> Result<bool, Refusal> {
    let incoming: Incoming = serde_json::from_str(text).map_err(|_| Refusal::InvalidJson)?;
    match incoming {
        Incoming::Nickname(name) => {
            *nickname = validate::name(&name)?.into();
            Ok(false)
        }
        Incoming::NewMessage(message) => {
            let message = validate::message(&message)?;
            // `send` fails only when nobody listens, and the sender always does.
            lines.send(format!("{nickname}: {message}").into()).ok();
            Ok(true)
        }
    }
}

async fn reply_error(
    socket: &mut WebSocket,
    refusal: Refusal,
    timeout: Duration,
) -> Result<(), NotSent> {
    let body = serde_json::json!({ "type": "error", "payload": refusal.body() });
    send(socket, Message::Text(body.to_string().into()), timeout).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_parsed_and_checked() {
        let (tx, mut rx) = broadcast::channel(8);
        let mut nick: Arc<str> = DEFAULT_NICKNAME.into();
        assert!(handle(r#"{"type":"new_message","payload":"hi"}"#, &mut nick, &tx).unwrap());
        assert_eq!(&*rx.try_recv().unwrap(), "Anon: hi");
        assert!(!handle(r#"{"type":"nickname","payload":"Mina"}"#, &mut nick, &tx).unwrap());
        handle(
            r#"{"type":"new_message","payload":"<b>x</b>"}"#,
            &mut nick,
            &tx,
        )
        .unwrap();
        assert_eq!(&*rx.try_recv().unwrap(), "Mina: <b>x</b>");
        assert_eq!(
            handle("{not json", &mut nick, &tx),
            Err(Refusal::InvalidJson)
        );
        assert_eq!(
            handle(r#"{"type":"shout","payload":"x"}"#, &mut nick, &tx),
            Err(Refusal::InvalidJson)
        );
        assert_eq!(
            handle(r#"{"type":"nickname","payload":""}"#, &mut nick, &tx),
            Err(Refusal::InvalidName)
        );
        assert_eq!(&*nick, "Mina", "a refused nickname changes nothing");
        assert!(rx.try_recv().is_err(), "nothing refused was sent");
    }
}
