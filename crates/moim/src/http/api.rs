//! The operators' HTTP API (`--api-key`): `POST /api/meetings` creates a
//! meeting with its settings and answers with its host's and guests' links,
//! so a school or an app can start meetings for its users on a server that
//! only starts meetings from invitations (`--meetings invite`).
//! `docs/protocol.md` ("Who may start meetings") is the reference.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::state::HttpState;
use crate::meeting::links::{NewMeeting, NotCreated};

/// The largest request body read.
pub const MAX_BODY: usize = 4096;

/// `POST /api/meetings`.
pub async fn create_meeting(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (Some(expected), Some(meetings)) = (&state.api_key, &state.meetings) else {
        return failure(
            StatusCode::NOT_FOUND,
            "api_off",
            "this server has no API key (--api-key)",
        );
    };
    if !authorized(&headers, expected) {
        return failure(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the API key as `Authorization: Bearer <key>`",
        );
    }
    let asked: NewMeeting = match serde_json::from_slice(&body) {
        Ok(asked) => asked,
        Err(e) => return failure(StatusCode::BAD_REQUEST, "invalid_payload", &e.to_string()),
    };
    match meetings.create_with_links(asked).await {
        Ok(links) => (StatusCode::CREATED, Json(links)).into_response(),
        Err(NotCreated::Exists) => failure(
            StatusCode::CONFLICT,
            "meeting_exists",
            "a meeting of that name exists",
        ),
        Err(NotCreated::Refused(refusal)) => {
            let status = if refusal == crate::error::Refusal::MeetingsUnavailable {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, Json(serde_json::json!({ "error": refusal.body() }))).into_response()
        }
    }
}

/// Whether the request carries the API key (compared in constant time).
fn authorized(headers: &HeaderMap, expected: &Arc<str>) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    aws_lc_rs::constant_time::verify_slices_are_equal(given.as_bytes(), expected.as_bytes()).is_ok()
}

fn failure(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    (status, Json(body)).into_response()
}
