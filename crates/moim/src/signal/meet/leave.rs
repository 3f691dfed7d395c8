//! `leave`: leave the current meeting.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State};

use moim_proto::{Empty, ParticipantEvent};

use super::participant;
use crate::error::{Refusal, Reply};
use crate::signal::Hub;
use crate::signal::args::AckWanted;
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::refuse;

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    AckWanted(wants_ack): AckWanted,
    ack: AckSender<A>,
) {
    let _turn = order.turn().await;
    let client = Client::of(&socket, hub.rate);
    let rooms = client.admit().map(|()| hub.meet.rooms_of(socket.id));
    match rooms {
        Ok(rooms) if !rooms.is_empty() => {
            for room in rooms {
                leave_room(&socket, &hub, &room).await;
            }
            ack.send(&Reply::Ok(Empty {})).ok();
        }
        Ok(_) => refuse(
            &socket,
            &client,
            ack,
            wants_ack,
            "leave",
            Refusal::NotInRoom,
        ),
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "leave", refusal),
    }
}

/// Takes the socket out of `room` and tells the others.
pub async fn leave_room<A: Adapter>(socket: &SocketRef<A>, hub: &Hub, room: &str) {
    if let Some(left) = hub.meet.leave(room, socket.id) {
        announce_left(socket, &left).await;
    }
    socket.leave(room.to_owned());
}

/// Sends `participant-left` for `left` to the rest of its room.
pub async fn announce_left<A: Adapter>(socket: &SocketRef<A>, left: &crate::rooms::Left) {
    tracing::info!(sid = %socket.id, room = %left.room, count = left.count, "participant left");
    let event = ParticipantEvent {
        participant: participant(&left.member),
        count: left.count as u32,
        seq: left.seq,
    };
    socket
        .to(left.room.to_string())
        .emit("participant-left", &event)
        .await
        .ok();
}
