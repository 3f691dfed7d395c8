//! The course's video stage: `offer`, `answer` and `ice` relayed to the others in
//! the named room, unchanged. Only a member of the room may relay into it.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use crate::error::Refusal;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::{done, refuse};
use crate::signal::{EventParts, Hub};
use crate::validate;

pub async fn offer<A: Adapter>(
    s: SocketRef<A>,
    o: InOrder,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("offer", (s, o, h, a, w, ack)).await
}

pub async fn answer<A: Adapter>(
    s: SocketRef<A>,
    o: InOrder,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("answer", (s, o, h, a, w, ack)).await
}

pub async fn ice<A: Adapter>(
    s: SocketRef<A>,
    o: InOrder,
    h: State<Arc<Hub>>,
    a: TryData<Args>,
    w: AckWanted,
    ack: AckSender<A>,
) {
    relay("ice", (s, o, h, a, w, ack)).await
}

async fn relay<A: Adapter>(event: &'static str, parts: EventParts<A>) {
    let (socket, order, State(hub), TryData(args), AckWanted(wants_ack), ack) = parts;
    let _turn = order.turn().await;
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
            done(ack);
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, event, refusal),
    }
}
