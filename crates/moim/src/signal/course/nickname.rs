//! `nickname(name)`: sets the name shown in `welcome`, `bye` and messages.

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
        validate::name(args.str(0)?).map(str::to_owned)
    })();
    match checked {
        Ok(name) => {
            client.set_nickname(&name);
            hub.course.rename(socket.id, &name);
            done(ack);
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "nickname", refusal),
    }
}
