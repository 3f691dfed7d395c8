//! `signal {to, description | candidate}`: WebRTC signaling to one participant
//! of the sender's meeting, delivered through the receiver's own room (its id).

use std::sync::Arc;

use moim_proto::{Empty, SignalOut};
use serde_json::Value;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use socketioxide::socket::Sid;

use super::current_room;
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
        client.admit_signal()?;
        let mut args = args.map_err(|_| Refusal::InvalidPayload)?;
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
                    from: socket.id.to_string(),
                    description: Some(description.clone()),
                    candidate: None,
                }
            }
            // `null` is the end-of-candidates marker.
            (None, Some(candidate @ (Value::Object(_) | Value::Null))) => {
                validate::relay_payload(candidate)?;
                SignalOut {
                    from: socket.id.to_string(),
                    description: None,
                    candidate: Some(candidate.clone()),
                }
            }
            _ => return Err(Refusal::InvalidPayload),
        };
        let (room, _) = current_room(&hub, socket.id)?;
        if to == socket.id || !hub.meet.is_member(&room, to) {
            return Err(Refusal::NotInRoom);
        }
        Ok((to, out))
    })();
    match checked {
        Ok((to, out)) => {
            socket.to(to.to_string()).emit("signal", &out).await.ok();
            ack.send(&Reply::Ok(Empty {})).ok();
        }
        Err(refusal) => refuse(&socket, &client, ack, wants_ack, "signal", refusal),
    }
}
