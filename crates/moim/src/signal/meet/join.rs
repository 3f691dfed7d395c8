//! `join {room, name, audio?, video?}`: enter a meeting (leaving the current
//! one only once the new one has accepted).

use moim_proto::{JoinIn, JoinResult, ParticipantEvent, Role};
use socketioxide::adapter::Adapter;

use super::wire::participant;
use super::{gate, host, names, returning};
use crate::cluster::Change;
use crate::error::{Refusal, Reply};
use crate::meeting::credentials;
use crate::namespace::Namespace;
use crate::rooms::Member;
use crate::signal::broadcast;
use crate::signal::departure::{self, Why};
use crate::signal::request::Request;
use crate::signal::sender::Sender;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let started = std::time::Instant::now();
    let _turn = req.turn().await;
    let request = (|| {
        req.client.admit()?;
        let request: JoinIn = req.args()?.object()?;
        let name = validate::name(&request.name)?;
        let room = validate::room(&request.room)?;
        let key = match &request.key {
            Some(key) => credentials::key_hash(key)?,
            None => req.client.own_key(),
        };
        let member = Member {
            id: req.client.participant(),
            name: name.into(),
            audio: request.audio.unwrap_or(true),
            video: request.video.unwrap_or(true),
            key: key.0.as_str().into(),
            ..Member::named(req.client.participant(), "")
        };
        Ok((room, member, key, request))
    })();
    let (room, mut member, key, request) = match request {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("join", refusal),
    };
    // Back on a new connection: in through the lock, and in its old place.
    let replaced = returning::replaced(&req, &room, &key, request.replaces.as_deref()).await;
    let entry = match gate::enter(&req, &room, &key, &request, replaced.is_some()).await {
        Ok(entry) => entry,
        Err(refusal) => return req.refuse("join", refusal),
    };
    if let Some(old) = &replaced {
        returning::retire(&req, &room, old).await;
    }
    member.role = entry.role;
    if entry.held {
        // Held muted by a host: a rejoin does not lift it, and the SFU
        // forwards none of their audio from their first packet on.
        member.audio = false;
        member.audio_locked = true;
        if let Some(media) = &req.hub.media {
            media.set_blocked(&room, member.id, true);
        }
    }
    // Into the adapter's room before the snapshot: every change after it reaches us.
    req.hub.sockets.join(&req.socket, &room);
    let me = member.id;
    let mut joined = match req.hub.join(Namespace::Meet, &room, member).await {
        Ok(joined) => joined,
        Err(_) => {
            // Refused: nothing changes, the current meeting included.
            req.hub.sockets.leave(&req.socket, &room);
            return req.refuse("join", Refusal::RoomFull);
        }
    };
    // Someone here already has this name: the joiner's gets a number.
    let name = names::distinct(&joined.you.name, &joined.others);
    if *name != *joined.you.name {
        let change = Change {
            name: Some(name),
            ..Change::default()
        };
        if let Some(renamed) = req.hub.update(Namespace::Meet, &room, me, &change).await {
            joined.you = renamed;
        }
    }
    // Only now leave the previous meeting: a refused switch keeps it.
    for current in req.hub.rooms(Namespace::Meet).rooms_of(me) {
        if *current != *room {
            departure::leave_room(&req.socket, &req.hub, Namespace::Meet, &current, Why::Left)
                .await;
        }
    }
    if joined.is_new {
        tracing::info!(ns = Namespace::Meet.path(), room = %room, participant = %joined.you.id, sid = %req.socket.id, count = joined.count, role = ?joined.you.role, started = entry.started, "participant joined");
    }
    // A meeting whose hosts are all away gets one: the longest-present person.
    if !joined.you.role.moderates() && !joined.others.iter().any(|m| m.role == Role::Host) {
        host::ensure_host(&Sender::Socket(&req.socket), &req.hub, &room).await;
        if let Some(me) = req.hub.rooms(Namespace::Meet).member(&room, me) {
            joined.you = me;
        }
    }
    if joined.you.role.moderates() {
        req.socket.join(host::hosts_room(&room));
    }
    let you = participant(&joined.you);
    let mode = req.hub.mode(joined.count);
    if joined.is_new {
        let event = ParticipantEvent {
            participant: you.clone(),
            count: joined.count as u32,
            seq: joined.seq,
            mode,
        };
        broadcast::emit(|| req.socket.to(room.clone()), "participant-joined", &event).await;
    }
    // Read after joining the adapter's room: a message stored after this
    // read is also sent live, so nothing falls between page and live (a
    // message in both is told apart by its id).
    let history = req.hub.history.recent(Namespace::Meet, &room).await;
    let lobby = match (&req.hub.meetings, joined.you.role.moderates()) {
        (Some(meetings), true) => meetings.lobby(&room).await,
        _ => Vec::new(),
    };
    let result = JoinResult {
        room,
        you,
        participants: joined.others.iter().map(participant).collect(),
        seq: joined.seq,
        ice_servers: super::ice_servers::for_participant(
            &req.socket,
            &req.hub,
            req.client.participant(),
        ),
        limits: req.hub.limits,
        history,
        mode,
        meeting: entry.settings,
        lobby,
    };
    let metrics = req.hub.metrics.clone();
    req.reply(&Reply::Ok(result));
    metrics.joined(Namespace::Meet.path(), started.elapsed());
}
