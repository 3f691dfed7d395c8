//! `chat {text}`: a message to the others in the current meeting.

use std::time::{SystemTime, UNIX_EPOCH};

use moim_proto::{ChatAck, ChatIn, ChatOut};
use socketioxide::adapter::Adapter;

use super::{current_room, participant};
use crate::error::Reply;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let request: ChatIn = req.args()?.object()?;
        validate::message(&request.text)?;
        let (room, from) = current_room(&req.hub, req.socket.id)?;
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
            req.socket
                .to(room.to_string())
                .emit("chat", &message)
                .await
                .ok();
            req.hub.metrics.relayed(super::NAMESPACE, "chat");
            req.reply(&Reply::Ok(ChatAck { ts }));
        }
        Err(refusal) => req.refuse("chat", refusal),
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}
