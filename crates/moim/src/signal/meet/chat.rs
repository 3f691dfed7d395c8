//! `chat {text}`: a message to the others in the current meeting, stored in
//! the room's history first.
//!
//! The message is committed before anyone sees it, so the live copy carries
//! the same id as the history pages (a client joining at that moment can tell
//! a duplicate), and the sender's ack means "stored": it survives a crash.
//! Group commit keeps that cheap (see `moim_store::Journal`). When the store
//! fails, the room keeps working live: the others still get the message
//! (without an id) and the sender is told `not_stored`.

use moim_proto::{Author, ChatAck, ChatIn, ChatOut};
use socketioxide::adapter::Adapter;

use super::wire::participant;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::request::Request;
use crate::signal::{broadcast, chat_store};
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    // Held until the message is queued for storage (see `chat_store`).
    let turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let request: ChatIn = req.args()?.object()?;
        validate::message(&request.text)?;
        let (room, from) = req.hub.current_meeting(req.client.participant())?;
        Ok((room, from, request.text))
    })();
    let (room, from, text) = match checked {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("chat", refusal),
    };
    let ts = crate::clock::now_ms();
    let author = Author {
        id: from.id.to_string(),
        name: from.name.to_string(),
    };
    let stored = chat_store::store(&req, turn, Namespace::Meet, &room, &author, &text, ts).await;
    let id = stored
        .result
        .as_ref()
        .ok()
        .and_then(|s| s.as_ref())
        .map(|s| s.id as u64);
    let message = ChatOut {
        from: participant(&from),
        text,
        ts,
        id,
    };
    broadcast::emit(|| req.socket.to(room.to_string()), "chat", &message).await;
    req.hub.metrics.relayed(Namespace::Meet.path(), "chat");
    match stored.result {
        Ok(_) => req.reply(&Reply::Ok(ChatAck { ts, id })),
        // The journal has logged why.
        Err(_) => req.refuse("chat", Refusal::NotStored),
    }
}
