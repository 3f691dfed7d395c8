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

export interface Participant {
  id: string;
  name: string;
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
}

/** The limits from the protocol document, for checks before anything is sent. */
export const DEFAULT_LIMITS: Limits = { name: 32, room: 64, message: 4000, roomSize: 50 };

/** `join` (client → server). */
export interface JoinIn {
  room: string;
  name: string;
}

/** `join` ack result. `participants` are the others, not you. */
export interface JoinResult {
  room: string;
  you: Participant;
  participants: Participant[];
  /** The room's membership sequence number when the snapshot was taken. */
  seq: number;
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

/** Acknowledged client → server events: request payload and ok result. */
export interface Requests {
  join: { in: JoinIn; ok: JoinResult };
  chat: { in: ChatIn; ok: ChatAck };
  leave: { in: Empty; ok: Empty };
}

/** Events the server pushes, each with its one argument. */
export interface ServerEvents {
  rooms: RoomSummary[];
  'participant-joined': ParticipantEvent;
  'participant-left': ParticipantEvent;
  chat: ChatOut;
}
