//! `signal {to, description | candidate}`: WebRTC signaling to one participant
//! of the sender's meeting, delivered through the receiver's inbox room
//! (`super::inbox::inbox`), which no meeting can share a name with.

use moim_proto::{Empty, SignalOut};
use serde_json::Value;
use socketioxide::adapter::Adapter;
use socketioxide::socket::Sid;

use super::inbox::inbox;
use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::broadcast;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit_signal()?;
        let mut args = req.take_args()?;
        let request = match args.0.first_mut() {
            Some(Value::Object(request)) => std::mem::take(request),
            _ => return Err(Refusal::InvalidPayload),
        };
        let to = request
            .get("to")
            .and_then(Value::as_str)
            .ok_or(Refusal::InvalidPayload)?;
        let to: Sid = to.parse().map_err(|_| Refusal::NotInRoom)?;
        let (description, candidate) = (request.get("description"), request.get("candidate"));
        let out = match (description, candidate) {
            (Some(description @ Value::Object(d)), None)
                if d.get("type").is_some_and(Value::is_string) =>
            {
                validate::relay_payload(description)?;
                SignalOut {
                    from: req.client.participant().to_string(),
                    description: Some(description.clone()),
                    candidate: None,
                }
            }
            // `null` is the end-of-candidates marker.
            (None, Some(candidate @ (Value::Object(_) | Value::Null))) => {
                validate::relay_payload(candidate)?;
                SignalOut {
                    from: req.client.participant().to_string(),
                    description: None,
                    candidate: Some(candidate.clone()),
                }
            }
            _ => return Err(Refusal::InvalidPayload),
        };
        let (room, _) = req.hub.current_meeting(req.client.participant())?;
        if to == req.client.participant() {
            return Err(Refusal::NotInRoom);
        }
        Ok((room, to, out))
    })();
    // The receiver may be on another node: its membership is the cluster's.
    let checked = match checked {
        Ok((room, to, out)) if req.hub.is_member(Namespace::Meet, &room, to).await => Ok((to, out)),
        Ok(_) => Err(Refusal::NotInRoom),
        Err(refusal) => Err(refusal),
    };
    match checked {
        Ok((to, out)) => {
            broadcast::emit(|| req.socket.to(inbox(to)), "signal", &out).await;
            req.hub.metrics.relayed(Namespace::Meet.path(), "signal");
            req.reply(&Reply::Ok(Empty {}));
        }
        Err(refusal) => req.refuse("signal", refusal),
    }
}
