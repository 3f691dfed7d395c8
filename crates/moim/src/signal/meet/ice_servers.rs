//! `ice-servers`: the ICE configuration before joining, for the pre-join
//! screen's connectivity check. The TURN credentials are minted for this
//! socket, as the ones `join` returns are.

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

use moim_proto::{IceServer, IceServersResult};

use crate::error::Reply;
use crate::signal::Hub;
use crate::signal::request::Request;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    match req.client.admit() {
        Ok(()) => {
            let result = IceServersResult {
                ice_servers: for_socket(&req.socket, &req.hub),
            };
            req.reply(&Reply::Ok(result));
        }
        Err(refusal) => req.refuse("ice-servers", refusal),
    }
}

/// The ICE servers for `socket`, with TURN pointed at the host its browser
/// used to reach moim.
pub fn for_socket<A: Adapter>(socket: &SocketRef<A>, hub: &Hub) -> Vec<IceServer> {
    let host = socket
        .req_parts()
        .headers
        .get(http_host())
        .and_then(|value| value.to_str().ok());
    hub.ice.for_participant(&socket.id.to_string(), host)
}

fn http_host() -> axum::http::HeaderName {
    axum::http::header::HOST
}
