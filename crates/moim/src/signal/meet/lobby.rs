//! The lobby: `knock` (someone asks to be let into a locked meeting),
//! `admit` and `deny` (a host or co-host answers). Hosts hear `lobby` with
//! everyone waiting; the knocker hears `admitted` or `denied`.

use moim_proto::{Empty, KnockIn, LobbyDecision, MeetingNotice};
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

use super::host::{moderator, send_lobby};
use super::inbox::inbox;
use crate::error::{Refusal, Reply};
use crate::hub::Hub;
use crate::meeting::credentials;
use crate::signal::request::Request;
use crate::signal::sender::Sender;
use crate::validate;

pub async fn knock<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let asked = (|| {
        req.client.admit()?;
        let asked: KnockIn = req.args()?.object()?;
        let name = validate::name(&asked.name)?;
        let room = validate::room(&asked.room)?;
        let key = match &asked.key {
            Some(key) => credentials::key_hash(key)?,
            None => req.client.own_key(),
        };
        Ok((room, name, key, asked.passcode))
    })();
    let done = match asked {
        Ok((room, name, key, passcode)) => {
            super::gate::knock(&req, &room, &key, &name, passcode.as_deref())
                .await
                .map(|()| room)
        }
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok(room) => {
            tracing::info!(%room, participant = %req.client.participant(), "knocking");
            send_lobby(&Sender::Socket(&req.socket), &req.hub, &room).await;
            req.reply(&Reply::Ok(Empty {}));
        }
        Err(refusal) => req.refuse("knock", refusal),
    }
}

pub async fn admit<A: Adapter>(req: Request<A>) {
    decide(req, true).await;
}

pub async fn deny<A: Adapter>(req: Request<A>) {
    decide(req, false).await;
}

async fn decide<A: Adapter>(mut req: Request<A>, admit: bool) {
    let _turn = req.turn().await;
    let event = if admit { "admit" } else { "deny" };
    let asked = req
        .client
        .admit()
        .and_then(|()| req.args()?.object::<LobbyDecision>());
    let done = match asked {
        Ok(asked) => answer(&req, &asked, admit).await,
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok(()) => req.reply(&Reply::Ok(Empty {})),
        Err(refusal) => req.refuse(event, refusal),
    }
}

async fn answer<A: Adapter>(
    req: &Request<A>,
    asked: &LobbyDecision,
    admit: bool,
) -> Result<(), Refusal> {
    let (room, me) = moderator(&req.hub, req.client.participant()).await?;
    let meetings = req.hub.gate()?;
    let who = match (asked.participant.as_deref(), asked.all) {
        (Some(id), _) => Some(id),
        (None, Some(true)) => None,
        (None, _) => return Err(Refusal::InvalidPayload),
    };
    let decided = if admit {
        meetings.admit(&room, who).await?
    } else {
        meetings.deny(&room, who).await?
    };
    let notice = MeetingNotice {
        room: room.to_string(),
        by: me.name.to_string(),
    };
    let from = Sender::Socket(&req.socket);
    let event = if admit { "admitted" } else { "denied" };
    for knocker in &decided {
        if let Ok(id) = knocker.participant.parse() {
            from.emit_within(&inbox(id), event, &notice).await;
        }
        tracing::info!(%room, by = %me.id, participant = %knocker.participant, action = event, "host action");
    }
    send_lobby(&from, &req.hub, &room).await;
    Ok(())
}

/// Withdraws the knocks of `socket`'s participant (it left or closed) and
/// tells those meetings' hosts.
pub async fn withdraw<A: Adapter>(socket: &SocketRef<A>, hub: &Hub) {
    let Some(meetings) = &hub.meetings else {
        return;
    };
    let me = crate::signal::client::participant_of(socket, hub);
    for room in meetings.withdraw(&me.to_string()).await {
        send_lobby(&Sender::Socket(socket), hub, &room).await;
    }
}
