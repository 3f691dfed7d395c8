//! `history {before?, limit?}`: an older page of the current meeting's chat.
//!
//! The cursor is a message id from an earlier page; the arguments are read
//! by hand so that a cursor of the wrong kind (a string, a negative or
//! fractional number) is told `invalid_page`, not a generic shape error.

use serde_json::Value;
use socketioxide::adapter::Adapter;

use crate::error::{Refusal, Reply};
use crate::history::DEFAULT_PAGE;
use crate::namespace::Namespace;
use crate::signal::request::Request;

/// The largest page a client may ask for.
pub const MAX_PAGE: u32 = moim_store::MAX_PAGE;

/// Ids are JSON numbers; above 2^53 a client could not have received one intact.
const MAX_ID: u64 = 1 << 53;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        let (before, limit) = page_request(req.args()?.value(0).unwrap_or(&Value::Null))?;
        let (room, _) = req.hub.current_meeting(req.client.participant())?;
        Ok((room, before, limit))
    })();
    let (room, before, limit) = match checked {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("history", refusal),
    };
    match req
        .hub
        .history
        .page(Namespace::Meet, &room, before, limit)
        .await
    {
        Ok(page) => req.reply(&Reply::Ok(page)),
        Err(refusal) => req.refuse("history", refusal),
    }
}

/// `{before?, limit?}` checked: `before` a message id, `limit` 1–200.
fn page_request(value: &Value) -> Result<(Option<u64>, u32), Refusal> {
    let object = match value {
        Value::Object(object) => object,
        // No argument at all: the newest page.
        Value::Null => return Ok((None, DEFAULT_PAGE)),
        _ => return Err(Refusal::InvalidPayload),
    };
    let before = match object.get("before") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|id| (1..=MAX_ID).contains(id))
                .ok_or(Refusal::InvalidPage)?,
        ),
    };
    let limit = match object.get("limit") {
        None | Some(Value::Null) => DEFAULT_PAGE,
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=u64::from(MAX_PAGE)).contains(n))
            .ok_or(Refusal::InvalidPage)? as u32,
    };
    Ok((before, limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn good_requests_are_read() {
        assert_eq!(page_request(&json!({})), Ok((None, DEFAULT_PAGE)));
        assert_eq!(page_request(&Value::Null), Ok((None, DEFAULT_PAGE)));
        assert_eq!(
            page_request(&json!({"before": 42, "limit": 5})),
            Ok((Some(42), 5))
        );
        assert_eq!(
            page_request(&json!({"before": null, "limit": 200})),
            Ok((None, 200))
        );
    }

    #[test]
    fn bad_cursors_and_sizes_are_refused() {
        for bad in [
            json!({"before": "42"}),
            json!({"before": -1}),
            json!({"before": 0}),
            json!({"before": 1.5}),
            json!({"before": 9.0e15}),
            json!({"before": {}}),
            json!({"limit": 0}),
            json!({"limit": 201}),
            json!({"limit": 1_000_000_000}),
            json!({"limit": "10"}),
        ] {
            assert_eq!(page_request(&bad), Err(Refusal::InvalidPage), "{bad}");
        }
        assert_eq!(page_request(&json!("page 2")), Err(Refusal::InvalidPayload));
    }
}
