//! `chat {text}`: a message to the others in the current meeting.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use moim_proto::{ChatAck, ChatIn, ChatOut};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use super::{current_room, participant};
use crate::error::{Refusal, Reply};
use crate::signal::Hub;
use crate::signal::args::{AckWanted, Args};
use crate::signal::client::Client;
use crate::signal::order::InOrder;
use crate::signal::reply::refuse;
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
        let request: ChatIn = args.map_err(|_| Refusal::InvalidPayload)?.object()?;
        validate::message(&request.text)?;
        let (room, from) = current_room(&hub, socket.id)?;
        Ok((room, from, request.text))
    })();
    match checked {
        Ok((room, from, text)) => {
            let ts = now_ms();
            let message = ChatOut {
                from: participant(&from),
                text,
                ts,
            };
            socket
                .to(room.to_string())
                .emit("chat", &message)
                .await
                .ok();
            ack.send(&Reply::Ok(ChatAck { ts })).ok();
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "chat", refusal),
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}
