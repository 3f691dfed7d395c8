//! Answering an event: the ack when the client asked for one, an `error` event
//! when it did not (the course's `offer`, `ice`, `nickname`, …).

use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef};

use crate::error::{Refusal, Reply};

use super::client::Client;

/// The `error` event's payload.
#[derive(Debug, Serialize)]
struct ErrorEvent<'a> {
    event: &'a str,
    code: &'static str,
    message: String,
}

/// Tells the client its `event` was refused, logging it at debug level.
pub fn refuse<A: Adapter>(
    socket: &SocketRef<A>,
    client: &Client,
    ack: AckSender<A>,
    wants_ack: bool,
    event: &str,
    refusal: Refusal,
) {
    tracing::debug!(sid = %socket.id, ns = socket.ns(), event, code = refusal.code(), "refused");
    if wants_ack {
        ack.send(&Reply::<()>::Error(refusal.body())).ok();
    } else if client.should_notify(refusal) {
        let body = refusal.body();
        let payload = ErrorEvent {
            event,
            code: body.code,
            message: body.message,
        };
        socket.emit("error", &payload).ok();
    }
}

/// Calls the client's `done()` with no arguments, as the course's server does.
/// (An empty array is sent as zero arguments; `()` would arrive as `null`.)
pub fn done<A: Adapter>(ack: AckSender<A>) {
    const NO_ARGUMENTS: [u8; 0] = [];
    ack.send(&NO_ARGUMENTS).ok();
}
