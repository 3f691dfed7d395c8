//! A closed tab, a lost network or a missed ping: the meeting is told at once.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::socket::DisconnectReason;

use super::leave::announce_left;
use crate::signal::Hub;

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    tracing::debug!(sid = %socket.id, %reason, "disconnected");
    for left in hub.meet.leave_all(socket.id) {
        announce_left(&socket, &left).await;
    }
}
