//! `state {audio?, video?, screen?, name?}`: what a participant shows the
//! others (muted, camera off, sharing, renamed), told as `participant-updated`.

use moim_proto::{ParticipantUpdate, StateIn, StateResult};
use socketioxide::adapter::Adapter;

use super::{current_room, participant};
use crate::error::{Refusal, Reply};
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let change: StateIn = req.args()?.object()?;
        let name = change
            .name
            .as_deref()
            .map(validate::name)
            .transpose()?
            .map(str::to_owned);
        let (room, _) = current_room(&req.hub, req.socket.id)?;
        let updated = req
            .hub
            .meet
            .update(&room, req.socket.id, |member| {
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
            req.socket
                .to(room.to_string())
                .emit("participant-updated", &update)
                .await
                .ok();
            req.reply(&Reply::Ok(StateResult { participant }));
        }
        Err(refusal) => req.refuse("state", refusal),
    }
}
