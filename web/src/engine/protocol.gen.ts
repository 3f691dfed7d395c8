// Generated from crates/moim-proto by `UPDATE_PROTOCOL=1 cargo test -p moim-proto`.
// Do not edit: change the Rust types and regenerate.

export type Participant = { 
/**
 * Random, stable for the connection (never the socket id; grants nothing).
 */
id: string, 
/**
 * Display name.
 */
name: string, 
/**
 * Microphone on.
 */
audio: boolean, 
/**
 * Camera on.
 */
video: boolean, 
/**
 * Sharing a screen.
 */
screen: boolean, 
/**
 * The room's membership sequence number right after they joined. Of two
 * people the one who joined first has the smaller number and makes the
 * first offer (impolite); the later one is polite.
 */
joined: number, 
/**
 * Host, co-host or guest.
 */
role: Role, 
/**
 * When they raised their hand (milliseconds since the Unix epoch), or
 * `null`: hands are answered oldest first.
 */
hand: number | null, 
/**
 * A host muted them and the meeting does not let them unmute
 * themselves: the server refuses their `state {audio: true}` and the SFU
 * forwards none of their audio.
 */
audioLocked: boolean, };

export type RoomSummary = { 
/**
 * Room name.
 */
name: string, 
/**
 * People in it.
 */
count: number, 
/**
 * At its size limit.
 */
full: boolean, 
/**
 * Locked: newcomers wait in the lobby.
 */
locked: boolean, };

export type JoinIn = { 
/**
 * Room to join.
 */
room: string, 
/**
 * Display name.
 */
name: string, 
/**
 * Join with the microphone on (default `true`).
 */
audio?: boolean, 
/**
 * Join with the camera on (default `true`).
 */
video?: boolean, 
/**
 * The browser's own secret key (16–128 of `A–Z a–z 0–9 - _`), kept in
 * its storage: the meeting knows its hosts, co-hosts and removed people
 * by it (hashed), never by name. Without one, the socket gets a random
 * key of its own, which a reload loses.
 */
key?: string, 
/**
 * The meeting's passcode, if it has one.
 */
passcode?: string, 
/**
 * A signed link's token (`--meetings invite`, `docs/protocol.md`).
 */
invite?: string, 
/**
 * The participant id this browser had in `room` before its connection
 * dropped (an automatic rejoin). When that participant is still listed
 * with the same browser key (its connection, or its whole node, is gone
 * and not yet noticed), the join takes its place: same name, no lobby,
 * no ghost left behind. Anything else is ignored.
 */
replaces?: string, };

export type JoinResult = { 
/**
 * The room joined.
 */
room: string, 
/**
 * You, as the others see you.
 */
you: Participant, 
/**
 * The others already there, in join order.
 */
participants: Array<Participant>, 
/**
 * The room's membership sequence number at this snapshot.
 */
seq: number, 
/**
 * For `RTCPeerConnection`'s configuration.
 */
iceServers: Array<IceServer>, 
/**
 * What the server accepts.
 */
limits: Limits, 
/**
 * The room's recent chat, oldest first (see the `history` request for older pages).
 */
history: HistoryPage, 
/**
 * How media travels in this room right now.
 */
mode: RoomMode, 
/**
 * The meeting's settings.
 */
meeting: MeetingSettings, 
/**
 * Who is waiting in the lobby (hosts and co-hosts only; empty for guests).
 */
lobby: Array<Knocker>, };

export type RoomMode = "mesh" | "sfu";

export type SfuDescription = { 
/**
 * The SDP text.
 */
sdp: string, };

export type ActiveSpeaker = { 
/**
 * Their participant id.
 */
participant: string, };

export type SfuTile = { 
/**
 * Whose camera the tile shows.
 */
participant: string, 
/**
 * Device pixels, 0 to [`MAX_TILE_HEIGHT`].
 */
height: number, };

export type SimulcastLayer = { 
/**
 * The RTP stream id (`a=rid`).
 */
rid: string, 
/**
 * Frame height of the layer for a 720p camera.
 */
height: number, 
/**
 * The bitrate the browser caps the layer at, bits per second.
 */
maxBitrate: number, };

