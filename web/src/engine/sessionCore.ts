/**
 * SessionCore: the client model of moim's home page and of one room (the
 * hosts' part, the lobby and the notices, is `RoomSession` in `session.ts`).
 *
 * It owns the state the UI shows (room list, current room, participants, chat
 * log, connection) as one immutable snapshot, replaced on every change, so
 * React can read it with `useSyncExternalStore` and tests can read it plainly.
 * The chat log's lines and history paging are kept by a `ChatLog`
 * (`chatLog.ts`); the session starts and clears it and mirrors it into the
 * snapshot.
 * All network talk goes through a `SignalClient`; nothing here knows about
 * sockets, the DOM or React.
 */
import { ChatLog, type ChatEntry } from './chatLog';
import { Emitter } from './emitter';
import type {
  Ack,
  IceServer,
  IceServersResult,
  JoinIn,
  JoinResult,
  MeetingNotice,
  Participant,
  ParticipantEvent,
  RequestError,
  StateIn,
} from './protocol';
import { DEFAULT_LIMITS } from './protocol';
import { refreshDelayMs } from './iceRefresh';
import type { MeetingOver, MediaState, RoomState, SessionEvents, SessionSnapshot } from './sessionTypes';
import { SignalError, toClientError, type ConnectionState, type SignalClient } from './signal';
import { mark } from './marks';
import { isValidMessage, isValidName } from './text';

export interface SessionOptions {
  /** The browser's key (`browserKey.ts`), sent in every join and knock. */
  key?: string;
  /** The page's invitation token (`?invite=`). */
  invite?: string;
}

export abstract class SessionCore {
  protected readonly events = new Emitter<SessionEvents>();
  protected snap: SessionSnapshot;
  /** The chat's lines and history paging; mirrored into `snap.log` and `snap.room.history`. */
  protected readonly chat = new ChatLog((added) => this.onChatChanged(added));
  /** Bumped by every join and leave, so late answers to old requests are ignored. */
  protected epoch = 0;
  /**
   * Membership events that arrive while a join is on its way: the server may
   * send them before our ack. Applied after the ack when newer than its snapshot.
   */
  private early: Array<{ kind: 'joined' | 'left'; ev: ParticipantEvent } | { kind: 'updated'; participant: Participant }> = [];
  /** The media state to announce; null when joined without one (a chat-only client). */
  protected media: MediaState | null = null;
  /** Fetches fresh TURN credentials while in a room (see `iceRefresh.ts`). */
  private iceTimer: ReturnType<typeof setTimeout> | null = null;
  /** The passcode the person typed for the current meeting, for rejoins. */
  protected passcode: string | undefined;
  constructor(
    protected readonly signal: SignalClient,
    private readonly options: SessionOptions = {},
  ) {
    this.snap = {
      connection: signal.state,
      rooms: [],
      phase: 'home',
      room: null,
      log: [],
      joinError: null,
      waiting: null,
      notice: null,
    };
    signal.on('state', (connection) => this.onState(connection));
    signal.on('connect', ({ reconnect }) => {
      if (reconnect) void this.rejoin();
    });
    signal.on('rooms', (rooms) => this.update({ rooms }));
    signal.on('participant-joined', (ev) => this.onParticipant('joined', ev));
    signal.on('participant-left', (ev) => this.onParticipant('left', ev));
    signal.on('participant-updated', ({ participant }) => this.onUpdated(participant));
    signal.on('chat', (msg) => {
      if (this.snap.phase === 'room') this.chat.addLive(msg);
    });
  }

  /** Waits in `room`'s lobby (`session.ts`); resolves false, the phase says whether it waits. */
  protected abstract sendKnock(epoch: number, room: string, name: string): Promise<boolean>;

