//! The course's video stage: `offer`, `answer` and `ice` relayed to the others in
//! the named room, unchanged. Only a member of the room may relay into it.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use crate::error::Refusal;
use crate::signal::Hub;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::reply::refuse;
use crate::validate;

/// The arguments every relay handler extracts.
type Parts<A> = (
    SocketRef<A>,
    State<Arc<Hub>>,
    TryData<Args>,
    AckWanted,
    AckSender<A>,
);

pub async fn offer<A: Adapter>(
    s: SocketRef<A>,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("offer", (s, h, a, w, ack)).await
}

pub async fn answer<A: Adapter>(
    s: SocketRef<A>,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("answer", (s, h, a, w, ack)).await
}

pub async fn ice<A: Adapter>(
    s: SocketRef<A>,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("ice", (s, h, a, w, ack)).await
}

async fn relay<A: Adapter>(event: &'static str, parts: Parts<A>) {
    let (socket, State(hub), TryData(args), AckWanted(wants_ack), ack) = parts;
    let client = Client::of(&socket, hub.rate);
    let checked = (|| {
        client.admit()?;
        let mut args = args.map_err(|_| Refusal::InvalidPayload)?;
        let room = args.str(1)?.to_owned();
        validate::relay_payload(args.value(0)?)?;
        if !hub.course.is_member(&room, socket.id) {
            return Err(Refusal::NotInRoom);
        }
        Ok((room, args.0.swap_remove(0)))
    })();
    match checked {
        Ok((room, payload)) => {
            socket.to(room).emit(event, &payload).await.ok();
            ack.send(&()).ok();
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, event, refusal),
    }
}
