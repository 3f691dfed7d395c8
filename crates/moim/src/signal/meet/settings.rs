//! `settings {listed?, locked?, passcode?, allowUnmute?}`: a host or co-host
//! changes the meeting's settings; the room hears `meeting-updated`.

use moim_proto::{MeetingUpdate, SettingsIn};
use socketioxide::adapter::Adapter;

use super::host::moderator;
use crate::cluster::Change;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::request::Request;
use crate::signal::sender::Sender;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let change = req
        .client
        .admit()
        .and_then(|()| req.args()?.object::<SettingsIn>());
    let done = match change {
        Ok(change) => apply(&req, &change).await,
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok(update) => req.reply(&Reply::Ok(update)),
        Err(refusal) => req.refuse("settings", refusal),
    }
}

async fn apply<A: Adapter>(
    req: &Request<A>,
    change: &SettingsIn,
) -> Result<MeetingUpdate, Refusal> {
    let (room, me) = moderator(&req.hub, req.client.participant()).await?;
    let meetings = req.hub.gate()?;
    let meeting = meetings.change(&room, change).await?;
    tracing::info!(%room, by = %me.id, listed = ?change.listed, locked = ?change.locked, passcode = change.passcode.as_ref().map(|p| if p.is_empty() { "removed" } else { "set" }), allow_unmute = ?change.allow_unmute, "host changed the meeting's settings");
    // Letting people unmute again lifts every hold.
    if change.allow_unmute == Some(true) {
        let lift = Change {
            audio_locked: Some(false),
            ..Change::default()
        };
        for member in req.hub.members(Namespace::Meet, &room).await {
            if member.audio_locked
                && let Some(updated) = req
                    .hub
                    .update_any(Namespace::Meet, &room, member.id, &lift)
                    .await
            {
                super::moderate::tell_updated(
                    &Sender::Socket(&req.socket),
                    &req.hub,
                    &room,
                    &updated,
                )
                .await;
            }
        }
    }
    if change.listed.is_some() || change.locked.is_some() {
        req.hub.room_list_changed(Namespace::Meet);
    }
    let update = MeetingUpdate {
        meeting,
        by: me.name.to_string(),
    };
    Sender::Socket(&req.socket)
        .emit_within(&room, "meeting-updated", &update)
        .await;
    Ok(update)
}
