//! moim's wire types for the `/moim` namespace (see `docs/protocol.md`).
//!
//! Defined once here: the server serializes them, and `typescript()` renders them
//! for the web client into `web/src/engine/protocol.gen.ts`. A test fails when
//! that file is stale (`UPDATE_PROTOCOL=1 cargo test -p moim-proto` rewrites it).
//! Counts and sequence numbers are JSON numbers (not TypeScript `bigint`s).
#![deny(missing_docs)]

mod meeting;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use meeting::*;

/// A person in a meeting, as everyone else sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Participant {
    /// Random, stable for the connection (never the socket id; grants nothing).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Microphone on.
    pub audio: bool,
    /// Camera on.
    pub video: bool,
    /// Sharing a screen.
    pub screen: bool,
    /// The room's membership sequence number right after they joined. Of two
    /// people the one who joined first has the smaller number and makes the
    /// first offer (impolite); the later one is polite.
    #[ts(type = "number")]
    pub joined: u64,
    /// Host, co-host or guest.
    #[serde(default)]
    pub role: Role,
    /// When they raised their hand (milliseconds since the Unix epoch), or
    /// `null`: hands are answered oldest first.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub hand: Option<u64>,
    /// A host muted them and the meeting does not let them unmute
    /// themselves: the server refuses their `state {audio: true}` and the SFU
    /// forwards none of their audio.
    #[serde(default, rename = "audioLocked")]
    pub audio_locked: bool,
}

/// One entry of the public room list (`rooms` event): on `/moim`, only the
/// meetings their hosts listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomSummary {
    /// Room name.
    pub name: String,
    /// People in it.
    pub count: u32,
    /// At its size limit.
    #[serde(default)]
    pub full: bool,
    /// Locked: newcomers wait in the lobby.
    #[serde(default)]
    pub locked: bool,
}

/// `join` request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct JoinIn {
    /// Room to join.
    pub room: String,
    /// Display name.
    pub name: String,
    /// Join with the microphone on (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub audio: Option<bool>,
    /// Join with the camera on (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub video: Option<bool>,
    /// The browser's own secret key (16–128 of `A–Z a–z 0–9 - _`), kept in
    /// its storage: the meeting knows its hosts, co-hosts and removed people
    /// by it (hashed), never by name. Without one, the socket gets a random
    /// key of its own, which a reload loses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// The meeting's passcode, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passcode: Option<String>,
    /// A signed link's token (`--meetings invite`, `docs/protocol.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub invite: Option<String>,
    /// The participant id this browser had in `room` before its connection
    /// dropped (an automatic rejoin). When that participant is still listed
    /// with the same browser key (its connection, or its whole node, is gone
    /// and not yet noticed), the join takes its place: same name, no lobby,
    /// no ghost left behind. Anything else is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub replaces: Option<String>,
}

/// `join` ack.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JoinResult {
    /// The room joined.
    pub room: String,
    /// You, as the others see you.
    pub you: Participant,
    /// The others already there, in join order.
    pub participants: Vec<Participant>,
    /// The room's membership sequence number at this snapshot.
    #[ts(type = "number")]
    pub seq: u64,
    /// For `RTCPeerConnection`'s configuration.
    pub ice_servers: Vec<IceServer>,
    /// What the server accepts.
    pub limits: Limits,
    /// The room's recent chat, oldest first (see the `history` request for older pages).
    pub history: HistoryPage,
    /// How media travels in this room right now.
    pub mode: RoomMode,
    /// The meeting's settings.
    pub meeting: MeetingSettings,
    /// Who is waiting in the lobby (hosts and co-hosts only; empty for guests).
    pub lobby: Vec<Knocker>,
}

/// How a meeting's media travels: peer to peer between every pair of people,
/// or through moim's SFU (each person uploads once, see `docs/sfu.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RoomMode {
    /// Peer to peer (`signal`).
    Mesh,
    /// Through the server (`sfu-offer`, `sfu-answer`).
    Sfu,
}

/// A session description going to or coming from moim's SFU: the client's
/// `sfu-offer` request and its ack (the server's answer), the server's
/// `sfu-offer` event and the client's `sfu-answer` request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SfuDescription {
    /// The SDP text.
    pub sdp: String,
}

/// `active-speaker`: the loudest person of an SFU room changed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ActiveSpeaker {
    /// Their participant id.
    pub participant: String,
}

/// `sfu-tile` request: this browser draws `participant`'s camera `height`
/// device pixels tall (CSS height × `devicePixelRatio`; 0 when it is not shown).
/// The SFU forwards the smallest simulcast layer at least that tall.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SfuTile {
    /// Whose camera the tile shows.
    pub participant: String,
    /// Device pixels, 0 to [`MAX_TILE_HEIGHT`].
    pub height: u32,
}

