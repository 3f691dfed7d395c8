//! The course's contract on namespace `/`, event for event (see `docs/protocol.md`).
//!
//! The course's client talks to moim unchanged: same event names, same argument
//! order, same acks. moim adds what the course left out: every argument is
//! checked, relays require membership of the named room, and a refusal is told
//! to the sender only.
//!
//! This file only wires events to their handlers, one handler per file.

mod disconnect;
mod join;
mod new_message;
mod nickname;
mod relay;

use std::convert::Infallible;
use std::sync::Arc;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::handler::ConnectHandler;
use socketioxide_core::adapter::DefinedAdapter;

use super::client::Client;
use super::request::Request;
use crate::hub::Hub;
use crate::namespace::Namespace;

/// Registers the course namespace `/` on `io`.
pub fn attach<A: DefinedAdapter + Adapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns(Namespace::Course.path(), on_connect::<A>.with(setup::<A>))
}

/// Runs before the client is told it is connected (socketioxide awaits
/// middlewares first), so no event can arrive before its handler exists.
async fn setup<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Infallible> {
    Client::attach(&socket, hub.rate);
    socket.on("nickname", nickname::handle::<A>);
    socket.on("enter_room", async |req: Request<A>| {
        join::handle("enter_room", req).await
    });
    socket.on("join_room", async |req: Request<A>| {
        join::handle("join_room", req).await
    });
    socket.on("new_message", new_message::handle::<A>);
    for event in ["offer", "answer", "ice"] {
        socket.on(event, async move |req: Request<A>| {
            relay::handle(event, req).await
        });
    }
    socket.on_disconnect(disconnect::handle::<A>);
    Ok(())
}

async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(hub): State<Arc<Hub>>) {
    hub.sockets.connected(&socket);
    // Not in the course, but harmless to its client: a fresh page sees the rooms
    // that already exist instead of an empty list until the next change.
    let ns = Namespace::Course;
    let list = hub.room_list(ns).await;
    socket.emit(ns.room_list_event(), &list).ok();
}
