//! The Admin UI's actions on other sockets: `_disconnect`, `join`, `leave`,
//! each `(nsp, …, filter?)` where the filter is a socket id or a room name.
//!
//! `join` and `leave` change Socket.IO rooms, like socket.io's `socketsJoin`
//! and `socketsLeave`. A `leave` of a room where the socket is a participant
//! also takes it out of moim's room model, and the others are told (`bye`,
//! `participant-left`), so no ghost stays behind.

use std::sync::Arc;

use serde_json::Value;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State, TryData};

use crate::hub::Hub;
use crate::namespace::Namespace;
use crate::signal::args::Args;
use crate::signal::departure::{self, Why};

/// The sockets of `nsp` the action is for.
fn targets<A: Adapter>(
    io: &SocketIo<A>,
    hub: &Hub,
    nsp: &str,
    filter: Option<&str>,
) -> Vec<SocketRef<A>> {
    let Some(ns) = io.of(nsp) else {
        return Vec::new();
    };
    hub.sockets
        .matching(nsp, filter)
        .into_iter()
        .filter_map(|id| ns.get_socket(id))
        .collect()
}

/// `_disconnect(nsp, close, filter?)`.
pub async fn disconnect<A: Adapter>(
    admin: SocketRef<A>,
    io: SocketIo<A>,
    State(hub): State<Arc<Hub>>,
    TryData(args): TryData<Args>,
) {
    let Some((nsp, _close, filter)) = args.as_ref().ok().and_then(action_args) else {
        return;
    };
    for socket in targets(&io, &hub, nsp, filter) {
        tracing::info!(admin = %admin.id, ns = nsp, sid = %socket.id, "admin disconnected a socket");
        // socketioxide cannot close one client's whole connection; leaving the
        // namespace is what the disconnect handlers (and the client) see.
        socket.disconnect().ok();
    }
}

/// `join(nsp, room, filter?)`.
pub async fn join<A: Adapter>(
    io: SocketIo<A>,
    State(hub): State<Arc<Hub>>,
    TryData(args): TryData<Args>,
) {
    let Some((nsp, Value::String(room), filter)) = args.as_ref().ok().and_then(action_args) else {
        return;
    };
    for socket in targets(&io, &hub, nsp, filter) {
        hub.sockets.join(&socket, room);
    }
}

/// `leave(nsp, room, filter?)`.
pub async fn leave<A: Adapter>(
    io: SocketIo<A>,
    State(hub): State<Arc<Hub>>,
    TryData(args): TryData<Args>,
) {
    let Some((nsp, Value::String(room), filter)) = args.as_ref().ok().and_then(action_args) else {
        return;
    };
    for socket in targets(&io, &hub, nsp, filter) {
        match Namespace::from_path(nsp) {
            Some(ns) => departure::leave_room(&socket, &hub, ns, room, Why::Admin).await,
            None => hub.sockets.leave(&socket, room),
        }
    }
}

/// The arguments of an admin action: `(nsp, x, filter?)`.
fn action_args(args: &Args) -> Option<(&str, &Value, Option<&str>)> {
    let nsp = args.0.first()?.as_str()?;
    let second = args.0.get(1)?;
    let filter = args.0.get(2).and_then(Value::as_str);
    Some((nsp, second, filter))
}
