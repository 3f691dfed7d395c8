//! `state {audio?, video?, screen?, name?}`: what a participant shows the
//! others (muted, camera off, sharing, renamed), told as `participant-updated`.

use moim_proto::{ParticipantUpdate, StateIn, StateResult};
use socketioxide::adapter::Adapter;

use super::{current_room, names, participant};
use crate::cluster::{Change, Ns};
use crate::error::{Refusal, Reply};
use crate::signal::request::Request;
use crate::signal::{broadcast, members};
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let change: StateIn = req.args()?.object()?;
        let name = change.name.as_deref().map(validate::name).transpose()?;
        let me = req.client.participant();
        let (room, _) = current_room(&req.hub, me)?;
        // A new name taken by someone else here gets a number (as on joining;
        // in a cluster, among this node's participants of the meeting).
        let name = name.map(|name| names::distinct(&name, &req.hub.meet.others(&room, me)));
        let change = Change {
            audio: change.audio,
            video: change.video,
            screen: change.screen,
            name,
        };
        Ok((room, change))
    })();
    let checked = match checked {
        Ok((room, change)) => {
            members::update(&req.hub, Ns::Meet, &room, req.client.participant(), &change)
                .await
                .inspect(|updated| {
                    // The SFU must not name a muted person the active speaker.
                    if let Some(media) = &req.hub.media {
                        media.set_muted(req.client.participant(), !updated.audio);
                    }
                })
                .map(|updated| (room, participant(&updated)))
                .ok_or(Refusal::NotInRoom)
        }
        Err(refusal) => Err(refusal),
    };
    match checked {
        Ok((room, participant)) => {
            let update = ParticipantUpdate {
                participant: participant.clone(),
            };
            broadcast::emit(
                || req.socket.to(room.to_string()),
                "participant-updated",
                &update,
            )
            .await;
            req.reply(&Reply::Ok(StateResult { participant }));
        }
        Err(refusal) => req.refuse("state", refusal),
    }
}
