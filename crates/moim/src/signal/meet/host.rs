//! What the host controls share: who may act, roles and their succession,
//! and the hosts' own adapter room, which the lobby is sent to.

use std::sync::Arc;

use moim_proto::{Lobby, ParticipantUpdate, Role};
use socketioxide::adapter::Adapter;

use super::inbox::inbox;
use super::wire::participant;
use crate::cluster::Change;
use crate::error::Refusal;
use crate::hub::Hub;
use crate::meeting::credentials::KeyHash;
use crate::namespace::Namespace;
use crate::rooms::{Member, MemberId};
use crate::signal::sender::Sender;

/// The adapter room of `room`'s hosts and co-hosts (the lobby goes there).
/// Like an inbox, its name starts with a control character no meeting's
/// name may hold.
pub fn hosts_room(room: &str) -> String {
    format!("\u{1}hosts:{room}")
}

/// `me` in its meeting, if it is a host or co-host there.
pub async fn moderator(hub: &Hub, me: MemberId) -> Result<(Arc<str>, Member), Refusal> {
    let (room, _) = hub.current_meeting(me)?;
    let member = hub
        .member(Namespace::Meet, &room, me)
        .await
        .ok_or(Refusal::NotInRoom)?;
    if !member.role.moderates() {
        return Err(Refusal::NotHost);
    }
    Ok((room, member))
}

/// Gives `target` of `room` the role `role`: for the meeting's record too
/// when `keep` (a host's choice; a succession lasts only while they stay).
/// Everyone is told; a new host or co-host is sent the lobby.
pub async fn set_role<A: Adapter>(
    from: &Sender<'_, A>,
    hub: &Hub,
    room: &str,
    target: &Member,
    role: Role,
    keep: bool,
) -> Result<Member, Refusal> {
    if keep
        && !target.key.is_empty()
        && let Some(meetings) = &hub.meetings
    {
        meetings
            .set_role(room, &KeyHash(target.key.to_string()), role)
            .await?;
    }
    let change = Change {
        role: Some(role),
        ..Change::default()
    };
    let updated = hub
        .update_any(Namespace::Meet, room, target.id, &change)
        .await
        .ok_or(Refusal::NoSuchParticipant)?;
    let update = ParticipantUpdate {
        participant: participant(&updated),
    };
    from.emit_within(room, "participant-updated", &update).await;
    // The target's sockets, on whichever node, join or leave the hosts' room.
    if let Some(op) = from.within(&inbox(target.id)) {
        let joined = if role.moderates() {
            op.join(hosts_room(room)).await
        } else {
            op.leave(hosts_room(room)).await
        };
        if let Err(e) = joined {
            tracing::warn!(error = %e, "could not move a participant's sockets between rooms");
        }
    }
    if role.moderates() {
        send_lobby_to(from, hub, room, &inbox(target.id)).await;
    }
    Ok(updated)
}

/// Makes sure `room` has a host: when none is left, the longest-present
/// co-host, or else the longest-present person, becomes one (for as long as
/// they stay).
pub async fn ensure_host<A: Adapter>(from: &Sender<'_, A>, hub: &Hub, room: &str) {
    let members = hub.members(Namespace::Meet, room).await;
    if members.is_empty() || members.iter().any(|m| m.role == Role::Host) {
        return;
    }
    let heir = members
        .iter()
        .find(|m| m.role == Role::Cohost)
        .or_else(|| members.first());
    if let Some(heir) = heir
        && set_role(from, hub, room, heir, Role::Host, false)
            .await
            .is_ok()
    {
        tracing::info!(%room, participant = %heir.id, "no host left: the longest-present person is host now");
    }
}

/// Sends `room`'s hosts and co-hosts who waits in its lobby.
pub async fn send_lobby<A: Adapter>(from: &Sender<'_, A>, hub: &Hub, room: &str) {
    send_lobby_to(from, hub, room, &hosts_room(room)).await;
}

async fn send_lobby_to<A: Adapter>(from: &Sender<'_, A>, hub: &Hub, room: &str, to: &str) {
    let Some(meetings) = &hub.meetings else {
        return;
    };
    let lobby = Lobby {
        waiting: meetings.lobby(room).await,
    };
    from.emit_within(to, "lobby", &lobby).await;
}
