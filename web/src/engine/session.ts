/**
 * RoomSession: the client model of moim's home page and of one room.
 *
 * It owns the state the UI shows (room list, current room, participants, chat
 * log, connection) as one immutable snapshot, replaced on every change, so
 * React can read it with `useSyncExternalStore` and tests can read it plainly.
 * All network talk goes through a `SignalClient`; nothing here knows about
 * sockets, the DOM or React.
 */
import { Emitter } from './emitter';
import type { AckError, Limits, Participant, ParticipantEvent, RoomSummary } from './protocol';
import { DEFAULT_LIMITS } from './protocol';
import { SignalError, type ConnectionState, type SignalClient } from './signal';
import { isValidMessage, isValidName } from './text';

/** One line of the chat log. `id` is unique within a session (a list key). */
export type ChatEntry =
  | { id: number; kind: 'self'; text: string; ts: number }
  | { id: number; kind: 'other'; from: Participant; text: string; ts: number }
  | { id: number; kind: 'joined' | 'left'; participant: Participant; count: number }
  | { id: number; kind: 'error'; error: AckError };

/** Any chat entry before it is given its id. */
type NewEntry = DistributiveOmitId<ChatEntry>;
type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface RoomState {
  name: string;
  you: Participant;
  /** The others in the room, not you. */
  participants: readonly Participant[];
  /** Everyone in the room, you included, as last told by the server. */
  count: number;
  limits: Limits;
  /** Between losing the connection and the answer to the automatic rejoin. */
  rejoining: boolean;
  /** The last membership sequence number applied (see `ParticipantEvent.seq`). */
  seq: number;
}

export type Phase = 'home' | 'joining' | 'room';

export interface SessionSnapshot {
  connection: ConnectionState;
  rooms: readonly RoomSummary[];
  phase: Phase;
  room: RoomState | null;
  log: readonly ChatEntry[];
  /** Why the last join (or automatic rejoin) failed; cleared by the next join. */
  joinError: AckError | null;
}

export interface SessionEvents {
  /** The snapshot was replaced. */
  change: SessionSnapshot;
  /** A line was added to the chat log. */
  entry: ChatEntry;
}

/** Old lines are dropped past this, so a long meeting cannot grow without bound. */
export const MAX_LOG_ENTRIES = 1000;