export type IceServer = { 
/**
 * `stun:` / `turn:` URLs.
 */
urls: Array<string>, 
/**
 * TURN user name.
 */
username?: string, 
/**
 * TURN password.
 */
credential?: string, };

export type IceServersResult = { 
/**
 * What `RTCPeerConnection` takes, as in `join`'s ack (TURN with its
 * credentials only for a participant of a meeting).
 */
iceServers: Array<IceServer>, 
/**
 * The server has a relay (TURN) whose credentials only participants get:
 * asked before joining, the relay cannot be checked yet.
 */
relayOnJoin: boolean, };

export type Limits = { 
/**
 * Longest name, in characters.
 */
name: number, 
/**
 * Longest room name, in characters.
 */
room: number, 
/**
 * Longest chat message, in characters.
 */
message: number, 
/**
 * Most people in a room.
 */
roomSize: number, 
/**
 * Most people in a peer-to-peer (mesh) call.
 */
meshSize: number, 
/**
 * Largest description or candidate, in bytes of JSON.
 */
sdp: number, 
/**
 * Largest file offered over the data channel, in bytes.
 */
file: number, };

export type ParticipantEvent = { 
/**
 * Who joined or left.
 */
participant: Participant, 
/**
 * People in the room after the change.
 */
count: number, 
/**
 * The room's membership sequence number after the change.
 */
seq: number, 
/**
 * How media travels in the room after the change (a client switches
 * between mesh and SFU when it differs from what it had).
 */
mode: RoomMode, };

export type ParticipantUpdate = { 
/**
 * The participant, as it is now.
 */
participant: Participant, };

export type ChatIn = { 
/**
 * The message.
 */
text: string, };

export type ChatAck = { 
/**
 * Server time, ms since the Unix epoch.
 */
ts: number, 
/**
 * The stored message's id; absent when the server keeps no history.
 */
id?: number, };

export type ChatOut = { 
/**
 * The sender.
 */
from: Participant, 
/**
 * The message.
 */
text: string, 
/**
 * Server time, ms since the Unix epoch.
 */
ts: number, 
/**
 * The stored message's id (the same as in history pages, so a client can
 * tell a live message it already has from a page); absent when not stored.
 */
id?: number, };

export type Author = { 
/**
 * Their participant id at the time (it changes with every connection).
 */
id: string, 
/**
 * Their display name at the time.
 */
name: string, };

export type HistoryMessage = { 
/**
 * Global and ever-growing; pages are cut by it.
 */
id: number, 
/**
 * The author.
 */
from: Author, 
/**
 * The message.
 */
text: string, 
/**
 * Server time, ms since the Unix epoch.
 */
ts: number, };

export type HistoryPage = { 
/**
 * Oldest first.
 */
messages: Array<HistoryMessage>, 
/**
 * Older messages exist: ask with `before` = the first message's id.
 */
more: boolean, };

export type HistoryIn = { 
/**
 * Only messages with a smaller id (a message id from an earlier page);
 * absent: the newest page.
 */
before?: number, 
/**
 * At most this many messages, 1–200 (default 100).
 */
limit?: number, };

export type SignalIn = { 
/**
 * The receiver's participant id.
 */
to: string, 
/**
 * An `RTCSessionDescriptionInit`.
 */
description?: RTCSessionDescriptionInit, 
/**
 * An `RTCIceCandidateInit`; `null` ends the candidates.
 */
candidate?: RTCIceCandidateInit | null, };

export type SignalOut = { 
/**
 * The sender's participant id.
 */
from: string, 
/**
 * An `RTCSessionDescriptionInit`.
 */
description?: RTCSessionDescriptionInit, 
/**
 * An `RTCIceCandidateInit`; `null` ends the candidates.
 */
candidate?: RTCIceCandidateInit | null, };

export type StateIn = { 
/**
 * Microphone on.
 */
audio?: boolean, 
/**
 * Camera on.
 */
video?: boolean, 
/**
 * Sharing a screen.
 */
screen?: boolean, 
/**
 * New display name.
 */
name?: string, };

