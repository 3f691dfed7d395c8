//! `hand {raised}` and `react {emoji}`: what everyone may do. A hand is the
//! server's time it went up (hosts answer the oldest first); a reaction is a
//! short animation on the sender's tile.

use moim_proto::{HandIn, ParticipantUpdate, REACTIONS, ReactIn, Reaction};
use socketioxide::adapter::Adapter;

use super::wire::participant;
use crate::clock::now_ms;
use crate::cluster::Change;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::departure::Sender;
use crate::signal::request::Request;

pub async fn hand<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let asked = (|| {
        req.client.admit()?;
        let asked: HandIn = req.args()?.object()?;
        let (room, _) = req.hub.current_meeting(req.client.participant())?;
        Ok((room, asked))
    })();
    let done = match asked {
        Ok((room, asked)) => {
            let change = Change {
                hand: Some(asked.raised.then(now_ms)),
                ..Change::default()
            };
            req.hub
                .update(Namespace::Meet, &room, req.client.participant(), &change)
                .await
                .map(|updated| (room, participant(&updated)))
                .ok_or(Refusal::NotInRoom)
        }
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok((room, participant)) => {
            let update = ParticipantUpdate { participant };
            Sender::Socket(&req.socket)
                .emit_within(&room, "participant-updated", &update)
                .await;
            req.reply(&Reply::Ok(update));
        }
        Err(refusal) => req.refuse("hand", refusal),
    }
}

pub async fn react<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let asked = (|| {
        req.client.admit()?;
        let asked: ReactIn = req.args()?.object()?;
        if !REACTIONS.contains(&asked.emoji.as_str()) {
            return Err(Refusal::InvalidReaction);
        }
        let (room, _) = req.hub.current_meeting(req.client.participant())?;
        Ok((room, asked.emoji))
    })();
    match asked {
        Ok((room, emoji)) => {
            let reaction = Reaction {
                participant: req.client.participant().to_string(),
                emoji,
            };
            Sender::Socket(&req.socket)
                .emit_within(&room, "reaction", &reaction)
                .await;
            req.reply(&Reply::Ok(moim_proto::Empty {}));
        }
        Err(refusal) => req.refuse("react", refusal),
    }
}
