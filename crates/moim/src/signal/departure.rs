//! The one way someone leaves a room, whatever made them go.
//!
//! A participant leaves by asking (`leave`), by switching meetings, by
//! closing the tab or losing the network (disconnect), because the Admin UI
//! took them out, because their node is stopping, because they came back on
//! a new connection, or because the node they were on died (the cluster's
//! sweeper). Each of those only decides *who* left *which* room; what follows
//! is the same and lives here: the room model lets them go, the SFU ends their
//! session (everyone's, when the meeting falls back to the mesh), the room is
//! told — `participant-left {participant, count, seq, mode}` on `/moim`,
//! `bye(nickname, count)` on `/` — and the log says why.

use std::sync::Arc;

use moim_proto::{ParticipantEvent, RoomMode};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

use super::client::participant_of;
use super::meet::wire::participant;
use super::sender::Sender;
use crate::cluster::heartbeat::{Departed, Swept};
use crate::hub::Hub;
use crate::namespace::Namespace;
use crate::rooms::Left;

/// Why someone left, as the log says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// They asked to (`leave`, or joining another meeting).
    Left,
    /// Their connection closed.
    Disconnected,
    /// The Admin UI took them out of the room.
    Admin,
    /// The node they were connected to stopped beating.
    NodeDown,
    /// A host removed them.
    Removed,
    /// A host ended the meeting for everyone.
    Ended,
    /// They came back on a new connection, which takes their place
    /// (`join`'s `replaces`).
    Replaced,
    /// Their node is stopping (SIGTERM): they reconnect to another.
    Stopping,
}

impl Why {
    fn as_str(self) -> &'static str {
        match self {
            Why::Left => "left",
            Why::Disconnected => "disconnected",
            Why::Admin => "admin",
            Why::NodeDown => "node down",
            Why::Removed => "removed by a host",
            Why::Ended => "meeting ended",
            Why::Replaced => "back on a new connection",
            Why::Stopping => "node stopping",
        }
    }
}

/// Takes `socket`'s participant out of `room` of `ns` and tells the room,
/// then takes the socket out of the room's broadcasts.
pub async fn leave_room<A: Adapter>(
    socket: &SocketRef<A>,
    hub: &Hub,
    ns: Namespace,
    room: &str,
    why: Why,
) {
    let me = participant_of(socket, hub);
    if let Some(left) = hub.leave(ns, room, me).await {
        announce(&Sender::Socket(socket), hub, ns, &left, why).await;
    }
    hub.sockets.leave(socket, room);
    if ns == Namespace::Meet {
        socket.leave(super::meet::host::hosts_room(room));
    }
}

/// Takes `socket`'s participant out of every room of `ns` it is in and
/// tells each room (a socket that disconnected).
pub async fn leave_all<A: Adapter>(socket: &SocketRef<A>, hub: &Hub, ns: Namespace, why: Why) {
    let me = participant_of(socket, hub);
    for left in hub.leave_all(ns, me).await {
        announce(&Sender::Socket(socket), hub, ns, &left, why).await;
    }
}

/// Tells `left.room` that `left.member` has gone, and ends what the SFU
/// held for them. The room model has already let them go.
pub async fn announce<A: Adapter>(
    from: &Sender<'_, A>,
    hub: &Hub,
    ns: Namespace,
    left: &Left,
    why: Why,
) {
    // A host coming back is host again at once: nobody else is made one.
    let hands_over = left.member.role == moim_proto::Role::Host && why != Why::Replaced;
    let (room, participant, count, why) = (&left.room, left.member.id, left.count, why.as_str());
    match from {
        Sender::Socket(socket) | Sender::Acting(socket) => {
            tracing::info!(ns = ns.path(), %room, %participant, sid = %socket.id, count, why, "participant left")
        }
        Sender::Server(_) => {
            tracing::info!(ns = ns.path(), %room, %participant, count, why, "participant left")
        }
    }
    match ns {
        Namespace::Meet => {
            let event = participant_left(hub, left);
            from.emit(ns, &left.room, "participant-left", &event).await;
            if hands_over && left.count > 0 {
                super::meet::host::ensure_host(from, hub, &left.room).await;
            }
        }
        Namespace::Course => {
            let bye = (&*left.member.name, left.count);
            from.emit(ns, &left.room, "bye", &bye).await;
        }
    }
}

/// `participant-left` for `left`, with the meeting's mode after it; the
/// leaver's SFU session ends, and everyone's when the meeting falls back to
/// the mesh.
pub fn participant_left(hub: &Hub, left: &Left) -> ParticipantEvent {
    let mode = hub.mode(left.count);
    if let Some(media) = &hub.media {
        media.leave(&left.room, left.member.id);
        if mode == RoomMode::Mesh {
            media.leave_room(&left.room);
        }
    }
    ParticipantEvent {
        participant: participant(&left.member),
        count: left.count as u32,
        seq: left.seq,
        mode,
    }
}

/// Tells the rooms of the participants the cluster's sweeper took out (see
/// [`crate::cluster::heartbeat`]), on every node, and the hosts of the
/// meetings whose lobby held a knock of the dead node's connections (gone
/// now: nobody is there to let in), until signaling stops.
pub fn spawn_swept<A: Adapter>(
    io: SocketIo<A>,
    hub: Arc<Hub>,
    mut swept: UnboundedReceiver<Swept>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(next) = swept.recv().await {
            let from = Sender::Server(&io);
            match next {
                Swept::Departed(Departed { ns, left }) => {
                    announce(&from, &hub, ns, &left, Why::NodeDown).await;
                }
                Swept::Node(node) => {
                    let Some(meetings) = &hub.meetings else {
                        continue;
                    };
                    for room in meetings.withdraw_node(&node).await {
                        super::meet::host::send_lobby(&from, &hub, &room).await;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::config::Config;
    use crate::hub::Parts;
    use crate::rooms::{Member, MemberId};

    /// What a meeting is told when someone goes, whatever made them go: who,
    /// the count and sequence number after it, and the mode (the mesh, with
    /// no SFU running).
    #[tokio::test]
    async fn a_meeting_is_told_who_left_with_the_count_after_it() {
        let hub = Hub::new(&Config::parse_from(["moim"]), Parts::default());
        let (mina, joon) = (
            Member::named(MemberId::new(), "Mina"),
            Member::named(MemberId::new(), "Joon"),
        );
        for member in [&mina, &joon] {
            hub.join(Namespace::Meet, "standup", member.clone())
                .await
                .map_err(|e| e.to_string())
                .expect("an empty meeting accepts");
        }
        let left = hub
            .leave(Namespace::Meet, "standup", mina.id)
            .await
            .expect("Mina was in the meeting");
        let event = participant_left(&hub, &left);
        assert_eq!(event.participant.id, mina.id.to_string());
        assert_eq!(event.participant.name, "Mina");
        assert_eq!((event.count, event.seq), (1, left.seq));
        assert_eq!(event.mode, RoomMode::Mesh);
    }
}
