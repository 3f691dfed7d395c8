//! What is stored: one chat message in one room.

/// A message to store. `space` separates rooms of different namespaces that
/// may share a name (the course's `/` and moim's `/moim`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Which set of rooms (`"course"`, `"meet"`).
    pub space: String,
    /// The room's name.
    pub room: String,
    /// The author's participant id at the time (a socket id).
    pub author_id: String,
    /// The author's display name at the time.
    pub author_name: String,
    /// The text, as typed.
    pub text: String,
    /// Server time, ms since the Unix epoch.
    pub ts: i64,
}

/// A stored message, as history returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Global and ever-growing: later messages have larger ids.
    pub id: i64,
    /// The author's participant id at the time.
    pub author_id: String,
    /// The author's display name at the time.
    pub author_name: String,
    /// The text.
    pub text: String,
    /// Server time, ms since the Unix epoch.
    pub ts: i64,
}

impl StoredMessage {
    /// `message` as stored under `id`.
    pub fn new(id: i64, message: NewMessage) -> Self {
        StoredMessage {
            id,
            author_id: message.author_id,
            author_name: message.author_name,
            text: message.text,
            ts: message.ts,
        }
    }
}

/// One page of a room's history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// Oldest first.
    pub messages: Vec<StoredMessage>,
    /// Whether older messages exist (ask again with `before` = the first id).
    pub more: bool,
}
