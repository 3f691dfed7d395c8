//! The course's video stage: `offer`, `answer` and `ice` relayed to the others in
//! the named room, unchanged. Only a member of the room may relay into it.

use socketioxide::adapter::Adapter;

use crate::error::Refusal;
use crate::namespace::Namespace;
use crate::signal::broadcast;
use crate::signal::request::Request;
use crate::validate;

/// Relays `event(payload, roomName)` as `event(payload)`.
pub async fn handle<A: Adapter>(event: &'static str, mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let mut args = req.take_args()?;
        let room = validate::room_key(args.str(1)?).into_owned();
        validate::relay_payload(args.value(0)?)?;
        if !req
            .hub
            .rooms(Namespace::Course)
            .is_member(&room, req.client.participant())
        {
            return Err(Refusal::NotInRoom);
        }
        Ok((room, args.0.swap_remove(0)))
    })();
    match checked {
        Ok((room, payload)) => {
            broadcast::emit(|| req.socket.to(room.clone()), event, &payload).await;
            req.hub.metrics.relayed(Namespace::Course.path(), event);
            req.done();
        }
        Err(refusal) => req.refuse(event, refusal),
    }
}
