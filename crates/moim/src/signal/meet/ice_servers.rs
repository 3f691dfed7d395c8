//! `ice-servers`: the ICE configuration, for the pre-join screen's
//! connectivity check and for a call that needs fresh TURN credentials.
//!
//! TURN credentials go only to participants of a meeting: someone who joined
//! nothing gets the fixed servers and is told that a relay exists
//! (`relayOnJoin`), so an anonymous socket cannot mint relay credentials. A
//! participant gets credentials minted for their participant id, as `join`
//! returns them; a running call asks again before they expire.

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

use moim_proto::{IceServer, IceServersResult};

use crate::error::Reply;
use crate::hub::Hub;
use crate::rooms::MemberId;
use crate::signal::request::Request;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    match req.client.admit() {
        Ok(()) => {
            let me = req.client.participant();
            let in_meeting = req.hub.current_meeting(me).is_ok();
            let result = if in_meeting {
                IceServersResult {
                    ice_servers: for_participant(&req.socket, &req.hub, me),
                    relay_on_join: false,
                }
            } else {
                IceServersResult {
                    ice_servers: req.hub.ice.without_credentials(),
                    relay_on_join: req.hub.ice.has_relay(),
                }
            };
            req.reply(&Reply::Ok(result));
        }
        Err(refusal) => req.refuse("ice-servers", refusal),
    }
}

/// The ICE servers for participant `id` on `socket`, with TURN pointed at the
/// host its browser used to reach moim.
pub fn for_participant<A: Adapter>(
    socket: &SocketRef<A>,
    hub: &Hub,
    id: MemberId,
) -> Vec<IceServer> {
    let host = socket
        .req_parts()
        .headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok());
    hub.ice.for_participant(&id.to_string(), host)
}
