//! moim's own meeting protocol on namespace `/moim` (see `docs/protocol.md`).
//!
//! A socket is in at most one meeting. Membership events carry the room's
//! sequence number so a client can tell which of them its join snapshot already
//! contains. This file only wires events to their handlers, one per file.

mod chat;
mod disconnect;
mod history;
mod ice_servers;
mod join;
mod leave;
mod names;
mod sfu;

pub use leave::leave_room;
mod signal;
mod state;

use std::convert::Infallible;
use std::sync::Arc;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State};
use socketioxide::handler::ConnectHandler;
use socketioxide_core::adapter::DefinedAdapter;

use super::Hub;
use super::client::Client;
use super::room_list::ListFormat;
use crate::error::Refusal;
use crate::rooms::{Member, MemberId};
use moim_proto::Participant;

/// The namespace of moim's own protocol.
pub const NAMESPACE: &str = "/moim";

/// Registers `/moim` on `io`.
pub fn attach<A: DefinedAdapter + Adapter>(io: &SocketIo<A>) -> A::InitRes {
    io.ns(NAMESPACE, on_connect::<A>.with(setup::<A>))
}

/// Runs before the client is told it is connected (socketioxide awaits
/// middlewares first), so no event can arrive before its handler exists.
async fn setup<A: Adapter>(
    socket: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Infallible> {
    let client = Client::attach(&socket, hub.rate);
    socket.on("join", join::handle::<A>);
    socket.on("chat", chat::handle::<A>);
    socket.on("history", history::handle::<A>);
    socket.on("leave", leave::handle::<A>);
    socket.on("signal", signal::handle::<A>);
    socket.on("state", state::handle::<A>);
    socket.on("ice-servers", ice_servers::handle::<A>);
    socket.on("sfu-offer", sfu::offer::<A>);
    socket.on("sfu-answer", sfu::answer::<A>);
    socket.on("sfu-tile", sfu::tile::<A>);
    // Targeted signaling (`signal`, the SFU's offers) is delivered through
    // the participant's inbox room, here and across nodes.
    socket.join(inbox(client.participant()));
    socket.on_disconnect(disconnect::handle::<A>);
    Ok(())
}

async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(hub): State<Arc<Hub>>) {
    hub.sockets.connected(&socket);
    let list =
        ListFormat::Moim.render(&super::members::summary(&hub, crate::cluster::Ns::Meet).await);
    socket.emit(ListFormat::Moim.event(), &list).ok();
}

/// The adapter room that carries what is meant for participant `id` alone.
///
/// Its name starts with a control character, which [`crate::validate::room`] refuses
/// in every room name a client sends: no meeting can be named like an inbox,
/// so nobody can join someone else's (a meeting named after a participant id
/// is an ordinary meeting, with nothing of theirs in it).
pub fn inbox(id: MemberId) -> String {
    format!("{INBOX_PREFIX}{id}")
}

/// What every inbox room's name starts with (see [`inbox`]).
const INBOX_PREFIX: &str = "\u{1}inbox:";

/// The participant id of `socket` (its [`Client`]'s).
pub fn participant_of<A: Adapter>(socket: &SocketRef<A>, hub: &Hub) -> MemberId {
    Client::of(socket, hub.rate).participant()
}

/// A member as the wire shows it.
pub fn participant(member: &Member) -> Participant {
    Participant {
        id: member.id.to_string(),
        name: member.name.to_string(),
        audio: member.audio,
        video: member.video,
        screen: member.screen,
        joined: member.joined,
    }
}

/// The meeting `id` is in and its entry there, or `not_in_room`.
pub fn current_room(hub: &Hub, id: MemberId) -> Result<(Arc<str>, Member), Refusal> {
    let room = hub
        .meet
        .rooms_of(id)
        .into_iter()
        .next()
        .ok_or(Refusal::NotInRoom)?;
    let member = hub.meet.member(&room, id).ok_or(Refusal::NotInRoom)?;
    Ok((room, member))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    /// No room name a client may send names an inbox: a meeting named after
    /// someone's id, in any form, is an ordinary meeting.
    #[test]
    fn no_meeting_name_can_be_an_inbox() {
        for _ in 0..100 {
            let id = MemberId::new();
            let inbox = inbox(id);
            assert_eq!(
                validate::room(&inbox),
                Err(Refusal::InvalidRoom),
                "{inbox:?}"
            );
            for form in [id.to_string(), format!("inbox:{id}"), format!("/moim#{id}")] {
                assert_ne!(validate::room(&form), Ok(inbox.clone()));
            }
        }
    }
}
