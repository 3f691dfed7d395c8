/**
 * Wire types of moim's own Socket.IO namespace, `/moim`.
 *
 * The payload types are generated from the Rust ones (`moim-proto`, ts-rs) into
 * `protocol.gen.ts`, and a Rust test fails when that file is stale; this file
 * adds what only the client needs: the event maps, error codes and the
 * default limits. "In" is what the client sends, "Out" what the server pushes.
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
  | 'invalid_page'
  | 'not_stored'
  | 'history_unavailable'
  | 'not_sfu'
  | 'invalid_sdp'
  | 'no_sfu_session'
  | 'no_offer_pending'
  | 'media_unavailable'
  | 'not_host'
  | 'hosts_only'
  | 'no_such_participant'
  | 'removed'
  | 'passcode_required'
  | 'wrong_passcode'
  | 'too_many_attempts'
  | 'invalid_passcode'
  | 'invalid_key'
  | 'locked'
  | 'lobby_full'
  | 'already_waiting'
  | 'not_waiting'
  | 'muted_by_host'
  | 'invalid_reaction'
  | 'invite_required'
  | 'invalid_invite'
  | 'meetings_unavailable'
  | 'internal';

/**
 * Codes the client produces itself, never sent by the server:
 * no answer in time, no connection, or an answer of the wrong shape.
 */
export type ClientErrorCode = 'timeout' | 'disconnected' | 'bad_response';

/** Any error code the UI may have to explain. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

/**
 * The server's refusal. `message` is the server's English prose, shown only
 * for a code this client has no words for; programs look at `code`.
 */
export interface AckError {
  /** Kept as `string` too, so a newer server's code is not a type lie. */
  code: ErrorCode | (string & {});
  message: string;
}

/**
 * An error this client makes itself: a name or message out of bounds, no
 * connection, no answer in time, an answer it cannot read. Only a code and
 * no sentence: the UI puts every code into words from its i18n tables
 * (`errorText` in `i18n/index.ts`), so the engine writes nothing for people
 * to read and nothing is shown in English only.
 */
export interface ClientError {
  code: ErrorCode;
  message?: undefined;
}

/** What went wrong, as the engine reports it: a refusal from the server or an error of this client's own. */
export type RequestError = AckError | ClientError;

/** Every acknowledged event answers with exactly one of these (`bad_response` is the client's, for an answer it cannot read). */
export type Ack<T> = { ok: T } | { error: RequestError };

import type {
  ActiveSpeaker,
  SfuDescription,
  SfuTile,
  HistoryIn,
  HistoryPage,
  ChatAck,
  ChatIn,
  ChatOut,
  Empty,
  IceServersResult,
  HandIn,
  JoinIn,
  JoinResult,
  KnockIn,
  Limits,
  Lobby,
  LobbyDecision,
  MeetingNotice,
  MeetingUpdate,
  ModerateIn,
  Moderated,
  ReactIn,
  Reaction,
  SettingsIn,
  ParticipantEvent,
  ParticipantUpdate,
  RoomSummary,
  SignalIn,
  SignalOut,
  StateIn,
  StateResult,
} from './protocol.gen';

// Every generated type, as is; `AckError` below narrows the generated one.
export type * from './protocol.gen';
// The generated constants.
export { MAX_TILE_HEIGHT, REACTIONS, SIMULCAST_LAYERS } from './protocol.gen';

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

/** Acknowledged client → server events: request payload and ok result. */
export interface Requests {
  join: { in: JoinIn; ok: JoinResult };
  chat: { in: ChatIn; ok: ChatAck };
  leave: { in: Empty; ok: Empty };
  signal: { in: SignalIn; ok: Empty };
  state: { in: StateIn; ok: StateResult };
  history: { in: HistoryIn; ok: HistoryPage };
  'ice-servers': { in: Empty; ok: IceServersResult };
  /** Starts (or restarts) this browser's connection to the SFU; the ack is its answer. */
  'sfu-offer': { in: SfuDescription; ok: SfuDescription };
  /** Answers the SFU's `sfu-offer` event. */
  'sfu-answer': { in: SfuDescription; ok: Empty };
  /** How tall this browser draws someone's camera, for the SFU's layer choice. */
  'sfu-tile': { in: SfuTile; ok: Empty };
  /** Waits in a locked meeting's lobby (see "Hosts and guests"). */
  knock: { in: KnockIn; ok: Empty };
  /** Hosts and co-hosts: change the meeting's settings. */
  settings: { in: SettingsIn; ok: MeetingUpdate };
  /** Hosts and co-hosts: act on someone (or everyone, or oneself). */
  moderate: { in: ModerateIn; ok: Empty };
  /** Hosts and co-hosts: let a knocker in, or turn them away. */
  admit: { in: LobbyDecision; ok: Empty };
  deny: { in: LobbyDecision; ok: Empty };
  /** Hosts: end the meeting for everyone. */
  end: { in: Empty; ok: Empty };
  /** Raise or lower one's hand. */
  /** The ack may carry us as the room now sees us (`participant-updated`'s shape). */
  hand: { in: HandIn; ok: Empty | ParticipantUpdate };
  /** Send a reaction to the room. */
  react: { in: ReactIn; ok: Empty };
}

/** Events the server pushes, each with its one argument. */
export interface ServerEvents {
  rooms: RoomSummary[];
  'participant-joined': ParticipantEvent;
  'participant-left': ParticipantEvent;
  'participant-updated': ParticipantUpdate;
  chat: ChatOut;
  signal: SignalOut;
  /** The SFU renegotiates: answer with `sfu-answer`. */
  'sfu-offer': SfuDescription;
  /**
   * Cluster: the SFU connection is gone for good (the meeting moved to
   * another node, or its node died): open a new one now.
   */
  'sfu-reconnect': Empty;
  'active-speaker': ActiveSpeaker;
  /** The meeting's settings changed (and who changed them). */
  'meeting-updated': MeetingUpdate;
  /** A host or co-host acted on you. */
  moderated: Moderated;
  /** Hosts and co-hosts: who waits in the lobby now. */
  lobby: Lobby;
  /** The knock was answered: `join` again, or go. */
  admitted: MeetingNotice;
  denied: MeetingNotice;
  /** A host removed you from the meeting, or ended it for everyone. */
  removed: MeetingNotice;
  ended: MeetingNotice;
  reaction: Reaction;
}
