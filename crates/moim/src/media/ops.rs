//! What one node asks of a meeting's media owner (issue 20): the SFU
//! requests of a participant whose signaling landed on another node, as they
//! travel over the node link ([`crate::cluster::node_link`]), and how the
//! owner carries them out on its own [`MediaBridge`].
//!
//! The owner trusts the asking node (both are this cluster's, behind the same
//! Redis): the asker already checked the participant is in the meeting and
//! that the meeting goes through the SFU.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::MediaBridge;
use crate::cluster::node_link::Answer;
use crate::error::Refusal;
use crate::rooms::MemberId;

/// One request to the owner. Its fields are the participant's id, their
/// meeting, a session description or the value changed, as named.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum MediaOp {
    /// A browser's offer: a new SFU session (answered with `{sdp}`).
    Offer {
        room: String,
        participant: String,
        sdp: String,
        muted: bool,
        blocked: bool,
    },
    /// A browser's answer to the owner's last offer.
    Answer { participant: String, sdp: String },
    /// How tall a browser draws someone's camera.
    Tile {
        participant: String,
        origin: String,
        height: u32,
    },
    /// Someone's microphone went off or on.
    Muted { participant: String, muted: bool },
    /// A host holds someone muted, or lets them speak.
    Blocked { participant: String, blocked: bool },
    /// Someone left the meeting.
    Leave { participant: String },
    /// The meeting went back to the mesh: every session of it ends.
    LeaveRoom { room: String },
}

impl MediaOp {
    /// Whether the asker waits for the answer (the others are told and not
    /// waited for: their order matters, their answer does not).
    pub fn is_request(&self) -> bool {
        matches!(
            self,
            MediaOp::Offer { .. } | MediaOp::Answer { .. } | MediaOp::Tile { .. }
        )
    }
}

/// The refusals an owner answers with, back from their codes; anything else
/// (a node of a newer version, a code lost on the way) is `media_unavailable`.
pub fn refusal_of(code: &str) -> Refusal {
    [
        Refusal::InvalidSdp,
        Refusal::NoSfuSession,
        Refusal::NoOfferPending,
        Refusal::MediaUnavailable,
    ]
    .into_iter()
    .find(|r| r.code() == code)
    .unwrap_or(Refusal::MediaUnavailable)
}

fn id(participant: &str) -> Result<MemberId, String> {
    participant
        .parse()
        .map_err(|_| Refusal::NoSfuSession.code().to_owned())
}

/// Carries out `op` on this node's SFU; `hosting` is told the meetings that
/// got a session here.
pub async fn serve(bridge: &Arc<MediaBridge>, op: MediaOp, hosting: impl Fn(&str)) -> Answer {
    let refused = |r: Refusal| r.code().to_owned();
    match op {
        MediaOp::Offer {
            room,
            participant,
            sdp,
            muted,
            blocked,
        } => {
            let who = id(&participant)?;
            hosting(&room);
            bridge.set_muted(who, muted);
            bridge.set_blocked(who, blocked);
            let answer = bridge.offer(who, &room, sdp).await.map_err(refused)?;
            Ok(json!({ "sdp": answer }))
        }
        MediaOp::Answer { participant, sdp } => {
            bridge
                .answer(id(&participant)?, sdp)
                .await
                .map_err(refused)?;
            Ok(Value::Null)
        }
        MediaOp::Tile {
            participant,
            origin,
            height,
        } => {
            bridge
                .tile_height(id(&participant)?, id(&origin)?, height)
                .map_err(refused)?;
            Ok(Value::Null)
        }
        MediaOp::Muted { participant, muted } => {
            bridge.set_muted(id(&participant)?, muted);
            Ok(Value::Null)
        }
        MediaOp::Blocked {
            participant,
            blocked,
        } => {
            bridge.set_blocked(id(&participant)?, blocked);
            Ok(Value::Null)
        }
        MediaOp::Leave { participant } => {
            bridge.leave(id(&participant)?);
            Ok(Value::Null)
        }
        MediaOp::LeaveRoom { room } => {
            bridge.leave_room(&room);
            Ok(Value::Null)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_op_reads_back_as_written() {
        let op = MediaOp::Offer {
            room: "r".into(),
            participant: "p".into(),
            sdp: "v=0".into(),
            muted: true,
            blocked: false,
        };
        let wire = serde_json::to_value(&op).unwrap();
        assert_eq!(wire["op"], "offer");
        assert_eq!(serde_json::from_value::<MediaOp>(wire).unwrap(), op);
        let wire = serde_json::to_value(MediaOp::LeaveRoom { room: "r".into() }).unwrap();
        assert_eq!(wire["op"], "leave-room");
    }

    #[test]
    fn an_owners_refusal_comes_back_typed_and_an_unknown_one_as_unavailable() {
        assert_eq!(refusal_of("invalid_sdp"), Refusal::InvalidSdp);
        assert_eq!(refusal_of("no_offer_pending"), Refusal::NoOfferPending);
        assert_eq!(refusal_of("busy"), Refusal::MediaUnavailable);
        assert_eq!(refusal_of("not_host"), Refusal::MediaUnavailable);
    }
}
