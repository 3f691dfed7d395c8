//! Leaving: each room the socket was in gets `bye(nickname, count)`; the room-list
//! broadcaster sends `room_change` to everyone.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::socket::DisconnectReason;

use crate::cluster::Ns;
use crate::signal::order::InOrder;
use crate::signal::{Hub, broadcast, members};

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    let _turn = order.turn().await;
    hub.sockets.disconnected(&socket, reason);
    for left in members::leave_all(&hub, Ns::Course, socket.id).await {
        tracing::info!(ns = "/", room = %left.room, participant = %socket.id, count = left.count, "participant left");
        let bye = (left.member.name, left.count);
        broadcast::emit(|| socket.to(left.room.to_string()), "bye", &bye).await;
    }
}
