//! `leave`: leave the current meeting.

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

use moim_proto::{Empty, ParticipantEvent, RoomMode};

use super::participant;
use crate::cluster::Ns;
use crate::error::{Refusal, Reply};
use crate::signal::request::Request;
use crate::signal::{Hub, broadcast, members};

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let rooms = req
        .client
        .admit()
        .map(|()| req.hub.meet.rooms_of(req.client.participant()));
    match rooms {
        Ok(rooms) if !rooms.is_empty() => {
            for room in rooms {
                leave_room(&req.socket, &req.hub, &room).await;
            }
            req.reply(&Reply::Ok(Empty {}));
        }
        Ok(_) => req.refuse("leave", Refusal::NotInRoom),
        Err(refusal) => req.refuse("leave", refusal),
    }
}

/// Takes the socket out of `room` and tells the others.
pub async fn leave_room<A: Adapter>(socket: &SocketRef<A>, hub: &Hub, room: &str) {
    let me = super::participant_of(socket, hub);
    if let Some(left) = members::leave(hub, Ns::Meet, room, me).await {
        announce_left(socket, hub, &left).await;
    }
    hub.sockets.leave(socket, room);
}

/// Sends `participant-left` for `left` to the rest of its room, with the
/// room's mode after it. The leaver's SFU session ends; when the room falls
/// back to the mesh, everyone's does.
pub async fn announce_left<A: Adapter>(
    socket: &SocketRef<A>,
    hub: &Hub,
    left: &crate::rooms::Left,
) {
    let mode = hub.mode(left.count);
    if let Some(media) = &hub.media {
        media.leave(left.member.id);
        if mode == RoomMode::Mesh {
            media.leave_room(&left.room);
        }
    }
    tracing::info!(ns = super::NAMESPACE, room = %left.room, participant = %left.member.id, sid = %socket.id, count = left.count, "participant left");
    let event = ParticipantEvent {
        participant: participant(&left.member),
        count: left.count as u32,
        seq: left.seq,
        mode,
    };
    broadcast::emit(
        || socket.to(left.room.to_string()),
        "participant-left",
        &event,
    )
    .await;
}
