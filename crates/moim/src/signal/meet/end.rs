//! `end`: a host ends the meeting for everyone. Everyone hears `ended` and
//! leaves; whoever waits in the lobby is turned away.

use moim_proto::{Empty, MeetingNotice, Role};
use socketioxide::adapter::Adapter;

use super::host::{moderator, send_lobby};
use super::inbox::inbox;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::departure::{self, Why};
use crate::signal::request::Request;
use crate::signal::sender::Sender;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let done = match req.client.admit() {
        Ok(()) => end(&req).await,
        Err(refusal) => Err(refusal),
    };
    match done {
        Ok(()) => req.reply(&Reply::Ok(Empty {})),
        Err(refusal) => req.refuse("end", refusal),
    }
}

async fn end<A: Adapter>(req: &Request<A>) -> Result<(), Refusal> {
    let hub = &req.hub;
    let (room, me) = moderator(hub, req.client.participant()).await?;
    if me.role != Role::Host {
        return Err(Refusal::HostsOnly);
    }
    tracing::info!(%room, by = %me.id, action = "end", "host action");
    let notice = MeetingNotice {
        room: room.to_string(),
        by: me.name.to_string(),
    };
    let from = Sender::Socket(&req.socket);
    from.emit_within(&room, "ended", &notice).await;
    if let Some(meetings) = &hub.meetings
        && let Ok(turned) = meetings.deny(&room, None).await
    {
        for knocker in turned {
            if let Ok(id) = knocker.participant.parse() {
                from.emit_within(&inbox(id), "denied", &notice).await;
            }
        }
    }
    // This node's people leave here; those on other nodes are disconnected
    // and their nodes take them out.
    for member in hub.rooms(Namespace::Meet).members(&room) {
        if let Some(left) = hub.leave(Namespace::Meet, &room, member.id).await {
            departure::announce(
                &Sender::Acting(&req.socket),
                hub,
                Namespace::Meet,
                &left,
                Why::Ended,
            )
            .await;
        }
        if let Some(op) = from.within(&inbox(member.id)) {
            op.leave(vec![room.to_string(), super::host::hosts_room(&room)])
                .await
                .ok();
        }
    }
    if hub.cluster.is_some()
        && let Some(op) = from.within(&room)
    {
        op.disconnect().await.ok();
    }
    send_lobby(&from, hub, &room).await;
    Ok(())
}
