//! `new_message(msg, roomName, done)`: the others in the room get
//! `new_message("nickname: msg")`, then the sender's `done()` is called.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use crate::error::Refusal;
use crate::signal::Hub;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::{done, refuse};
use crate::validate;

pub async fn handle<A: Adapter>(
    socket: SocketRef<A>,
    order: InOrder,
    State(hub): State<Arc<Hub>>,
    TryData(args): TryData<Args>,
    AckWanted(wants_ack): AckWanted,
    ack: AckSender<A>,
) {
    let _turn = order.turn().await;
    let client = Client::of(&socket, hub.rate);
    let checked = (|| {
        client.admit()?;
        let args = args.map_err(|_| Refusal::InvalidPayload)?;
        let text = validate::message(args.str(0)?)?;
        let room = args.str(1)?;
        if !hub.course.is_member(room, socket.id) {
            return Err(Refusal::NotInRoom);
        }
        Ok((room.to_owned(), format!("{}: {}", client.nickname(), text)))
    })();
    match checked {
        Ok((room, line)) => {
            socket.to(room).emit("new_message", &line).await.ok();
            done(ack);
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "new_message", refusal),
    }
}
