//! What the Socket.IO Admin UI (`@socket.io/admin-ui` 0.5) expects on the wire:
//! the serialized socket and its handshake, the server stats, the config.

use std::net::SocketAddr;
use std::time::SystemTime;

use axum::extract::ConnectInfo;
use serde::Serialize;
use serde_json::{Map, Value};

/// A socket as the Admin UI lists it (`SerializedSocket` in the package).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SerializedSocket {
    /// The socket id.
    pub id: String,
    /// The engine.io client's id; moim reports the socket id.
    pub client_id: String,
    /// `websocket` or `polling`.
    pub transport: &'static str,
    /// Its namespace.
    pub nsp: &'static str,
    /// `socket.data` in Node; moim keeps nothing there.
    pub data: Value,
    /// The first request: address, headers, query, times.
    pub handshake: Value,
    /// The rooms it is in.
    pub rooms: Vec<String>,
}

impl SerializedSocket {
    /// When the socket connected (ms since the epoch), for sorting.
    pub fn handshake_issued(&self) -> u64 {
        self.handshake
            .get("issued")
            .and_then(Value::as_u64)
            .unwrap_or_default()
    }
}

pub use crate::clock::epoch_ms;

/// A timestamp the way JavaScript's `Date` serializes: ISO 8601 in UTC.
pub fn iso_time(time: SystemTime) -> String {
    let ms = epoch_ms(time);
    let (secs, millis) = (ms / 1000, ms % 1000);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The handshake of a socket, from the request that opened its connection.
pub fn handshake(parts: &axum::http::request::Parts, now: SystemTime) -> Value {
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.insert(name.as_str().to_owned(), value.into());
        }
    }
    let mut query = Map::new();
    for pair in parts.uri.query().unwrap_or_default().split('&') {
        if let Some((key, value)) = pair.split_once('=') {
            query.insert(key.to_owned(), value.into());
        } else if !pair.is_empty() {
            query.insert(pair.to_owned(), "".into());
        }
    }
    let forwarded = ["cf-connecting-ip", "x-forwarded-for"]
        .iter()
        .find_map(|h| parts.headers.get(*h).and_then(|v| v.to_str().ok()))
        .map(str::to_owned);
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    serde_json::json!({
        "address": forwarded.or(peer).unwrap_or_default(),
        "headers": headers,
        "query": query,
        "issued": epoch_ms(now),
        "secure": false,
        "time": iso_time(now),
        "url": parts.uri.to_string(),
        "xdomain": parts.headers.contains_key("origin"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_are_javascript_iso_strings() {
        assert_eq!(iso_time(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_337_491_250);
        assert_eq!(iso_time(t), "2026-11-22T08:51:31.250Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(iso_time(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn handshake_has_query_headers_and_address() {
        let request = axum::http::Request::builder()
            .uri("/socket.io/?EIO=4&transport=polling")
            .header("x-forwarded-for", "10.0.0.7")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        let hs = handshake(&parts, UNIX_EPOCH);
        assert_eq!(hs["address"], "10.0.0.7");
        assert_eq!(hs["query"]["EIO"], "4");
        assert_eq!(hs["query"]["transport"], "polling");
        assert_eq!(hs["headers"]["x-forwarded-for"], "10.0.0.7");
        assert_eq!(hs["issued"], 0);
    }
}