/// The tallest tile height `sfu-tile` takes (an 8K screen).
pub const MAX_TILE_HEIGHT: u32 = 4320;

/// One simulcast layer of a camera published to the SFU: the browser sends it
/// (`sendEncodings`), the SFU picks it per receiver. The SFU's own table
/// (`moim_sfu::LAYERS`) must say the same; a test in `crates/moim` checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SimulcastLayer {
    /// The RTP stream id (`a=rid`).
    pub rid: &'static str,
    /// Frame height of the layer for a 720p camera.
    pub height: u32,
    /// The bitrate the browser caps the layer at, bits per second.
    pub max_bitrate: u32,
}

/// The camera's layers, lowest first; the last one is the camera's full size.
pub const SIMULCAST_LAYERS: [SimulcastLayer; 3] = [
    SimulcastLayer {
        rid: "q",
        height: 180,
        max_bitrate: 150_000,
    },
    SimulcastLayer {
        rid: "h",
        height: 360,
        max_bitrate: 500_000,
    },
    SimulcastLayer {
        rid: "f",
        height: 720,
        max_bitrate: 1_500_000,
    },
];

/// An ICE server, as `RTCIceServer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IceServer {
    /// `stun:` / `turn:` URLs.
    pub urls: Vec<String>,
    /// TURN user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub username: Option<String>,
    /// TURN password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub credential: Option<String>,
}

/// The limits a client should check before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Longest name, in characters.
    pub name: u32,
    /// Longest room name, in characters.
    pub room: u32,
    /// Longest chat message, in characters.
    pub message: u32,
    /// Most people in a room.
    pub room_size: u32,
    /// Most people in a peer-to-peer (mesh) call.
    pub mesh_size: u32,
    /// Largest description or candidate, in bytes of JSON.
    pub sdp: u32,
    /// Largest file offered over the data channel, in bytes.
    pub file: u32,
}

/// `participant-joined` and `participant-left`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ParticipantEvent {
    /// Who joined or left.
    pub participant: Participant,
    /// People in the room after the change.
    pub count: u32,
    /// The room's membership sequence number after the change.
    #[ts(type = "number")]
    pub seq: u64,
    /// How media travels in the room after the change (a client switches
    /// between mesh and SFU when it differs from what it had).
    pub mode: RoomMode,
}

/// `participant-updated`: someone's state or name changed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ParticipantUpdate {
    /// The participant, as it is now.
    pub participant: Participant,
}

/// `chat` request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChatIn {
    /// The message.
    pub text: String,
}

/// `chat` ack, sent once the message is stored (committed).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChatAck {
    /// Server time, ms since the Unix epoch.
    #[ts(type = "number")]
    pub ts: u64,
    /// The stored message's id; absent when the server keeps no history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub id: Option<u64>,
}

/// `chat` as the others receive it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChatOut {
    /// The sender.
    pub from: Participant,
    /// The message.
    pub text: String,
    /// Server time, ms since the Unix epoch.
    #[ts(type = "number")]
    pub ts: u64,
    /// The stored message's id (the same as in history pages, so a client can
    /// tell a live message it already has from a page); absent when not stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub id: Option<u64>,
}

/// Who wrote a stored message, as they were named when they wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Author {
    /// Their participant id at the time (it changes with every connection).
    pub id: String,
    /// Their display name at the time.
    pub name: String,
}

/// One message of a room's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryMessage {
    /// Global and ever-growing; pages are cut by it.
    #[ts(type = "number")]
    pub id: u64,
    /// The author.
    pub from: Author,
    /// The message.
    pub text: String,
    /// Server time, ms since the Unix epoch.
    #[ts(type = "number")]
    pub ts: u64,
}

/// A page of history: in the join ack (the newest page) or a `history` ack.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct HistoryPage {
    /// Oldest first.
    pub messages: Vec<HistoryMessage>,
    /// Older messages exist: ask with `before` = the first message's id.
    pub more: bool,
}

/// `history` request: the page of the current room before a message.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct HistoryIn {
    /// Only messages with a smaller id (a message id from an earlier page);
    /// absent: the newest page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub before: Option<u64>,
    /// At most this many messages, 1–200 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// `signal` request: a description or a candidate for one participant.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SignalIn {
    /// The receiver's participant id.
    pub to: String,
    /// An `RTCSessionDescriptionInit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "RTCSessionDescriptionInit")]
    pub description: Option<Value>,
    /// An `RTCIceCandidateInit`; `null` ends the candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "RTCIceCandidateInit | null")]
    pub candidate: Option<Value>,
}

/// `signal` as its receiver gets it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SignalOut {
    /// The sender's participant id.
    pub from: String,
    /// An `RTCSessionDescriptionInit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "RTCSessionDescriptionInit")]
    pub description: Option<Value>,
    /// An `RTCIceCandidateInit`; `null` ends the candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "RTCIceCandidateInit | null")]
    pub candidate: Option<Value>,
}

