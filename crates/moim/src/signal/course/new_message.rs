//! `new_message(msg, roomName, done)`: the message is stored in the room's
//! history, the others in the room get `new_message("nickname: msg")`, then
//! the sender's `done()` is called (once stored: `done` means it is kept).
//! When the store fails the room still gets the message and `done` carries
//! `{error: {code: "not_stored"}}`, which the course's client ignores.

use moim_proto::Author;
use socketioxide::adapter::Adapter;

use crate::error::Refusal;
use crate::history::Space;
use crate::signal::broadcast;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    // As in `/moim`'s chat: the turn ends once the message is queued for
    // storage; the delivery ticket keeps the sender's messages in order.
    let turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let args = req.args()?;
        let text = validate::message(args.str(0)?)?;
        let room = validate::room_key(args.str(1)?);
        if !req.hub.course.is_member(&room, req.socket.id) {
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
        id: req.socket.id.to_string(),
        name: nickname.to_string(),
    };
    let delivery = req.client.delivery().next_in_line();
    let queued = req
        .hub
        .history
        .enqueue(Space::Course, &room, &author, &text, crate::clock::now_ms())
        .await;
    drop(turn);
    let stored = match queued {
        Ok(queued) => queued.committed().await,
        Err(error) => Err(error),
    };
    let _delivery = delivery.turn().await;
    let line = format!("{nickname}: {text}");
    broadcast::emit(|| req.socket.to(room.clone()), "new_message", &line).await;
    req.hub.metrics.relayed("/", "new_message");
    match stored {
        Ok(_) => req.done(),
        Err(_) => req.refuse("new_message", Refusal::NotStored),
    }
}
