//! `join {room, name, audio?, video?}`: enter a meeting (leaving the current
//! one only once the new one has accepted).

use std::sync::Arc;

use moim_proto::{JoinIn, JoinResult, ParticipantEvent};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use super::leave::leave_room;
use super::participant;
use crate::error::{Refusal, Reply};
use crate::rooms::Member;
use crate::signal::Hub;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::refuse;
use crate::validate;

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
        let request: JoinIn = args.map_err(|_| Refusal::InvalidPayload)?.object()?;
        let name = validate::name(&request.name)?.to_owned();
        let room = validate::room(&request.room)?.to_owned();
        let member = Member {
            id: socket.id,
            name: name.into(),
            audio: request.audio.unwrap_or(true),
            video: request.video.unwrap_or(true),
            screen: false,
        };
        Ok((room, member))
    })();
    let (room, member) = match request {
        Ok(checked) => checked,
        Err(refusal) => return refuse(&socket, &client, ack, wants_ack, "join", refusal),
    };
    // Into the adapter's room before the snapshot: every change after it reaches us.
    socket.join(room.clone());
    let joined = match hub.meet.join(&room, member.clone()) {
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
    let you = participant(&member);
    if joined.is_new {
        let event = ParticipantEvent {
            participant: you.clone(),
            count: joined.count as u32,
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
        participants: joined.others.iter().map(participant).collect(),
        seq: joined.seq,
        ice_servers: hub.ice_servers.clone(),
        limits: hub.limits,
    };
    ack.send(&Reply::Ok(result)).ok();
}
