// Generated from crates/moim-proto by `UPDATE_PROTOCOL=1 cargo test -p moim-proto`.
// Do not edit: change the Rust types and regenerate.

export type Participant = { 
/**
 * Stable for the connection (the socket id).
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
joined: number, };

export type RoomSummary = { 
/**
 * Room name.
 */
name: string, 
/**
 * People in it.
 */
count: number, };

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
video?: boolean, };

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
mode: RoomMode, };

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

/** The camera's simulcast layers, lowest first (`SIMULCAST_LAYERS`). */
export const SIMULCAST_LAYERS: readonly SimulcastLayer[] = [{"rid":"q","height":180,"maxBitrate":150000},{"rid":"h","height":360,"maxBitrate":500000},{"rid":"f","height":720,"maxBitrate":1500000}];

/** The tallest tile height `sfu-tile` takes. */
export const MAX_TILE_HEIGHT = 4320;
