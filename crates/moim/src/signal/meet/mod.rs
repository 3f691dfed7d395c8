//! moim's own meeting protocol on namespace `/moim` (see `docs/protocol.md`).
//!
//! A socket is in at most one meeting. Membership events carry the room's
//! sequence number so a client can tell which of them its join snapshot already
//! contains. This file only wires events to their handlers, one per file.

mod chat;
mod disconnect;
mod end;
mod gate;
mod hand;
mod history;
pub mod host;
mod ice_servers;
pub mod inbox;
mod join;
mod leave;
mod lobby;
mod moderate;
mod names;
mod returning;
mod settings;
mod sfu;
pub mod sfu_events;
mod signal;
mod state;
pub mod wire;

use std::convert::Infallible;
use std::sync::Arc;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::handler::ConnectHandler;
use socketioxide_core::adapter::DefinedAdapter;

use self::inbox::inbox;
use super::client::Client;
use crate::hub::Hub;
use crate::namespace::Namespace;

/// Registers `/moim` on `io`.
pub fn attach<A: DefinedAdapter + Adapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns(Namespace::Meet.path(), on_connect::<A>.with(setup::<A>))
}

/// Runs before the client is told it is connected (socketioxide awaits
/// middlewares first), so no event can arrive before its handler exists.
async fn setup<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Infallible> {
    let client = Client::attach(&socket, hub.rate);
    socket.on("join", join::handle::<A>);
    socket.on("chat", chat::handle::<A>);
    socket.on("history", history::handle::<A>);
    socket.on("leave", leave::handle::<A>);
    socket.on("signal", signal::handle::<A>);
    socket.on("state", state::handle::<A>);
    socket.on("ice-servers", ice_servers::handle::<A>);
    socket.on("sfu-offer", sfu::offer::<A>);
    socket.on("sfu-answer", sfu::answer::<A>);
    socket.on("sfu-tile", sfu::tile::<A>);
    socket.on("settings", settings::handle::<A>);
    socket.on("moderate", moderate::handle::<A>);
    socket.on("knock", lobby::knock::<A>);
    socket.on("admit", lobby::admit::<A>);
    socket.on("deny", lobby::deny::<A>);
    socket.on("end", end::handle::<A>);
    socket.on("hand", hand::hand::<A>);
    socket.on("react", hand::react::<A>);
    // Targeted signaling (`signal`, the SFU's offers) is delivered through
    // the participant's inbox room, here and across nodes.
    socket.join(inbox(client.participant()));
    socket.on_disconnect(disconnect::handle::<A>);
    Ok(())
}

async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(hub): State<Arc<Hub>>) {
    hub.sockets.connected(&socket);
    let ns = Namespace::Meet;
    let list = hub.room_list(ns).await;
    socket.emit(ns.room_list_event(), &list).ok();
}
