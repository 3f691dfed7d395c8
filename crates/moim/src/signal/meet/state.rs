//! `state {audio?, video?, screen?, name?}`: what a participant shows the
//! others (muted, camera off, sharing, renamed), told as `participant-updated`.

use std::sync::Arc;

use moim_proto::{ParticipantUpdate, StateIn, StateResult};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use super::{current_room, participant};
use crate::error::{Refusal, Reply};
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
    let checked = (|| {
        client.admit()?;
        let change: StateIn = args.map_err(|_| Refusal::InvalidPayload)?.object()?;
        let name = change
            .name
            .as_deref()
            .map(validate::name)
            .transpose()?
            .map(str::to_owned);
        let (room, _) = current_room(&hub, socket.id)?;
        let updated = hub
            .meet
            .update(&room, socket.id, |member| {
                member.audio = change.audio.unwrap_or(member.audio);
                member.video = change.video.unwrap_or(member.video);
                member.screen = change.screen.unwrap_or(member.screen);
                if let Some(name) = name {
                    member.name = name.into();
                }
            })
            .ok_or(Refusal::NotInRoom)?;
        Ok((room, participant(&updated)))
    })();
    match checked {
        Ok((room, participant)) => {
            let update = ParticipantUpdate {
                participant: participant.clone(),
            };
            socket
                .to(room.to_string())
                .emit("participant-updated", &update)
                .await
                .ok();
            ack.send(&Reply::Ok(StateResult { participant })).ok();
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "state", refusal),
    }
}