/// `state` request: the fields to change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct StateIn {
    /// Microphone on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub audio: Option<bool>,
    /// Camera on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub video: Option<bool>,
    /// Sharing a screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub screen: Option<bool>,
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
}

/// `state` ack.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StateResult {
    /// You, as the others now see you.
    pub participant: Participant,
}

/// `ice-servers` ack: the ICE configuration to test connectivity with before
/// joining (TURN credentials minted for this socket).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IceServersResult {
    /// What `RTCPeerConnection` takes, as in `join`'s ack (TURN with its
    /// credentials only for a participant of a meeting).
    pub ice_servers: Vec<IceServer>,
    /// The server has a relay (TURN) whose credentials only participants get:
    /// asked before joining, the relay cannot be checked yet.
    pub relay_on_join: bool,
}

/// The `{}` of acks that return nothing (`leave`, `signal`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct Empty {}

/// The `{ code, message }` of a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AckError {
    /// Stable, machine-readable code.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// The TypeScript declarations of every wire type, as committed in
/// `web/src/engine/protocol.gen.ts`.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        Participant::decl(&cfg),
        RoomSummary::decl(&cfg),
        JoinIn::decl(&cfg),
        JoinResult::decl(&cfg),
        RoomMode::decl(&cfg),
        SfuDescription::decl(&cfg),
        ActiveSpeaker::decl(&cfg),
        SfuTile::decl(&cfg),
        SimulcastLayer::decl(&cfg),
        IceServer::decl(&cfg),
        IceServersResult::decl(&cfg),
        Limits::decl(&cfg),
        ParticipantEvent::decl(&cfg),
        ParticipantUpdate::decl(&cfg),
        ChatIn::decl(&cfg),
        ChatAck::decl(&cfg),
        ChatOut::decl(&cfg),
        Author::decl(&cfg),
        HistoryMessage::decl(&cfg),
        HistoryPage::decl(&cfg),
        HistoryIn::decl(&cfg),
        SignalIn::decl(&cfg),
        SignalOut::decl(&cfg),
        StateIn::decl(&cfg),
        StateResult::decl(&cfg),
        Empty::decl(&cfg),
        AckError::decl(&cfg),
        Role::decl(&cfg),
        MeetingSettings::decl(&cfg),
        SettingsIn::decl(&cfg),
        MeetingUpdate::decl(&cfg),
        ModerateAction::decl(&cfg),
        ModerateIn::decl(&cfg),
        Moderated::decl(&cfg),
        KnockIn::decl(&cfg),
        Knocker::decl(&cfg),
        Lobby::decl(&cfg),
        LobbyDecision::decl(&cfg),
        MeetingNotice::decl(&cfg),
        HandIn::decl(&cfg),
        ReactIn::decl(&cfg),
        Reaction::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from crates/moim-proto by `UPDATE_PROTOCOL=1 cargo test -p moim-proto`.\n\
         // Do not edit: change the Rust types and regenerate.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    // Constants the client needs as values, not types.
    let layers = serde_json::to_string(&SIMULCAST_LAYERS).expect("layers serialize");
    let reactions = serde_json::to_string(&REACTIONS).expect("reactions serialize");
    out.push_str(&format!(
        "/** The camera's simulcast layers, lowest first (`SIMULCAST_LAYERS`). */\n\
         export const SIMULCAST_LAYERS: readonly SimulcastLayer[] = {layers};\n\n\
         /** The tallest tile height `sfu-tile` takes. */\n\
         export const MAX_TILE_HEIGHT = {MAX_TILE_HEIGHT};\n\n\
         /** The reactions `react` takes (`REACTIONS`). */\n\
         export const REACTIONS: readonly string[] = {reactions};\n"
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_typescript_is_fresh() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../web/src/engine/protocol.gen.ts"
        );
        let fresh = typescript();
        if std::env::var_os("UPDATE_PROTOCOL").is_some() {
            std::fs::write(path, &fresh).expect("write protocol.gen.ts");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "web/src/engine/protocol.gen.ts is stale: run `UPDATE_PROTOCOL=1 cargo test -p moim-proto`"
        );
    }

    #[test]
    fn optional_fields_are_left_out_and_read_back() {
        let join: JoinIn = serde_json::from_str(r#"{"room":"r","name":"n"}"#).unwrap();
        assert_eq!((join.audio, join.video), (None, None));
        let signal = SignalOut {
            from: "a".into(),
            description: None,
            candidate: Some(Value::Null),
        };
        assert_eq!(
            serde_json::to_string(&signal).unwrap(),
            r#"{"from":"a","candidate":null}"#
        );
    }
}
