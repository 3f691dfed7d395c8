//! Someone coming back on a new connection (`join`'s `replaces`): a phone
//! that changed networks, or everyone of a cluster node that died, reconnects
//! before anyone has noticed the old connection is gone. The old participant
//! is still listed, under the same name; without this the returner would be
//! `Mina (2)` beside a ghost `Mina` for as long as the old connection takes
//! to time out (the cluster's sweep: seconds; a silent socket: its ping
//! timeout), and a locked meeting would send them to its lobby.
//!
//! The participant id named is visible to everyone in the meeting, so it
//! grants nothing alone: the old participant must carry this join's browser
//! key (a secret only that browser has).

use socketioxide::adapter::Adapter;

use super::inbox::inbox;
use crate::meeting::credentials::KeyHash;
use crate::namespace::Namespace;
use crate::rooms::{Member, MemberId};
use crate::signal::departure::{self, Why};
use crate::signal::request::Request;
use crate::signal::sender::Sender;

/// The participant of `room` that `replaces` names, when it carries `key`
/// and is not this connection itself.
pub async fn replaced<A: Adapter>(
    req: &Request<A>,
    room: &str,
    key: &KeyHash,
    replaces: Option<&str>,
) -> Option<Member> {
    let id: MemberId = replaces?.parse().ok()?;
    if id == req.client.participant() {
        return None;
    }
    let old = req.hub.member(Namespace::Meet, room, id).await?;
    (!old.key.is_empty() && *old.key == *key.0).then_some(old)
}

/// Takes `old` out of `room` for the connection replacing it: the room is
/// told it left, its SFU session ends, and its old connection, on whichever
/// node it still is, is closed (that node's disconnect finds nothing left).
pub async fn retire<A: Adapter>(req: &Request<A>, room: &str, old: &Member) {
    let hub = &req.hub;
    let left = match hub.leave(Namespace::Meet, room, old.id).await {
        Some(left) => Some(left),
        None => hub.leave_elsewhere(Namespace::Meet, room, old.id).await,
    };
    let from = Sender::Socket(&req.socket);
    if let Some(left) = left {
        departure::announce(&from, hub, Namespace::Meet, &left, Why::Replaced).await;
    }
    if let Some(op) = from.within(&inbox(old.id)) {
        op.disconnect().await.ok();
    }
}
