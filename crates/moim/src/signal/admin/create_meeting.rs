//! `moim:create-meeting`: the admin page (`/ops`) creates a meeting and gets
//! its host's and guests' links, as the operators' HTTP API does
//! (`crate::meeting::links`), for a server with `--meetings invite`.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use crate::error::{Refusal, Reply};
use crate::hub::Hub;
use crate::meeting::links::{NewMeeting, NotCreated};

/// `moim:create-meeting({room, passcode?, listed?, locked?, validFor?}, ack)`:
/// the admin page (`/ops`) creates a meeting and gets its links, as the
/// operators' HTTP API does. The ack is `{ok: {room, hostLink, guestLink,
/// expires}}` or `{error: {code, message}}`.
pub async fn handle<A: Adapter>(
    admin: SocketRef<A>,
    State(hub): State<Arc<Hub>>,
    TryData(asked): TryData<NewMeeting>,
    ack: AckSender<A>,
) {
    let made = match (&hub.meetings, asked) {
        (Some(meetings), Ok(asked)) => meetings.create_with_links(asked).await,
        (None, _) => Err(NotCreated::Refused(Refusal::MeetingsUnavailable)),
        (_, Err(_)) => Err(NotCreated::Refused(Refusal::InvalidPayload)),
    };
    let reply = match made {
        Ok(links) => {
            tracing::info!(admin = %admin.id, room = %links.room, "admin created a meeting");
            serde_json::to_value(Reply::Ok(links))
        }
        Err(NotCreated::Exists) => Ok(serde_json::json!({ "error": {
            "code": "meeting_exists", "message": "a meeting of that name exists" } })),
        Err(NotCreated::Refused(refusal)) => {
            serde_json::to_value(Reply::<()>::Error(refusal.body()))
        }
    };
    ack.send(&reply.unwrap_or_default()).ok();
}
