//! Socket.IO signaling: decoding and checking events, asking the [`Hub`]
//! (the room model below), and sending what it answers.
//!
//! Three namespaces share one engine: `/` speaks the course's contract
//! ([`course`]), `/moim` speaks moim's own protocol ([`meet`]), both described
//! in `docs/protocol.md`; `/admin` is the Socket.IO Admin UI's ([`admin`]).
//! Handlers are generic over the socketioxide adapter, so the same code serves
//! one node and a cluster. [`start`] wires it all; [`departure`] is the one
//! way anyone leaves a room.
//!
//! [`Hub`]: crate::hub::Hub

pub mod admin;
pub mod args;
pub mod broadcast;
pub mod chat_store;
pub mod client;
pub mod course;
pub mod departure;
pub mod meet;
pub mod order;
pub mod request;
pub mod room_list;
pub mod sender;
pub mod start;

pub use start::{Engine, MediaStarted, Signal, StartError};
