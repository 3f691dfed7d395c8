//! Who is in a meeting and what they may do: roles, the meeting's settings,
//! the lobby, host controls, hands and reactions (`docs/protocol.md`,
//! "Hosts and guests").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A person's role in a meeting. Hosts and co-hosts may use every control;
/// only hosts make or unmake co-hosts and hosts, and end the meeting for everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Started the meeting (or was made host).
    Host,
    /// Made co-host by a host.
    Cohost,
    /// Everyone else.
    #[default]
    Guest,
}

impl Role {
    /// Host or co-host: may use the meeting's controls.
    pub fn moderates(self) -> bool {
        matches!(self, Role::Host | Role::Cohost)
    }
}

/// A meeting's settings, as every participant is shown them (`join`'s ack,
/// `meeting-updated`). The passcode itself is never sent, only whether there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingSettings {
    /// Shown in the home page's room list.
    pub listed: bool,
    /// Newcomers wait in the lobby until a host admits them.
    pub locked: bool,
    /// Joining needs the passcode.
    pub has_passcode: bool,
    /// People muted by a host may turn their microphone back on themselves.
    pub allow_unmute: bool,
}

impl Default for MeetingSettings {
    fn default() -> Self {
        MeetingSettings {
            listed: false,
            locked: false,
            has_passcode: false,
            allow_unmute: true,
        }
    }
}

/// `settings` request (hosts and co-hosts): change the fields given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsIn {
    /// List or unlist the meeting on the home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub listed: Option<bool>,
    /// Lock (newcomers wait in the lobby) or unlock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub locked: Option<bool>,
    /// A new passcode (1–64 characters), or `""` to remove it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passcode: Option<String>,
    /// Whether people muted by a host may unmute themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub allow_unmute: Option<bool>,
}

/// `meeting-updated` (to the room) and the `settings` ack.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeetingUpdate {
    /// The settings as they are now.
    pub meeting: MeetingSettings,
    /// The name of who changed them.
    pub by: String,
}

/// What a host or co-host does to one person or to everyone (`moderate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ModerateAction {
    /// Turn their microphone off (and, without `allowUnmute`, keep it off).
    Mute,
    /// Turn everyone's microphone off but the hosts' and co-hosts'.
    MuteAll,
    /// Let a person muted by a host speak again.
    AllowSpeak,
    /// Turn their camera off.
    CameraOff,
    /// Stop their screen share.
    StopScreen,
    /// Put their raised hand down.
    LowerHand,
    /// Take them out of the meeting; they cannot come back unless a host
    /// admits them from the lobby.
    Remove,
    /// Make them a co-host (hosts only).
    MakeCohost,
    /// Make them a host (hosts only).
    MakeHost,
    /// Make them a guest again (hosts only).
    MakeGuest,
    /// Give up one's own role (no `participant`); when no host is left the
    /// longest-present person becomes host.
    StepDown,
}

/// `moderate` request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ModerateIn {
    /// What to do.
    pub action: ModerateAction,
    /// To whom (a participant id); absent for `mute-all` and `step-down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub participant: Option<String>,
}

/// `moderated` (server → the person acted on): a host did something to you.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Moderated {
    /// What was done.
    pub action: ModerateAction,
    /// The name of the host or co-host who did it.
    pub by: String,
}

/// `knock` request: ask to be let into a locked meeting (after `join` was
/// refused with `locked`, or `removed`). The ack is `{}`; `admitted` or
/// `denied` follows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct KnockIn {
    /// The meeting.
    pub room: String,
    /// The name hosts see.
    pub name: String,
    /// The browser's key, as in `join`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// The passcode, if the meeting has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passcode: Option<String>,
}

/// Someone waiting in the lobby, as hosts see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Knocker {
    /// Their participant id (for `admit` and `deny`).
    pub id: String,
    /// The name they gave.
    pub name: String,
    /// When they started waiting, milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub since: u64,
    /// A host removed them earlier; admitting them lifts that.
    pub removed: bool,
}

/// `lobby` (server → hosts and co-hosts): everyone waiting, oldest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct Lobby {
    /// Who is waiting.
    pub waiting: Vec<Knocker>,
}

/// `admit` and `deny` requests (hosts and co-hosts).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct LobbyDecision {
    /// One knocker's id; absent with `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub participant: Option<String>,
    /// Everyone waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub all: Option<bool>,
}

/// `admitted`, `denied`, `removed` and `ended` (server → the person concerned).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeetingNotice {
    /// The meeting.
    pub room: String,
    /// The name of the host who decided (empty when the server did).
    pub by: String,
}

/// `hand` request: raise or lower one's hand.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct HandIn {
    /// Raised (`true`) or lowered.
    pub raised: bool,
}

/// The reactions `react` takes.
pub const REACTIONS: [&str; 6] = ["👍", "👏", "😂", "❤️", "🎉", "😮"];

/// `react` request: a short animation on one's own tile for everyone.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReactIn {
    /// One of [`REACTIONS`].
    pub emoji: String,
}

/// `reaction` (server → the room, the sender included).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Reaction {
    /// Who reacted.
    pub participant: String,
    /// One of [`REACTIONS`].
    pub emoji: String,
}
