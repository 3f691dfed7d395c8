//! `new_message(msg, roomName, done)`: the message is stored in the room's
//! history, the others in the room get `new_message("nickname: msg")`, then
//! the sender's `done()` is called (once stored: `done` means it is kept).
//! When the store fails the room still gets the message and `done` carries
//! `{error: {code: "not_stored"}}`, which the course's client ignores.

use moim_proto::Author;
use socketioxide::adapter::Adapter;

use crate::error::Refusal;
use crate::namespace::Namespace;
use crate::signal::request::Request;
use crate::signal::{broadcast, chat_store};
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    // As in `/moim`'s chat: held until the message is queued (see `chat_store`).
    let turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let args = req.args()?;
        let text = validate::message(args.str(0)?)?;
        let room = validate::room_key(args.str(1)?);
        if !req
            .hub
            .rooms(Namespace::Course)
            .is_member(&room, req.client.participant())
        {
            return Err(Refusal::NotInRoom);
        }
        Ok((room.into_owned(), text.to_owned()))
    })();
    let (room, text) = match checked {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("new_message", refusal),
    };
    let nickname = req.client.nickname();
    let author = Author {
        id: req.client.participant().to_string(),
        name: nickname.to_string(),
    };
    let ts = crate::clock::now_ms();
    let stored = chat_store::store(&req, turn, Namespace::Course, &room, &author, &text, ts).await;
    let line = format!("{nickname}: {text}");
    broadcast::emit(|| req.socket.to(room.clone()), "new_message", &line).await;
    req.hub
        .metrics
        .relayed(Namespace::Course.path(), "new_message");
    match stored.result {
        Ok(_) => req.done(),
        Err(_) => req.refuse("new_message", Refusal::NotStored),
    }
}
