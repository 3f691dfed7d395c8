/**
 * Wire types of moim's own Socket.IO namespace, `/moim`.
 *
 * Hand-written from `docs/protocol.md` for now; the Rust side will generate
 * them later (ts-rs), and a check will keep both in step. Names follow the
 * document: "In" is what the client sends, "Out" is what the server pushes.
 */

/** The namespace moim's web UI talks to (same origin as the page). */
export const NAMESPACE = '/moim';

/** Stable error codes sent by the server in a refused ack. */
export type ServerErrorCode =
  | 'invalid_payload'
  | 'invalid_name'
  | 'invalid_room'
  | 'invalid_message'
  | 'too_large'
  | 'not_in_room'
  | 'room_full'
  | 'rate_limited'
  | 'internal';

/**
 * Codes the client produces itself, never sent by the server:
 * no answer in time, no connection, or an answer of the wrong shape.
 */
export type ClientErrorCode = 'timeout' | 'disconnected' | 'bad_response';

/** Any error code the UI may have to explain. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

/** `message` is English prose for people; programs look at `code`. */
export interface AckError {
  /** Kept as `string` too, so a newer server's code is not a type lie. */
  code: ErrorCode | (string & {});
  message: string;
}

/** Every acknowledged event answers with exactly one of these. */
export type Ack<T> = { ok: T } | { error: AckError };

/** Someone in a room, with what they are sending right now. */
export interface Participant {
  id: string;
  name: string;
  /** The microphone is on (not muted). */
  audio: boolean;
  /** The camera is on. */
  video: boolean;
  /** A screen is being shared. */
  screen: boolean;
}

export interface RoomSummary {
  name: string;
  count: number;
}

/** Server-side limits, announced in the join ack. */
export interface Limits {
  name: number;
  room: number;
  message: number;
  roomSize: number;
  /** Most people in a peer-to-peer (mesh) call; a join beyond it is `room_full`. */
  meshSize: number;
  /** Largest signaling payload (SDP), in bytes. */
  sdp: number;
  /** Largest file sent over the `files` data channel, in bytes. */
  file: number;
}

/** The limits from the protocol document, for checks before anything is sent. */
export const DEFAULT_LIMITS: Limits = {
  name: 32,
  room: 64,
  message: 4000,
  roomSize: 50,
  meshSize: 6,
  sdp: 65536,
  file: 104857600,
};

/** What `RTCPeerConnection` takes as `iceServers`, from the server's options. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** `join` (client → server). `audio` / `video` default to true on the server. */
export interface JoinIn {
  room: string;
  name: string;
  audio?: boolean;
  video?: boolean;
}

/** `join` ack result. `participants` are the others, not you. */
export interface JoinResult {
  room: string;
  you: Participant;
  participants: Participant[];
  /** The room's membership sequence number when the snapshot was taken. */
  seq: number;
  iceServers: IceServer[];
  limits: Limits;
}

/** `participant-joined` / `participant-left` (server → others in the room). */
export interface ParticipantEvent {
  participant: Participant;
  /** Room size after the event. */
  count: number;
  /**
   * The room's membership sequence number after the event. Events with a seq at
   * or below a join snapshot's seq are already in that snapshot.
   */
  seq: number;
}

/** `participant-updated` (server → others in the room): someone's new state. */
export interface ParticipantUpdate {
  participant: Participant;
}

/** `chat` (client → server). */
export interface ChatIn {
  text: string;
}

/** `chat` ack result: server time in ms since the Unix epoch. */
export interface ChatAck {
  ts: number;
}

/** `chat` (server → others in the room). */
export interface ChatOut {
  from: Participant;
  text: string;
  ts: number;
}

/** `leave` takes `{}` and answers `{}`. */
export type Empty = Record<string, never>;

/**
 * `signal` (client → server): exactly one of `description` or `candidate`
 * (`null` is end-of-candidates), delivered to participant `to` alone.
 */
export interface SignalIn {
  to: string;
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit | null;
}

/** `signal` (server → one client): what `from` sent to us. */
export interface SignalOut {
  from: string;
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit | null;
}

/** `state` (client → server): any of these; the rest stays as it was. */
export interface StateIn {
  audio?: boolean;
  video?: boolean;
  screen?: boolean;
  name?: string;
}

/** `state` ack result: you, as the others now see you. */
export interface StateResult {
  participant: Participant;
}

/** Acknowledged client → server events: request payload and ok result. */
export interface Requests {
  join: { in: JoinIn; ok: JoinResult };
  chat: { in: ChatIn; ok: ChatAck };
  leave: { in: Empty; ok: Empty };
  signal: { in: SignalIn; ok: Empty };
  state: { in: StateIn; ok: StateResult };
}

/** Events the server pushes, each with its one argument. */
export interface ServerEvents {
  rooms: RoomSummary[];
  'participant-joined': ParticipantEvent;
  'participant-left': ParticipantEvent;
  'participant-updated': ParticipantUpdate;
  chat: ChatOut;
  signal: SignalOut;
}
