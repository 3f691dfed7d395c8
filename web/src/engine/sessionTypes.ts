/**
 * The shapes of `RoomSession`'s snapshot and events: what the UI reads.
 * Apart from the class so each file stays about one thing.
 */
import type { ChatEntry, HistoryState } from './chatLog';
import type { IceServer, Knocker, Limits, MeetingSettings, Moderated, Participant, Reaction, RequestError, RoomMode, RoomSummary } from './protocol';
import type { ConnectionState } from './signal';

export type { ChatEntry } from './chatLog';

export interface RoomState {
  name: string;
  you: Participant;
  /**
   * How media travels now: peer to peer, or through moim's SFU. Told by the
   * join's ack and every membership event; the call follows it on its own.
   */
  mode: RoomMode;
  /** The others in the room, not you. */
  participants: readonly Participant[];
  /** Everyone in the room, you included, as last told by the server. */
  count: number;
  limits: Limits;
  /** For `RTCPeerConnection`, from the join's ack. */
  iceServers: readonly IceServer[];
  /** Between losing the connection and the answer to the automatic rejoin. */
  rejoining: boolean;
  /** The last membership sequence number applied (see `ParticipantEvent.seq`). */
  seq: number;
  /** Older chat exists on the server (`loadOlder`), and whether a page is on its way. */
  history: HistoryState;
  /** The meeting's settings (listed, locked, passcode, allow unmute). */
  meeting: MeetingSettings;
  /** Who waits in the lobby (hosts and co-hosts only; empty for guests). */
  lobby: readonly Knocker[];
}

/** `lobby`: knocked on a locked meeting, waiting for a host to let us in. */
export type Phase = 'home' | 'joining' | 'lobby' | 'room';

/** The knock this page is waiting on (also while joining once admitted). */
export interface Waiting {
  room: string;
  name: string;
  /** When we started waiting, ms since the Unix epoch (this clock). */
  since: number;
  /** A host let us in: the join is on its way. */
  admitted: boolean;
}

/**
 * Why we are out of a meeting for good: a host removed us (or our join was
 * refused as removed), a host ended it for everyone, or turned our knock away.
 */
export interface MeetingOver {
  kind: 'removed' | 'ended' | 'denied';
  room: string;
  /** The host's name; empty when the server decided. */
  by: string;
}

/**
 * What this client sends, as the others should see it. Kept by the session so
 * that an automatic rejoin announces the current state, not the first one.
 */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface SessionSnapshot {
  connection: ConnectionState;
  rooms: readonly RoomSummary[];
  phase: Phase;
  room: RoomState | null;
  log: readonly ChatEntry[];
  /** Why the last join (or automatic rejoin) failed; cleared by the next join. */
  joinError: RequestError | null;
  /** Waiting in a meeting's lobby, or null. */
  waiting: Waiting | null;
  /** Out of a meeting by a host's decision; cleared by the next join or `dismissNotice`. */
  notice: MeetingOver | null;
}

export interface SessionEvents {
  /** The snapshot was replaced. */
  change: SessionSnapshot;
  /** A line was added to the chat log. */
  entry: ChatEntry;
  /** A host or co-host acted on you (the call turns the mic, camera or share off). */
  moderated: Moderated;
  /** Someone (you too) reacted. */
  reaction: Reaction;
}
