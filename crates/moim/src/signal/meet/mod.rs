//! moim's own meeting protocol on namespace `/moim` (see `docs/protocol.md`).
//!
//! A socket is in at most one meeting. Membership events carry the room's
//! sequence number so a client can tell which of them its join snapshot already
//! contains. This file only wires events to their handlers, one per file.

mod chat;
mod disconnect;
mod join;
mod leave;

use std::convert::Infallible;
use std::sync::Arc;

use serde::Serialize;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::handler::ConnectHandler;
use socketioxide_core::adapter::DefinedAdapter;

use super::Hub;
use super::client::Client;
use super::room_list::ListFormat;
use crate::rooms::Member;

/// The namespace of moim's own protocol.
pub const NAMESPACE: &str = "/moim";

/// Registers `/moim` on `io`.
pub fn attach<A: DefinedAdapter + Adapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns(NAMESPACE, on_connect::<A>.with(setup::<A>))
}

/// Runs before the client is told it is connected (socketioxide awaits
/// middlewares first), so no event can arrive before its handler exists.
async fn setup<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Infallible> {
    Client::attach(&socket, hub.rate);
    socket.on("join", join::handle::<A>);
    socket.on("chat", chat::handle::<A>);
    socket.on("leave", leave::handle::<A>);
    socket.on_disconnect(disconnect::handle::<A>);
    Ok(())
}

async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(hub): State<Arc<Hub>>) {
    let list = ListFormat::Moim.render(&hub.meet.summary());
    socket.emit(ListFormat::Moim.event(), &list).ok();
}

/// `participant-joined` and `participant-left`.
#[derive(Debug, Serialize)]
pub struct MembershipEvent<'a> {
    /// Who joined or left.
    pub participant: &'a Member,
    /// People in the room after the change.
    pub count: usize,
    /// The room's sequence number after the change.
    pub seq: u64,
}
