//! `moderate {action, participant?}`: a host or co-host mutes, turns off a
//! camera, stops a share, lowers a hand, removes someone, or changes roles
//! (`docs/protocol.md`, "`moderate`"). Checked here, on the server; the
//! person acted on hears `moderated`, everyone sees the new state.

use moim_proto::{MeetingNotice, ModerateAction, ModerateIn, Moderated, ParticipantUpdate, Role};
use socketioxide::adapter::Adapter;

use super::host::{self, moderator};
use super::inbox::inbox;
use super::wire::participant;
use crate::cluster::Change;
use crate::error::{Refusal, Reply};
use crate::hub::Hub;
use crate::meeting::credentials::KeyHash;
use crate::namespace::Namespace;
use crate::rooms::Member;
use crate::signal::departure::{self, Why};
use crate::signal::request::Request;
use crate::signal::sender::Sender;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let asked = req
        .client
        .admit()
        .and_then(|()| req.args()?.object::<ModerateIn>());
    let done = match asked {
        Ok(asked) => act(&req, &asked).await,
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok(()) => req.reply(&Reply::Ok(moim_proto::Empty {})),
        Err(refusal) => req.refuse("moderate", refusal),
    }
}

async fn act<A: Adapter>(req: &Request<A>, asked: &ModerateIn) -> Result<(), Refusal> {
    let hub = &req.hub;
    let from = Sender::Socket(&req.socket);
    if asked.action == ModerateAction::StepDown {
        let (room, me) = moderator(hub, req.client.participant()).await?;
        host::set_role(&from, hub, &room, &me, Role::Guest, true).await?;
        tracing::info!(%room, by = %me.id, action = "step-down", "host action");
        host::ensure_host(&from, hub, &room).await;
        return Ok(());
    }
    let (room, me) = moderator(hub, req.client.participant()).await?;
    if asked.action == ModerateAction::MuteAll {
        for member in hub.members(Namespace::Meet, &room).await {
            if !member.role.moderates() {
                mute(&from, hub, &room, &member, &me).await;
            }
        }
        tracing::info!(%room, by = %me.id, action = "mute-all", "host action");
        return Ok(());
    }
    let target = asked
        .participant
        .as_deref()
        .and_then(|id| id.parse().ok())
        .ok_or(Refusal::NoSuchParticipant)?;
    let target = hub
        .member(Namespace::Meet, &room, target)
        .await
        .ok_or(Refusal::NoSuchParticipant)?;
    let host_only = matches!(
        asked.action,
        ModerateAction::MakeHost | ModerateAction::MakeCohost | ModerateAction::MakeGuest
    );
    // Roles are a host's to give (a co-host cannot make anyone host, not even
    // themselves), and only a host acts on another host.
    let on_a_host = target.role == Role::Host && target.id != me.id;
    if (host_only || on_a_host) && me.role != Role::Host {
        return Err(Refusal::HostsOnly);
    }
    match asked.action {
        ModerateAction::Mute => mute(&from, hub, &room, &target, &me).await,
        ModerateAction::AllowSpeak => {
            if let Some(meetings) = &hub.meetings {
                meetings
                    .hold(&room, &KeyHash(target.key.to_string()), false)
                    .await?;
            }
            let change = Change {
                audio_locked: Some(false),
                ..Change::default()
            };
            change_and_tell(&from, hub, &room, &target, &change).await?;
        }
        ModerateAction::CameraOff => {
            let change = Change {
                video: Some(false),
                ..Change::default()
            };
            change_and_tell(&from, hub, &room, &target, &change).await?;
            tell_target(&from, &target, asked.action, &me).await;
        }
        ModerateAction::StopScreen => {
            let change = Change {
                screen: Some(false),
                ..Change::default()
            };
            change_and_tell(&from, hub, &room, &target, &change).await?;
            tell_target(&from, &target, asked.action, &me).await;
        }
        ModerateAction::LowerHand => {
            let change = Change {
                hand: Some(None),
                ..Change::default()
            };
            change_and_tell(&from, hub, &room, &target, &change).await?;
        }
        ModerateAction::Remove => remove(req, &room, &target, &me).await?,
        ModerateAction::MakeHost => {
            host::set_role(&from, hub, &room, &target, Role::Host, true).await?;
        }
        ModerateAction::MakeCohost => {
            host::set_role(&from, hub, &room, &target, Role::Cohost, true).await?;
        }
        ModerateAction::MakeGuest => {
            host::set_role(&from, hub, &room, &target, Role::Guest, true).await?;
            host::ensure_host(&from, hub, &room).await;
        }
        ModerateAction::MuteAll | ModerateAction::StepDown => {}
    }
    tracing::info!(%room, by = %me.id, action = ?asked.action, participant = %target.id, "host action");
    Ok(())
}

