//! [`Request`]: everything a handler needs from one incoming event, extracted
//! in one step, and the two ways to answer it.
//!
//! Every handler has the same shape: wait for the socket's turn (events are
//! handled in arrival order, see [`super::order`]), check and decide, then
//! [`Request::reply`] or [`Request::refuse`]. A refusal goes into the ack when
//! the client asked for one, and into an `error` event when it did not (the
//! course's `offer`, `ice`, `nickname`, …).

use std::sync::Arc;

use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use socketioxide::handler::{FromMessageParts, Value};
use socketioxide::socket::Socket;

use super::args::{AckWanted, Args};
use super::client::Client;
use super::order::{InOrder, Turn};
use crate::error::Refusal;
use crate::hub::Hub;

/// One incoming event.
pub struct Request<A: Adapter> {
    /// The sender.
    pub socket: SocketRef<A>,
    /// What every handler shares.
    pub hub: Arc<Hub>,
    /// The sender's local state (nickname, rate limits).
    pub client: Arc<Client>,
    args: Option<Args>,
    wants_ack: bool,
    ack: AckSender<A>,
    order: Option<InOrder>,
}

/// Why a [`Request`] could not be extracted: the server's state is missing,
/// which only a wiring mistake can cause.
#[derive(Debug, thiserror::Error)]
#[error("the signaling state is not installed")]
pub struct MissingState;

impl<A: Adapter> FromMessageParts<A> for Request<A> {
    type Error = MissingState;
    fn from_message_parts(
        s: &Arc<Socket<A>>,
        v: &mut Value,
        ack_id: &Option<i64>,
    ) -> Result<Self, MissingState> {
        // The ticket first: it records the arrival order.
        let order = InOrder::from_message_parts(s, v, ack_id).ok();
        let State(hub) =
            State::<Arc<Hub>>::from_message_parts(s, v, ack_id).map_err(|_| MissingState)?;
        let Ok(socket) = SocketRef::from_message_parts(s, v, ack_id);
        let Ok(TryData(args)) = TryData::<Args>::from_message_parts(s, v, ack_id);
        let Ok(AckWanted(wants_ack)) = AckWanted::from_message_parts(s, v, ack_id);
        let Ok(ack) = AckSender::from_message_parts(s, v, ack_id);
        let client = Client::of(&socket, hub.rate);
        Ok(Request {
            socket,
            hub,
            client,
            args: args.ok(),
            wants_ack,
            ack,
            order,
        })
    }
}

impl<A: Adapter> Request<A> {
    /// Waits until every earlier event of this socket has been handled; hold
    /// the returned turn until this one is.
    pub async fn turn(&mut self) -> Option<Turn> {
        match self.order.take() {
            Some(order) => Some(order.turn().await),
            None => None,
        }
    }

    /// The event's arguments, or `invalid_payload` when they were not JSON.
    pub fn args(&self) -> Result<&Args, Refusal> {
        self.args.as_ref().ok_or(Refusal::InvalidPayload)
    }

    /// The event's arguments, taken out (for relaying them without a copy).
    pub fn take_args(&mut self) -> Result<Args, Refusal> {
        self.args.take().ok_or(Refusal::InvalidPayload)
    }

    /// Answers the ack (if the client asked for one) with `value`.
    pub fn reply<T: Serialize + ?Sized>(self, value: &T) {
        self.ack.send(value).ok();
    }

    /// Calls the course client's `done()` with no arguments, as Node's
    /// socket.io does (an empty array is zero arguments; `()` would be `null`).
    pub fn done(self) {
        const NO_ARGUMENTS: [u8; 0] = [];
        self.reply(&NO_ARGUMENTS);
    }

    /// Tells the client its `event` was refused.
    pub fn refuse(self, event: &str, refusal: Refusal) {
        tracing::debug!(sid = %self.socket.id, ns = self.socket.ns(), event, code = refusal.code(), "refused");
        self.hub.metrics.refused(self.socket.ns(), refusal);
        if self.wants_ack {
            self.ack
                .send(&crate::error::Reply::<()>::Error(refusal.body()))
                .ok();
        } else if self.client.should_notify(refusal) {
            let body = refusal.body();
            let payload = ErrorEvent {
                event,
                code: body.code,
                message: body.message,
            };
            self.socket.emit("error", &payload).ok();
        }
    }
}

/// The `error` event's payload.
#[derive(Debug, Serialize)]
struct ErrorEvent<'a> {
    event: &'a str,
    code: &'static str,
    message: String,
}
