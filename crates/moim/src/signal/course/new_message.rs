//! `new_message(msg, roomName, done)`: the others in the room get
//! `new_message("nickname: msg")`, then the sender's `done()` is called.

use socketioxide::adapter::Adapter;

use crate::error::Refusal;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let args = req.args()?;
        let text = validate::message(args.str(0)?)?;
        let room = args.str(1)?;
        if !req.hub.course.is_member(room, req.socket.id) {
            return Err(Refusal::NotInRoom);
        }
        Ok((
            room.to_owned(),
            format!("{}: {}", req.client.nickname(), text),
        ))
    })();
    match checked {
        Ok((room, line)) => {
            req.socket.to(room).emit("new_message", &line).await.ok();
            req.hub.metrics.relayed("/", "new_message");
            req.done();
        }
        Err(refusal) => req.refuse("new_message", refusal),
    }
}
