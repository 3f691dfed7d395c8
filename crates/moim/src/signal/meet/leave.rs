//! `leave`: leave the current meeting (see [`crate::signal::departure`]).

use socketioxide::adapter::Adapter;

use moim_proto::Empty;

use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::departure::{self, Why};
use crate::signal::request::Request;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let rooms = req.client.admit().map(|()| {
        req.hub
            .rooms(Namespace::Meet)
            .rooms_of(req.client.participant())
    });
    match rooms {
        Ok(rooms) if !rooms.is_empty() => {
            for room in rooms {
                departure::leave_room(&req.socket, &req.hub, Namespace::Meet, &room, Why::Left)
                    .await;
            }
            super::lobby::withdraw(&req.socket, &req.hub).await;
            req.reply(&Reply::Ok(Empty {}));
        }
        // Leaving the lobby is leaving too.
        Ok(_) if waiting(&req).await => req.reply(&Reply::Ok(Empty {})),
        Ok(_) => req.refuse("leave", Refusal::NotInRoom),
        Err(refusal) => req.refuse("leave", refusal),
    }
}

/// Withdraws the client's knocks; whether there were any.
async fn waiting<A: Adapter>(req: &Request<A>) -> bool {
    let Some(meetings) = &req.hub.meetings else {
        return false;
    };
    let rooms = meetings
        .withdraw(&req.client.participant().to_string())
        .await;
    for room in &rooms {
        super::host::send_lobby(
            &crate::signal::departure::Sender::Socket(&req.socket),
            &req.hub,
            room,
        )
        .await;
    }
    !rooms.is_empty()
}
