//! The `/admin` namespace, the third beside the course's and the meetings':
//! login, the first picture (config, stats, every socket), then every change
//! as it happens ([`crate::admin::registry`]'s feed), and the admin's
//! [`actions`]; [`stats`] sends `server_stats` and `moim:ops` every two seconds.
//!
//! Only here when `--admin-user` and `--admin-password-hash` are given.
//! What signaling itself needs of administration (the socket registry every
//! handler joins rooms through, the credentials) is [`crate::admin`], below.

mod actions;
pub mod stats;

use std::sync::Arc;

use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::socket::DisconnectReason;
use socketioxide_core::adapter::DefinedAdapter;
use tokio::sync::{Notify, broadcast};

use crate::admin::auth::Denied;
use crate::admin::registry::Change;
use crate::admin::wire::iso_time;
use crate::hub::Hub;
use crate::namespace::ADMIN;

/// What this server offers the UI. `EMIT` (sending any event as the server)
/// and `ALL_EVENTS` (a copy of every event, chat text included) are left out
/// on purpose: an admin can see and steer sockets, not read or forge messages.
const FEATURES: &[&str] = &[
    "JOIN",
    "LEAVE",
    "DISCONNECT",
    "MJOIN",
    "MLEAVE",
    "MDISCONNECT",
    "AGGREGATED_EVENTS",
];

/// A session id to hand to the UI once it is connected.
#[derive(Clone)]
struct NewSession(String);

/// Fired when the admin socket goes, to end its forwarding task.
#[derive(Clone, Default)]
struct Gone(Arc<Notify>);

/// Registers `/admin` on `io`.
pub fn attach<A: DefinedAdapter + Adapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns(ADMIN, on_connect::<A>.with(authenticate::<A>))
}

/// Refuses the connection unless the `auth` payload holds the admin's
/// credentials or a live session id; registers the handlers before the
/// client is told it is connected.
async fn authenticate<A: Adapter>(
    socket: SocketRef<A>,
    TryData(auth): TryData<Value>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Denied> {
    let Some(admin) = hub.admin.clone() else {
        return Err(Denied::Invalid);
    };
    let auth = auth.unwrap_or(Value::Null);
    let peer = crate::signal::client::peer_ip(&socket);
    let session = match admin.check(&auth, peer).await {
        Ok(session) => session,
        Err(denied) => {
            let peer = peer.map(|ip| ip.to_string()).unwrap_or_default();
            tracing::warn!(sid = %socket.id, %peer, reason = %denied, "admin login refused");
            return Err(denied);
        }
    };
    tracing::info!(sid = %socket.id, "admin logged in");
    if let Some(session) = session {
        socket.extensions.insert(NewSession(session));
    }
    socket.extensions.insert(Gone::default());
    socket.on("_disconnect", actions::disconnect::<A>);
    socket.on("join", actions::join::<A>);
    socket.on("leave", actions::leave::<A>);
    socket.on_disconnect(on_disconnect::<A>);
    Ok(())
}

async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(hub): State<Arc<Hub>>) {
    if let Some(NewSession(session)) = socket.extensions.get::<NewSession>() {
        socket.emit("session", &session).ok();
    }
    socket
        .emit("config", &json!({ "supportedFeatures": FEATURES }))
        .ok();
    socket
        .emit("server_stats", &stats::server_stats(&hub, Vec::new()))
        .ok();
    socket.emit(stats::OPS_EVENT, &stats::ops(&hub)).ok();
    hub.sockets.connected(&socket);
    let (all, feed) = hub.sockets.snapshot();
    socket.emit("all_sockets", &all).ok();
    let gone = socket.extensions.get::<Gone>().unwrap_or_default();
    tokio::spawn(forward(socket, hub, feed, gone));
}

async fn on_disconnect<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    hub.sockets.disconnected(&socket, reason);
    if let Some(Gone(gone)) = socket.extensions.get::<Gone>() {
        gone.notify_one();
    }
}

/// Sends this admin every change after its snapshot, until it goes. An admin
/// too slow to keep up gets a fresh `all_sockets` instead of the changes it missed.
async fn forward<A: Adapter>(
    socket: SocketRef<A>,
    hub: Arc<Hub>,
    mut feed: broadcast::Receiver<Arc<Change>>,
    Gone(gone): Gone,
) {
    loop {
        let change = tokio::select! {
            change = feed.recv() => change,
            () = gone.notified() => return,
        };
        let sent = match change {
            Ok(change) => emit(&socket, &change),
            Err(broadcast::error::RecvError::Lagged(_)) => {
                let (all, fresh) = hub.sockets.snapshot();
                feed = fresh;
                socket.emit("all_sockets", &all).is_ok()
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if !sent {
            return;
        }
    }
}

/// One change as its Admin UI event; false once the socket is closed.
fn emit<A: Adapter>(socket: &SocketRef<A>, change: &Change) -> bool {
    use socketioxide::SendError;
    let result = match change {
        Change::Connected(serialized, at) => {
            socket.emit("socket_connected", &(serialized, iso_time(*at)))
        }
        Change::Transport { nsp, id, transport } => socket.emit(
            "socket_updated",
            &json!({ "id": id, "nsp": nsp, "transport": transport }),
        ),
        Change::Joined(nsp, room, id, at) => {
            socket.emit("room_joined", &(nsp, room, id, iso_time(*at)))
        }
        Change::Left(nsp, room, id, at) => {
            socket.emit("room_left", &(nsp, room, id, iso_time(*at)))
        }
        Change::Disconnected(nsp, id, reason, at) => {
            socket.emit("socket_disconnected", &(nsp, id, reason, iso_time(*at)))
        }
    };
    !matches!(result, Err(SendError::Socket(_))) || socket.connected()
}
