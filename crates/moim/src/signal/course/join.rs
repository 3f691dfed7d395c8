//! `enter_room(roomName, done)` and `join_room(roomName[, done])`.
//!
//! Both join the room, call `done()`, and send `welcome(nickname, count)` to the
//! others; the room-list broadcaster then sends `room_change` to everyone.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use crate::error::Refusal;
use crate::rooms::Member;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::{done, refuse};
use crate::signal::{EventParts, Hub};
use crate::validate;

pub async fn enter_room<A: Adapter>(
    s: SocketRef<A>,
    o: InOrder,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    handle("enter_room", (s, o, h, a, w, ack)).await
}

pub async fn join_room<A: Adapter>(
    s: SocketRef<A>,
    o: InOrder,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    handle("join_room", (s, o, h, a, w, ack)).await
}

async fn handle<A: Adapter>(event: &'static str, parts: EventParts<A>) {
    let (socket, order, State(hub), TryData(args), AckWanted(wants_ack), ack) = parts;
    let _turn = order.turn().await;
    let client = Client::of(&socket, hub.rate);
    match join(&socket, &hub, &client, args) {
        Ok((room, welcome)) => {
            done(ack);
            if let Some(welcome) = welcome {
                socket.to(room).emit("welcome", &welcome).await.ok();
            }
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, event, refusal),
    }
}

/// Joins and returns the room and, when the join is new, the `welcome` arguments.
#[allow(clippy::type_complexity)]
fn join<A: Adapter>(
    socket: &SocketRef<A>,
    hub: &Hub,
    client: &Client,
    args: Result<Args, socketioxide::ParserError>,
) -> Result<(String, Option<(Arc<str>, usize)>), Refusal> {
    client.admit()?;
    let args = args.map_err(|_| Refusal::InvalidPayload)?;
    let room = validate::room(args.str(0)?)?.to_owned();
    let nickname = client.nickname();
    // Into the adapter's room first, so no broadcast sent after the count is
    // taken can miss this socket.
    socket.join(room.clone());
    let joined = hub
        .course
        .join(&room, Member::named(socket.id, &nickname))
        .map_err(|_| {
            socket.leave(room.clone());
            Refusal::RoomFull
        })?;
    let welcome = joined.is_new.then_some((nickname, joined.count));
    Ok((room, welcome))
}
