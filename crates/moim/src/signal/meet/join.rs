//! `join {room, name}`: enter a meeting (leaving the current one first).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use super::MembershipEvent;
use super::leave::leave_room;
use crate::error::{Refusal, Reply};
use crate::rooms::Member;
use crate::signal::Hub;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::refuse;
use crate::validate::{self, limits};

#[derive(Debug, Deserialize)]
struct JoinRequest {
    room: String,
    name: String,
}

/// The successful ack.
#[derive(Debug, Serialize)]
struct JoinResult {
    room: String,
    you: Member,
    participants: Vec<Member>,
    seq: u64,
    limits: Limits,
}

/// The limits a client should check before sending.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Limits {
    name: usize,
    room: usize,
    message: usize,
    room_size: usize,
}

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    TryData(args): TryData<Args>,
    AckWanted(wants_ack): AckWanted,
    ack: AckSender<A>,
) {
    let _turn = order.turn().await;
    let client = Client::of(&socket, hub.rate);
    let request = (|| {
        client.admit()?;
        let request: JoinRequest = args.map_err(|_| Refusal::InvalidPayload)?.object()?;
        let name = validate::name(&request.name)?.to_owned();
        let room = validate::room(&request.room)?.to_owned();
        Ok((room, name))
    })();
    let (room, name) = match request {
        Ok(checked) => checked,
        Err(refusal) => return refuse(&socket, &client, ack, wants_ack, "join", refusal),
    };
    // Into the adapter's room before the snapshot: every change after it reaches us.
    socket.join(room.clone());
    let joined = match hub.meet.join(&room, socket.id, &name) {
        Ok(joined) => joined,
        Err(_) => {
            // Refused: nothing changes, the current meeting included.
            socket.leave(room);
            return refuse(&socket, &client, ack, wants_ack, "join", Refusal::RoomFull);
        }
    };
    // Only now leave the previous meeting: a refused switch keeps it.
    for current in hub.meet.rooms_of(socket.id) {
        if *current != *room {
            leave_room(&socket, &hub, &current).await;
        }
    }
    tracing::info!(sid = %socket.id, room = %room, count = joined.count, "participant joined");
    let you = Member {
        id: socket.id,
        name: name.into(),
    };
    if joined.is_new {
        let event = MembershipEvent {
            participant: &you,
            count: joined.count,
            seq: joined.seq,
        };
        socket
            .to(room.clone())
            .emit("participant-joined", &event)
            .await
            .ok();
    }
    let result = JoinResult {
        room,
        you,
        participants: joined.others,
        seq: joined.seq,
        limits: Limits {
            name: limits::NAME,
            room: limits::ROOM,
            message: limits::MESSAGE,
            room_size: hub.room_size,
        },
    };
    ack.send(&Reply::Ok(result)).ok();
}
