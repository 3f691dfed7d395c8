//! A closed tab, a lost network or a missed ping: the meeting is told at once.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::socket::DisconnectReason;

use super::leave::announce_left;
use crate::cluster::Ns;
use crate::signal::order::InOrder;
use crate::signal::{Hub, members};

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    let _turn = order.turn().await;
    tracing::debug!(sid = %socket.id, %reason, "disconnected");
    hub.sockets.disconnected(&socket, reason);
    let me = super::participant_of(&socket, &hub);
    for left in members::leave_all(&hub, Ns::Meet, me).await {
        announce_left(&socket, &hub, &left).await;
    }
}