  /** Out of the meeting (or its lobby) by a host's decision. */
  protected abstract over(kind: MeetingOver['kind'], notice: MeetingNotice): void;

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
   * connection if the page has only just opened. `media` is the state to
   * join with (muted, camera off); without it the server's defaults apply.
   * `passcode`: the meeting's, when it has one (the refusal
   * `passcode_required` asks for it). A locked meeting is knocked on at
   * once: the phase becomes `lobby`, and the join is sent again by itself
   * when a host lets us in (the promise resolves false before that).
   */
  async join(room: string, name: string, media?: Omit<MediaState, 'screen'>, passcode?: string): Promise<boolean> {
    room = room.trim();
    name = name.trim();
    if (this.snap.phase === 'joining') return false;
    this.passcode = passcode === undefined || passcode === '' ? undefined : passcode;
    const fail = (error: RequestError) => {
      this.update({ joinError: error });
      return false;
    };
    if (!isValidName(name, DEFAULT_LIMITS.name)) {
      return fail({ code: 'invalid_name' });
    }
    if (!isValidName(room, DEFAULT_LIMITS.room)) {
      return fail({ code: 'invalid_room' });
    }

    const epoch = ++this.epoch;
    const before = this.snap.phase;
    this.early = [];
    this.media = media ? { ...media, screen: false } : null;
    this.update({ phase: 'joining', joinError: null, notice: null });
    let error: RequestError;
    try {
      mark('join-sent');
      const ack = await this.requestJoin({ room, name, ...media, ...this.credentials() });
      if (epoch !== this.epoch) return false;
      if ('ok' in ack) {
        mark('join-ack');
        const { room: joined, you, participants, limits, seq, iceServers, history, mode, meeting, lobby } = ack.ok;
        // The room's recent chat first, then whatever happens from now on.
        this.chat.start(history);
        const state: RoomState = {
          name: joined,
          mode,
          you,
          participants,
          count: participants.length + 1,
          limits,
          iceServers,
          rejoining: false,
          seq,
          history: this.chat.history,
          meeting,
          lobby,
        };
        this.update({ phase: 'room', room: state, log: this.chat.lines, waiting: null });
        this.scheduleIceRefresh(iceServers);
        this.applyEarly();
        this.announceMedia(you);
        return true;
      }
      error = ack.error;
    } catch (err) {
      if (epoch !== this.epoch) return false;
      error = toClientError(err);
    }
    if (error.code === 'locked') return this.sendKnock(epoch, room, name);
    // A refused join changes nothing on the server: we are where we were.
    this.update({ phase: before === 'room' && this.snap.room ? 'room' : 'home', waiting: null });
    if (error.code === 'removed') {
      this.update({ notice: { kind: 'removed', room, by: '' } });
      return false;
    }
    return fail(error);
  }

  /** What every join and knock carries besides the room and the name. */
  protected credentials(): Pick<JoinIn, 'key' | 'passcode' | 'invite'> {
    const { key, invite } = this.options;
    return {
      ...(key === undefined ? {} : { key }),
      ...(this.passcode === undefined ? {} : { passcode: this.passcode }),
      ...(invite === undefined ? {} : { invite }),
    };
  }

  /**
   * Sends a join once connected. A connection lost before the answer (a
   * network blip as the person clicks "Join") took the join with it on the
   * server, so it is sent once more after reconnecting; waiting for the
   * connection gives up after the signaling timeout.
   */
  private async requestJoin(payload: JoinIn): Promise<Ack<JoinResult>> {
    // Only await when needed: a join while connected is sent at once.
    if (!this.signal.connected) await this.signal.waitConnected();
    try {
      return await this.signal.request('join', payload);
    } catch (err) {
      if (!(err instanceof SignalError) || err.code !== 'disconnected') throw err;
      await this.signal.waitConnected();
      return this.signal.request('join', payload);
    }
  }

  /**
   * The server's ICE configuration for this connection, for the pre-join
   * connectivity check; null when there is no answer. Before joining it has
   * no TURN credentials (only participants get them): `relayOnJoin` says
   * whether a relay exists all the same.
   */
  async iceServers(): Promise<IceServersResult | null> {
    try {
      const ack = await this.signal.request('ice-servers', {});
      return 'ok' in ack ? ack.ok : null;
    } catch {
      return null;
    }
  }

  /** Asks for fresh TURN credentials halfway through the life of `servers`'. */
  private scheduleIceRefresh(servers: readonly IceServer[]): void {
    this.stopIceRefresh();
    const delay = refreshDelayMs(servers, Date.now());
    if (delay === null) return;
    const epoch = this.epoch;
    this.iceTimer = setTimeout(() => void this.refreshIce(epoch), delay);
  }

  protected stopIceRefresh(): void {
    if (this.iceTimer !== null) clearTimeout(this.iceTimer);
    this.iceTimer = null;
  }

  private async refreshIce(epoch: number): Promise<void> {
    this.iceTimer = null;
    const room = this.snap.room;
    if (epoch !== this.epoch || this.snap.phase !== 'room' || !room) return;
    // Away: the rejoin brings fresh ones.
    if (!this.signal.connected || room.rejoining) return;
    const fresh = await this.iceServers();
    const current = this.snap.room;
    if (epoch !== this.epoch || !current) return;
    if (fresh && fresh.iceServers.length > 0 && !current.rejoining) {
      this.update({ room: { ...current, iceServers: fresh.iceServers } });
      this.scheduleIceRefresh(fresh.iceServers);
    } else {
      this.scheduleIceRefresh(current.iceServers);
    }
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
      this.chat.addError({ code: 'invalid_message' });
      return false;
    }
    if (!this.signal.connected || room.rejoining) {
      this.chat.addError({ code: 'disconnected' });
      return false;
    }
    const epoch = this.epoch;
    try {
      const ack = await this.signal.request('chat', { text });
      if (epoch !== this.epoch) return false;
      if ('ok' in ack) {
        this.chat.addOwn(text, ack.ok);
        return true;
      }
      this.chat.addError(ack.error);
    } catch (err) {
      if (epoch === this.epoch) this.chat.addError(toClientError(err));
    }
    return false;
  }

  /**
   * Fetches the page of chat before the oldest line shown and puts it on top.
   * Resolves true when a page came; false when there is nothing older, a page
   * is already on its way, or the server refused (an `error` line says why).
   */
  async loadOlder(): Promise<boolean> {
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room || !this.signal.connected || room.rejoining) return false;
    return this.chat.loadOlder((request) => this.signal.request('history', request));
  }

  /**
   * Announces a change of what this client sends (mute, camera, screen). The
   * wish is kept even when it cannot be sent now: the automatic rejoin after a
   * reconnect carries it. Resolves true once the server has it.
   */
  async setMedia(patch: Partial<MediaState>): Promise<boolean> {
    if (this.media) this.media = { ...this.media, ...patch };
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room || room.rejoining || !this.signal.connected) return false;
    return this.sendState(patch);
  }

  /**
   * Leaves the room at once, without waiting for the server: whatever it
   * answers, we are out. Not told at all when disconnected, because the
   * server forgot us when we dropped.
   */
  leave(): void {
    if (this.snap.phase === 'home') return;
    this.epoch++;
    this.media = null;
    this.stopIceRefresh();
    this.chat.clear();
    this.update({ phase: 'home', room: null, log: this.chat.lines, waiting: null });
    // Also withdraws a knock.
    if (this.signal.connected) this.signal.request('leave', {}).catch(() => undefined);
  }

  /** Closes the connection for good (page unload, tests). */
  close(): void {
    this.stopIceRefresh();
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
    const waiting = this.snap.waiting;
    // The server forgot our knock too: knock again, still waiting since then.
    if (this.snap.phase === 'lobby' && waiting) return void this.sendKnock(this.epoch, waiting.room, waiting.name);
    if (this.snap.phase !== 'room' || !room) return;
    const epoch = this.epoch;
    this.early = [];
    let error: RequestError;
    try {
      const wanted = this.media;
      const media = wanted ? { audio: wanted.audio, video: wanted.video } : {};
      // `replaces`: if our old connection is still listed (it dropped, or
      // its server died, before anyone noticed), this join takes its place
      // and its name instead of sitting beside it as "Mina (2)".
      const ack = await this.signal.request('join', {
        room: room.name,
        name: room.you.name,
        ...media,
        ...this.credentials(),
        replaces: room.you.id,
      });
      if (epoch !== this.epoch) return;
      const current = this.snap.room;
      if (!current) return;
      if ('ok' in ack) {
        const { you, participants, limits, seq, iceServers, history, mode, meeting, lobby } = ack.ok;
        const count = participants.length + 1;
        const next = { ...current, you, participants, count, limits, iceServers, rejoining: false, seq, mode, meeting, lobby };
        this.update({ room: next });
        this.scheduleIceRefresh(iceServers);
        // Back in the room: "not connected" lines are no longer true.
        this.chat.clearConnectionErrors();
        this.chat.addMissed(history);
        this.applyEarly();
        this.announceMedia(you);
        return;
      }
      error = ack.error;
    } catch (err) {
      if (epoch !== this.epoch) return;
      // Dropped again before the answer: the next connect tries once more.
      if (err instanceof SignalError && err.code === 'disconnected') return;
      error = toClientError(err);
    }
    if (error.code === 'removed') return this.over('removed', { room: room.name, by: '' });
    if (error.code === 'locked') {
      // Let in through the lock before the connection dropped: knock again.
      const epoch = ++this.epoch;
      this.stopIceRefresh();
      this.chat.clear();
      this.update({ phase: 'joining', room: null, log: this.chat.lines });
      return void this.sendKnock(epoch, room.name, room.you.name);
    }
    this.epoch++;
    this.media = null;
    this.stopIceRefresh();
    this.chat.clear();
    this.update({ phase: 'home', room: null, log: this.chat.lines, joinError: error });
  }

  /**
   * The join carries audio and video only; a screen share (or a change made
   * while the join was on its way) follows as a state update.
   */
  private announceMedia(you: Participant): void {
    const diff = this.media ? mediaDiff(you, this.media) : null;
    if (diff) void this.sendState(diff);
  }

  private async sendState(patch: StateIn): Promise<boolean> {
    const epoch = this.epoch;
    try {
      const ack = await this.signal.request('state', patch);
      const room = this.snap.room;
      if (epoch !== this.epoch || !room || !('ok' in ack)) return false;
      // Only while still the same participant (a rejoin gives a new id).
      if (ack.ok.participant.id === room.you.id) this.update({ room: { ...room, you: ack.ok.participant } });
      return true;
    } catch {
      // Not sent: the next rejoin announces the wanted state.
      return false;
    }
  }

  /** Someone's media state changed; a change of our own is applied by `state`'s ack. */
  private onUpdated(participant: Participant): void {
    const room = this.snap.room;
    if (this.snap.phase === 'joining' || room?.rejoining) {
      this.early.push({ kind: 'updated', participant });
      return;
    }
    if (this.snap.phase !== 'room' || !room) return;
    if (participant.id === room.you.id) {
      // Our role, hand and lock as the room sees them; our media is ours to say.
      const { role, hand, audioLocked } = participant;
      this.update({ room: { ...room, you: { ...room.you, role, hand, audioLocked } } });
      return;
    }
    if (!room.participants.some((p) => p.id === participant.id)) return;
    const participants = room.participants.map((p) => (p.id === participant.id ? participant : p));
    this.update({ room: { ...room, participants } });
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
    this.update({ room: { ...room, participants, count: ev.count, seq: ev.seq, mode: ev.mode } });
    this.chat.addNotice(kind, ev.participant, ev.count);
  }

  /** Replays the membership events that overtook the join's ack. */
  private applyEarly(): void {
    const early = this.early;
    this.early = [];
    for (const e of early) {
      if (e.kind === 'updated') this.onUpdated(e.participant);
      else this.onParticipant(e.kind, e.ev);
    }
  }

  /**
   * Publishes a change the chat log made on its own. The room is replaced
   * only when its paging state changed, so a chat line does not look like a
   * change of the room to the UI.
   */
  private onChatChanged(added: ChatEntry | null): void {
    const room = this.snap.room;
    const history = this.chat.history;
    this.update(room && room.history !== history ? { log: this.chat.lines, room: { ...room, history } } : { log: this.chat.lines });
    if (added) this.events.emit('entry', added);
  }

  protected update(patch: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    this.events.emit('change', this.snap);
  }
}

/** The fields of `wanted` that `you` does not show yet, or null when none. */
function mediaDiff(you: Participant, wanted: MediaState): Partial<MediaState> | null {
  const diff: Partial<MediaState> = {};
  for (const key of ['audio', 'video', 'screen'] as const) {
    if (you[key] !== wanted[key]) diff[key] = wanted[key];
  }
  return Object.keys(diff).length > 0 ? diff : null;
}