function toAckError(err: unknown): AckError {
  if (err instanceof SignalError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export class RoomSession {
  private readonly events = new Emitter<SessionEvents>();
  private snap: SessionSnapshot;
  private nextEntryId = 1;
  /** Bumped by every join and leave, so late answers to old requests are ignored. */
  private epoch = 0;
  /**
   * Membership events that arrive while a join is on its way: the server may
   * send them before our ack. Applied after the ack when newer than its snapshot.
   */
  private early: Array<{ kind: 'joined' | 'left'; ev: ParticipantEvent }> = [];

  constructor(private readonly signal: SignalClient) {
    this.snap = { connection: signal.state, rooms: [], phase: 'home', room: null, log: [], joinError: null };
    signal.on('state', (connection) => this.onState(connection));
    signal.on('connect', ({ reconnect }) => {
      if (reconnect) void this.rejoin();
    });
    signal.on('rooms', (rooms) => this.update({ rooms }));
    signal.on('participant-joined', (ev) => this.onParticipant('joined', ev));
    signal.on('participant-left', (ev) => this.onParticipant('left', ev));
    signal.on('chat', (msg) => {
      if (this.snap.phase === 'room') this.append({ kind: 'other', from: msg.from, text: msg.text, ts: msg.ts });
    });
  }

  /** Current state; the same object until something changes. */
  getSnapshot = (): SessionSnapshot => this.snap;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.events.on('change', () => listener());

  on<K extends keyof SessionEvents>(event: K, listener: (value: SessionEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Joins `room` as `name` (both trimmed). Resolves true once in the room;
   * false on refusal, with the reason in `joinError`. Waits for the first
   * connection if the page has only just opened.
   */
  async join(room: string, name: string): Promise<boolean> {
    room = room.trim();
    name = name.trim();
    if (this.snap.phase === 'joining') return false;
    const fail = (error: AckError) => {
      this.update({ joinError: error });
      return false;
    };
    if (!isValidName(name, DEFAULT_LIMITS.name)) {
      return fail({ code: 'invalid_name', message: `Nickname must be 1–${DEFAULT_LIMITS.name} characters.` });
    }
    if (!isValidName(room, DEFAULT_LIMITS.room)) {
      return fail({ code: 'invalid_room', message: `Room name must be 1–${DEFAULT_LIMITS.room} characters.` });
    }

    const epoch = ++this.epoch;
    const before = this.snap.phase;
    this.early = [];
    this.update({ phase: 'joining', joinError: null });
    let error: AckError;
    try {
      // Only await when needed: a join while connected is sent at once.
      if (!this.signal.connected) await this.signal.waitConnected();
      const ack = await this.signal.request('join', { room, name });
      if (epoch !== this.epoch) return false;
      if ('ok' in ack) {
        const { room: joined, you, participants, limits, seq } = ack.ok;
        const state: RoomState = { name: joined, you, participants, count: participants.length + 1, limits, rejoining: false, seq };
        this.update({ phase: 'room', room: state, log: [] });
        this.applyEarly();
        return true;
      }
      error = ack.error;
    } catch (err) {
      if (epoch !== this.epoch) return false;
      error = toAckError(err);
    }
    // A refused join changes nothing on the server: we are where we were.
    this.update({ phase: before === 'room' && this.snap.room ? 'room' : 'home' });
    return fail(error);
  }

  /**
   * Sends a chat message. Resolves true once the server accepted it (and it is
   * in the log as your own); a refusal becomes an `error` line in the log.
   * A blank message is ignored.
   */
  async send(text: string): Promise<boolean> {
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room || text.trim() === '') return false;
    if (!isValidMessage(text, room.limits.message)) {
      this.appendError({ code: 'invalid_message', message: `Message too long (max ${room.limits.message} characters).` });
      return false;
    }
    if (!this.signal.connected || room.rejoining) {
      this.appendError({ code: 'disconnected', message: 'Not connected; the message was not sent.' });
      return false;
    }
    const epoch = this.epoch;
    try {
      const ack = await this.signal.request('chat', { text });
      if (epoch !== this.epoch) return false;
      if ('ok' in ack) {
        this.append({ kind: 'self', text, ts: ack.ok.ts });
        return true;
      }
      this.appendError(ack.error);
    } catch (err) {
      if (epoch === this.epoch) this.appendError(toAckError(err));
    }
    return false;
  }

  /**
   * Leaves the room at once, without waiting for the server: whatever it
   * answers, we are out. Not told at all when disconnected, because the
   * server forgot us when we dropped.
   */
  leave(): void {
    if (this.snap.phase === 'home') return;
    this.epoch++;
    this.update({ phase: 'home', room: null, log: [] });
    if (this.signal.connected) this.signal.request('leave', {}).catch(() => undefined);
  }

  /** Closes the connection for good (page unload, tests). */
  close(): void {
    this.signal.close();
    this.events.clear();
  }

  private onState(connection: ConnectionState): void {
    const room = this.snap.room;
    const lost = connection !== 'connected' && room !== null && this.snap.phase === 'room';
    this.update(lost ? { connection, room: { ...room, rejoining: true } } : { connection });
  }

  /** After a reconnect: the server forgot us, so join the same room as the same name. */
  private async rejoin(): Promise<void> {
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room) return;
    const epoch = this.epoch;
    this.early = [];
    let error: AckError;
    try {
      const ack = await this.signal.request('join', { room: room.name, name: room.you.name });
      if (epoch !== this.epoch) return;
      const current = this.snap.room;
      if (!current) return;
      if ('ok' in ack) {
        const { you, participants, limits, seq } = ack.ok;
        this.update({ room: { ...current, you, participants, count: participants.length + 1, limits, rejoining: false, seq } });
        this.applyEarly();
        return;
      }
      error = ack.error;
    } catch (err) {
      if (epoch !== this.epoch) return;
      // Dropped again before the answer: the next connect tries once more.
      if (err instanceof SignalError && err.code === 'disconnected') return;
      error = toAckError(err);
    }
    this.epoch++;
    this.update({ phase: 'home', room: null, log: [], joinError: error });
  }

  private onParticipant(kind: 'joined' | 'left', ev: ParticipantEvent): void {
    const room = this.snap.room;
    if (this.snap.phase === 'joining' || room?.rejoining) {
      this.early.push({ kind, ev });
      return;
    }
    if (this.snap.phase !== 'room' || !room) return;
    // Already part of the join snapshot, or delivered twice.
    if (ev.seq <= room.seq) return;
    const others = room.participants.filter((p) => p.id !== ev.participant.id);
    const participants = kind === 'joined' ? [...others, ev.participant] : others;
    this.update({ room: { ...room, participants, count: ev.count, seq: ev.seq } });
    this.append({ kind, participant: ev.participant, count: ev.count });
  }

  /** Replays the membership events that overtook the join's ack. */
  private applyEarly(): void {
    const early = this.early;
    this.early = [];
    for (const { kind, ev } of early) this.onParticipant(kind, ev);
  }

  private appendError(error: AckError): void {
    this.append({ kind: 'error', error });
  }

  private append(entry: NewEntry): void {
    const full = { ...entry, id: this.nextEntryId++ } as ChatEntry;
    const log = [...this.snap.log, full];
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
    this.update({ log });
    this.events.emit('entry', full);
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    this.events.emit('change', this.snap);
  }
}
