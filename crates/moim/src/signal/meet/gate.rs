//! The meeting's gate as `join` and `knock` pass it: the request's key,
//! passcode and invitation, checked by [`crate::meeting::Meetings`].

use moim_proto::JoinIn;
use socketioxide::adapter::Adapter;

use crate::config::Starting;
use crate::error::Refusal;
use crate::meeting::credentials::KeyHash;
use crate::meeting::{Attempt, Entry};
use crate::signal::client::peer_ip;
use crate::signal::request::Request;

/// Lets `req`'s client into `room`, or says why not; `returning`: it takes
/// the place of its own earlier participant (see `join`'s `replaces`).
pub async fn enter<A: Adapter>(
    req: &Request<A>,
    room: &str,
    key: &KeyHash,
    join: &JoinIn,
    returning: bool,
) -> Result<Entry, Refusal> {
    let meetings = req.hub.gate()?;
    let participant = req.client.participant().to_string();
    let now = crate::clock::now_ms() / 1000;
    let invite = join
        .invite
        .as_deref()
        .map(|token| meetings.invites().check(token, room, now))
        .transpose()?;
    let attempt = Attempt {
        room,
        key,
        passcode: join.passcode.as_deref(),
        participant: &participant,
        peer: peer_ip(&req.socket),
        invite: invite.as_ref(),
        returning,
    };
    // With `--meetings invite`, only a host's link starts a meeting.
    let may_start = req.hub.starting == Starting::Open;
    meetings.enter(attempt, may_start).await
}

/// Puts `req`'s client into `room`'s lobby.
pub async fn knock<A: Adapter>(
    req: &Request<A>,
    room: &str,
    key: &KeyHash,
    name: &str,
    passcode: Option<&str>,
) -> Result<(), Refusal> {
    let meetings = req.hub.gate()?;
    let participant = req.client.participant().to_string();
    let attempt = Attempt {
        room,
        key,
        passcode,
        participant: &participant,
        peer: peer_ip(&req.socket),
        invite: None,
        returning: false,
    };
    meetings.knock(attempt, name).await
}
