//! Leaving: each room the socket was in gets `bye(nickname, count)` (see
//! [`crate::signal::departure`]); the room-list broadcaster sends
//! `room_change` to everyone.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::socket::DisconnectReason;

use crate::hub::Hub;
use crate::namespace::Namespace;
use crate::signal::departure::{self, Why};
use crate::signal::order::InOrder;

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    reason: DisconnectReason,
) {
    let _turn = order.turn().await;
    hub.sockets.disconnected(&socket, reason);
    departure::leave_all(&socket, &hub, Namespace::Course, Why::Disconnected).await;
}
