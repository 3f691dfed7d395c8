//! `state {audio?, video?, screen?, name?}`: what a participant shows the
//! others (muted, camera off, sharing, renamed), told as `participant-updated`.

use moim_proto::{ParticipantUpdate, StateIn, StateResult};
use socketioxide::adapter::Adapter;

use super::names;
use super::wire::participant;
use crate::cluster::Change;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::broadcast;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let change: StateIn = req.args()?.object()?;
        let name = change.name.as_deref().map(validate::name).transpose()?;
        let me = req.client.participant();
        let (room, _) = req.hub.current_meeting(me)?;
        // A new name taken by someone else here gets a number (as on joining;
        // in a cluster, among this node's participants of the meeting).
        let name = name
            .map(|name| names::distinct(&name, &req.hub.rooms(Namespace::Meet).others(&room, me)));
        let change = Change {
            audio: change.audio,
            video: change.video,
            screen: change.screen,
            name,
            ..Change::default()
        };
        Ok((room, change))
    })();
    // A person a host muted may not unmute while the meeting forbids it.
    let checked = match checked {
        Ok((room, change)) if change.audio == Some(true) => {
            let me = req.client.participant();
            match req.hub.member(Namespace::Meet, &room, me).await {
                Some(member) if member.audio_locked => Err(Refusal::MutedByHost),
                _ => Ok((room, change)),
            }
        }
        other => other,
    };
    let checked = match checked {
        Ok((room, change)) => {
            req.hub
                .update(Namespace::Meet, &room, req.client.participant(), &change)
                .await
                .inspect(|updated| {
                    // The SFU must not name a muted person the active speaker.
                    if let Some(media) = &req.hub.media {
                        media.set_muted(&room, req.client.participant(), !updated.audio);
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
