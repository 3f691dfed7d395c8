//! Where news to a room is sent from: a participant's own socket (the room
//! hears it, the socket does not), a host's socket acting on someone else
//! (the host hears it too), or the server itself (for people of a node that
//! is gone). Departures, host actions and the lobby all speak through it.

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use socketioxide::operators::BroadcastOperators;

use super::broadcast;
use crate::namespace::Namespace;

/// Where news to a room is sent from.
pub enum Sender<'a, A: Adapter> {
    /// The leaving socket: the room hears it, the socket itself does not.
    Socket(&'a SocketRef<A>),
    /// A host's socket taking someone else out: the host hears it too.
    Acting(&'a SocketRef<A>),
    /// The server (for someone whose socket is on a node that is gone).
    Server(&'a SocketIo<A>),
}

impl<A: Adapter> Sender<'_, A> {
    /// Broadcasts to `room` of `/moim`, the sender included.
    pub fn within(&self, room: &str) -> Option<BroadcastOperators<A>> {
        match self {
            Sender::Socket(socket) | Sender::Acting(socket) => Some(socket.within(room.to_owned())),
            Sender::Server(io) => io
                .of(Namespace::Meet.path())
                .map(|op| op.to(room.to_owned())),
        }
    }

    /// Emits to `room` of `/moim`, the sender included.
    pub async fn emit_within<T: serde::Serialize + ?Sized>(
        &self,
        room: &str,
        event: &str,
        data: &T,
    ) {
        match self {
            Sender::Socket(socket) | Sender::Acting(socket) => {
                broadcast::emit(|| socket.within(room.to_owned()), event, data).await;
            }
            Sender::Server(io) => {
                broadcast::emit_in(io, Namespace::Meet.path(), Some(room), event, data).await;
            }
        }
    }

    /// Emits to `room` of `ns`, with [`broadcast`]'s local retry.
    pub async fn emit<T: serde::Serialize + ?Sized>(
        &self,
        ns: Namespace,
        room: &str,
        event: &str,
        data: &T,
    ) {
        match self {
            Sender::Socket(socket) => {
                let to = || -> BroadcastOperators<A> { socket.to(room.to_owned()) };
                broadcast::emit(to, event, data).await;
            }
            Sender::Acting(socket) => {
                broadcast::emit(|| socket.within(room.to_owned()), event, data).await;
            }
            Sender::Server(io) => {
                broadcast::emit_in(io, ns.path(), Some(room), event, data).await;
            }
        }
    }
}