export type StateResult = { 
/**
 * You, as the others now see you.
 */
participant: Participant, };

export type Empty = Record<symbol, never>;

export type AckError = { 
/**
 * Stable, machine-readable code.
 */
code: string, 
/**
 * A sentence for people.
 */
message: string, };

export type Role = "host" | "cohost" | "guest";

export type MeetingSettings = { 
/**
 * Shown in the home page's room list.
 */
listed: boolean, 
/**
 * Newcomers wait in the lobby until a host admits them.
 */
locked: boolean, 
/**
 * Joining needs the passcode.
 */
hasPasscode: boolean, 
/**
 * People muted by a host may turn their microphone back on themselves.
 */
allowUnmute: boolean, };

export type SettingsIn = { 
/**
 * List or unlist the meeting on the home page.
 */
listed?: boolean, 
/**
 * Lock (newcomers wait in the lobby) or unlock.
 */
locked?: boolean, 
/**
 * A new passcode (1–64 characters), or `""` to remove it.
 */
passcode?: string, 
/**
 * Whether people muted by a host may unmute themselves.
 */
allowUnmute?: boolean, };

export type MeetingUpdate = { 
/**
 * The settings as they are now.
 */
meeting: MeetingSettings, 
/**
 * The name of who changed them.
 */
by: string, };

export type ModerateAction = "mute" | "mute-all" | "allow-speak" | "camera-off" | "stop-screen" | "lower-hand" | "remove" | "make-cohost" | "make-host" | "make-guest" | "step-down";

export type ModerateIn = { 
/**
 * What to do.
 */
action: ModerateAction, 
/**
 * To whom (a participant id); absent for `mute-all` and `step-down`.
 */
participant?: string, };

export type Moderated = { 
/**
 * What was done.
 */
action: ModerateAction, 
/**
 * The name of the host or co-host who did it.
 */
by: string, };

export type KnockIn = { 
/**
 * The meeting.
 */
room: string, 
/**
 * The name hosts see.
 */
name: string, 
/**
 * The browser's key, as in `join`.
 */
key?: string, 
/**
 * The passcode, if the meeting has one.
 */
passcode?: string, };

export type Knocker = { 
/**
 * Their participant id (for `admit` and `deny`).
 */
id: string, 
/**
 * The name they gave.
 */
name: string, 
/**
 * When they started waiting, milliseconds since the Unix epoch.
 */
since: number, 
/**
 * A host removed them earlier; admitting them lifts that.
 */
removed: boolean, };

export type Lobby = { 
/**
 * Who is waiting.
 */
waiting: Array<Knocker>, };

export type LobbyDecision = { 
/**
 * One knocker's id; absent with `all`.
 */
participant?: string, 
/**
 * Everyone waiting.
 */
all?: boolean, };

export type MeetingNotice = { 
/**
 * The meeting.
 */
room: string, 
/**
 * The name of the host who decided (empty when the server did).
 */
by: string, };

export type HandIn = { 
/**
 * Raised (`true`) or lowered.
 */
raised: boolean, };

export type ReactIn = { 
/**
 * One of [`REACTIONS`].
 */
emoji: string, };

export type Reaction = { 
/**
 * Who reacted.
 */
participant: string, 
/**
 * One of [`REACTIONS`].
 */
emoji: string, };

/** The camera's simulcast layers, lowest first (`SIMULCAST_LAYERS`). */
export const SIMULCAST_LAYERS: readonly SimulcastLayer[] = [{"rid":"q","height":180,"maxBitrate":150000},{"rid":"h","height":360,"maxBitrate":500000},{"rid":"f","height":720,"maxBitrate":1500000}];

/** The tallest tile height `sfu-tile` takes. */
export const MAX_TILE_HEIGHT = 4320;

/** The reactions `react` takes (`REACTIONS`). */
export const REACTIONS: readonly string[] = ["👍","👏","😂","❤️","🎉","😮"];
