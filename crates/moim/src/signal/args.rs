//! Extractors that never skip a handler.
//!
//! socketioxide skips a handler silently when an extractor fails (a `Data<(A, B)>`
//! whose shapes do not match, say). moim must answer bad input with a refusal
//! instead, so handlers take every argument as raw JSON through [`Args`] and check
//! the shapes themselves, and learn through [`AckWanted`] whether the client is
//! waiting for an ack or must be told through an `error` event.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde_json::Value;
use socketioxide::adapter::Adapter;
use socketioxide::handler::{FromMessageParts, Value as PacketValue};
use socketioxide::socket::Socket;

use crate::error::Refusal;

/// All arguments of an event, whatever their number and shape.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Args(pub Vec<Value>);

impl Args {
    /// The argument at `index` as a string, or `invalid_payload`.
    pub fn str(&self, index: usize) -> Result<&str, Refusal> {
        self.0
            .get(index)
            .and_then(Value::as_str)
            .ok_or(Refusal::InvalidPayload)
    }

    /// The argument at `index`, or `invalid_payload` when missing.
    pub fn value(&self, index: usize) -> Result<&Value, Refusal> {
        self.0.get(index).ok_or(Refusal::InvalidPayload)
    }

    /// The first argument decoded as `T`, or `invalid_payload`.
    pub fn object<T: serde::de::DeserializeOwned>(&self) -> Result<T, Refusal> {
        let first = self.0.first().cloned().unwrap_or(Value::Null);
        serde_json::from_value(first).map_err(|_| Refusal::InvalidPayload)
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AllArgs;
        impl<'de> Visitor<'de> for AllArgs {
            type Value = Args;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("event arguments")
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Args, S::Error> {
                let mut args = Vec::with_capacity(seq.size_hint().unwrap_or(2).min(8));
                while let Some(arg) = seq.next_element()? {
                    args.push(arg);
                }
                Ok(Args(args))
            }
        }
        // Asking for a tuple makes socketioxide's parser hand over every argument
        // instead of only the first one.
        deserializer.deserialize_tuple(usize::MAX, AllArgs)
    }
}

/// Whether the client attached an ack callback to this event.
#[derive(Debug, Clone, Copy)]
pub struct AckWanted(pub bool);

impl<A: Adapter> FromMessageParts<A> for AckWanted {
    type Error = Infallible;
    fn from_message_parts(
        _: &Arc<Socket<A>>,
        _: &mut PacketValue,
        ack_id: &Option<i64>,
    ) -> Result<Self, Infallible> {
        Ok(AckWanted(ack_id.is_some()))
    }
}
