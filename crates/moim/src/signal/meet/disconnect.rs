//! A closed tab, a lost network or a missed ping: the meeting is told at once
//! (see [`crate::signal::departure`]).

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
    tracing::debug!(sid = %socket.id, %reason, "disconnected");
    hub.sockets.disconnected(&socket, reason);
    departure::leave_all(&socket, &hub, Namespace::Meet, Why::Disconnected).await;
    super::lobby::withdraw(&socket, &hub).await;
}
