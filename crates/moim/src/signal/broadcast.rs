//! Sending to a room, one node or many.
//!
//! In cluster mode a broadcast first goes to the other nodes through Redis; if
//! that fails (Redis is down), socketioxide's adapter gives up before the local
//! delivery. A room's local participants must still get it, so [`emit`] then
//! sends again to this node's sockets only. Only an adapter error is retried:
//! a full socket queue is not a reason to send twice.

use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::operators::BroadcastOperators;
use socketioxide::{BroadcastError, SocketIo};

/// Emits `event` through the operators `to()` builds (called again for the
/// local-only retry).
pub async fn emit<A: Adapter, T: Serialize + ?Sized>(
    to: impl Fn() -> BroadcastOperators<A>,
    event: &str,
    data: &T,
) {
    match to().emit(event, data).await {
        Err(BroadcastError::Adapter(e)) => {
            tracing::warn!(event, error = %e, "broadcast to other nodes failed; delivered on this node only");
            to().local().emit(event, data).await.ok();
        }
        Err(e) => tracing::debug!(event, error = %e, "broadcast incomplete"),
        Ok(()) => {}
    }
}

/// Emits `event` to `room` of `namespace` (every socket of it when `room` is
/// `None`), with the same local retry as [`emit`]. Nothing is sent when the
/// namespace does not exist.
pub async fn emit_in<A: Adapter, T: Serialize + ?Sized>(
    io: &SocketIo<A>,
    namespace: &str,
    room: Option<&str>,
    event: &str,
    data: &T,
) {
    let to = || {
        io.of(namespace).map(|op| match room {
            Some(room) => op.to(room.to_owned()),
            None => op,
        })
    };
    let Some(op) = to() else {
        return;
    };
    match op.emit(event, data).await {
        Err(BroadcastError::Adapter(e)) => {
            tracing::warn!(namespace, event, error = %e, "broadcast to other nodes failed; delivered on this node only");
            if let Some(op) = to() {
                op.local().emit(event, data).await.ok();
            }
        }
        Err(e) => tracing::debug!(namespace, event, error = %e, "broadcast incomplete"),
        Ok(()) => {}
    }
}
