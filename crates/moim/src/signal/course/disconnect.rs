//! Leaving: each room the socket was in gets `bye(nickname, count)`; the room-list
//! broadcaster sends `room_change` to everyone.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::socket::DisconnectReason;

use crate::signal::Hub;
use crate::signal::order::InOrder;

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    let _turn = order.turn().await;
    hub.sockets.disconnected(&socket, reason);
    for left in hub.course.leave_all(socket.id) {
        tracing::info!(ns = "/", room = %left.room, participant = %socket.id, count = left.count, "participant left");
        let bye = (left.member.name, left.count);
        socket
            .to(left.room.to_string())
            .emit("bye", &bye)
            .await
            .ok();
    }
}
