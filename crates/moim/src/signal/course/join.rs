//! `enter_room(roomName, done)` and `join_room(roomName[, done])`.
//!
//! Both join the room, call `done()`, and send `welcome(nickname, count)` to the
//! others; the room-list broadcaster then sends `room_change` to everyone.
//! A socket is in at most [`limits::ROOMS_PER_SOCKET`] rooms; a join past it
//! is refused with `too_many_rooms`.
//!
//! `enter_room` (the chat stage) also sends the joiner the room's recent
//! history as ordinary `new_message("nickname: msg")` events, oldest first and
//! before `done()`, so the course's client shows it without a change.

use socketioxide::adapter::Adapter;

use crate::error::Refusal;
use crate::namespace::Namespace;
use crate::rooms::Member;
use crate::signal::broadcast;
use crate::signal::request::Request;
use crate::validate::{self, limits};

pub async fn handle<A: Adapter>(event: &'static str, mut req: Request<A>) {
    let started = std::time::Instant::now();
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let room = validate::room(req.args()?.str(0)?)?;
        // Joining a room again is a no-op the course's client relies on; only a
        // new room counts against the bound.
        let rooms = req
            .hub
            .rooms(Namespace::Course)
            .rooms_of(req.client.participant());
        if rooms.len() >= limits::ROOMS_PER_SOCKET && !rooms.iter().any(|r| **r == *room) {
            return Err(Refusal::TooManyRooms);
        }
        Ok(room)
    })();
    let joined = match checked {
        Ok(room) => {
            let nickname = req.client.nickname();
            // Into the adapter's room first, so no broadcast sent after the count is
            // taken can miss this socket.
            req.hub.sockets.join(&req.socket, &room);
            let member = Member::named(req.client.participant(), &nickname);
            match req.hub.join(Namespace::Course, &room, member).await {
                Ok(joined) => Ok((room, joined.is_new.then_some((nickname, joined.count)))),
                Err(_) => {
                    req.hub.sockets.leave(&req.socket, &room);
                    Err(Refusal::RoomFull)
                }
            }
        }
        Err(refusal) => Err(refusal),
    };
    match joined {
        Ok((room, welcome)) => {
            let (socket, hub) = (req.socket.clone(), req.hub.clone());
            if let Some((_, count)) = &welcome {
                tracing::info!(ns = Namespace::Course.path(), room = %room, participant = %req.client.participant(), sid = %socket.id, count, "participant joined");
            }
            // The welcome and the history go out before the ack: a socket that
            // joins after this one's ack must not receive this welcome with its
            // stale count, and messages sent after the ack must not come back
            // in this joiner's replay as well (a history read that finished
            // late once replayed them after they had been delivered live).
            let is_new = welcome.is_some();
            if let Some(welcome) = welcome {
                broadcast::emit(|| socket.to(room.clone()), "welcome", &welcome).await;
            }
            if is_new && event == "enter_room" {
                let recent = hub.history.recent(Namespace::Course, &room).await;
                for message in recent.messages {
                    let line = format!("{}: {}", message.from.name, message.text);
                    socket.emit("new_message", &line).ok();
                }
            }
            req.done();
            hub.metrics
                .joined(Namespace::Course.path(), started.elapsed());
        }
        Err(refusal) => req.refuse(event, refusal),
    }
}