/// Mutes `target`: shown muted to everyone at once, held muted when the
/// meeting does not let people unmute themselves (and then the SFU forwards
/// none of their audio).
async fn mute<A: Adapter>(
    from: &Sender<'_, A>,
    hub: &Hub,
    room: &str,
    target: &Member,
    me: &Member,
) {
    let hold = match &hub.meetings {
        Some(meetings) => {
            let hold = !meetings.settings(room).await.allow_unmute;
            if hold
                && meetings
                    .hold(room, &KeyHash(target.key.to_string()), true)
                    .await
                    .is_err()
            {
                return;
            }
            hold
        }
        None => false,
    };
    let change = Change {
        audio: Some(false),
        audio_locked: hold.then_some(true),
        ..Change::default()
    };
    if change_and_tell(from, hub, room, target, &change)
        .await
        .is_ok()
    {
        tell_target(from, target, ModerateAction::Mute, me).await;
    }
}

async fn change_and_tell<A: Adapter>(
    from: &Sender<'_, A>,
    hub: &Hub,
    room: &str,
    target: &Member,
    change: &Change,
) -> Result<(), Refusal> {
    let updated = hub
        .update_any(Namespace::Meet, room, target.id, change)
        .await
        .ok_or(Refusal::NoSuchParticipant)?;
    tell_updated(from, hub, room, &updated).await;
    Ok(())
}

/// Tells the room someone's entry changed, and the SFU whether to forward
/// their audio.
pub async fn tell_updated<A: Adapter>(
    from: &Sender<'_, A>,
    hub: &Hub,
    room: &str,
    updated: &Member,
) {
    if let Some(media) = &hub.media {
        media.set_muted(room, updated.id, !updated.audio);
        media.set_blocked(room, updated.id, updated.audio_locked);
    }
    let update = ParticipantUpdate {
        participant: participant(updated),
    };
    from.emit_within(room, "participant-updated", &update).await;
}

async fn tell_target<A: Adapter>(
    from: &Sender<'_, A>,
    target: &Member,
    action: ModerateAction,
    me: &Member,
) {
    let told = Moderated {
        action,
        by: me.name.to_string(),
    };
    from.emit_within(&inbox(target.id), "moderated", &told)
        .await;
}

/// Takes `target` out of the meeting and refuses their key from now on.
async fn remove<A: Adapter>(
    req: &Request<A>,
    room: &str,
    target: &Member,
    me: &Member,
) -> Result<(), Refusal> {
    let hub = &req.hub;
    if target.id == me.id {
        return Err(Refusal::NoSuchParticipant);
    }
    if let Some(meetings) = &hub.meetings
        && !target.key.is_empty()
    {
        meetings
            .remove(room, &KeyHash(target.key.to_string()))
            .await?;
    }
    let notice = MeetingNotice {
        room: room.to_owned(),
        by: me.name.to_string(),
    };
    let from = Sender::Socket(&req.socket);
    from.emit_within(&inbox(target.id), "removed", &notice)
        .await;
    // Out of the room model and every room of the meeting, wherever they are:
    // on this node directly; on another, their connection is closed and
    // their node's disconnect handles the rest.
    if let Some(left) = hub.leave(Namespace::Meet, room, target.id).await {
        departure::announce(
            &Sender::Acting(&req.socket),
            hub,
            Namespace::Meet,
            &left,
            Why::Removed,
        )
        .await;
        if let Some(op) = from.within(&inbox(target.id)) {
            op.leave(vec![room.to_owned(), host::hosts_room(room)])
                .await
                .ok();
        }
    } else if let Some(op) = from.within(&inbox(target.id)) {
        op.disconnect().await.ok();
    }
    Ok(())
}
