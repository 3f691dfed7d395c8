/**
 * SignalClient: moim's `/moim` namespace as typed requests and typed events.
 *
 * It knows nothing about rooms or chat logs (that is `session.ts`); it turns
 * Socket.IO's "emit with a callback" into promises with a deadline, checks
 * the shape of everything the server sends, and reports the connection state.
 * Reconnection itself is socket.io-client's built-in backoff.
 */
import { Emitter } from './emitter';
import {
  isAckError,
  isChatAck,
  isHistoryPage,
  isChatOut,
  isEmpty,
  isIceServersResult,
  isJoinResult,
  isParticipantEvent,
  isParticipantUpdate,
  isRoomList,
  isSignalOut,
  isSfuDescription,
  isActiveSpeaker,
  isStateResult,
} from './guards';
import { isLobby, isMeetingNotice, isMeetingUpdate, isModerated, isReaction } from './hostGuards';
import type { Ack, ClientError, Requests, ServerEvents } from './protocol';

/**
 * The part of socket.io-client's `Socket` this client uses. Keeping it this
 * small lets unit tests drive the client with an in-memory fake.
 */
export interface SocketLike {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

/**
 * `connecting`: never connected yet. `reconnecting`: was connected, lost it,
 * socket.io-client is retrying. `closed`: `close()` was called.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * Why a request got no answer at all (as opposed to a refusal in the ack).
 * `event` is the request (or `connect` while waiting for a connection). The
 * message is only these fields, for a developer's console: people are shown
 * the UI's words for `code` (see `toClientError`).
 */
export class SignalError extends Error {
  constructor(
    readonly code: 'timeout' | 'disconnected',
    readonly event?: string,
    readonly afterMs?: number,
  ) {
    super([code, event, afterMs === undefined ? undefined : `${afterMs} ms`].filter((part) => part !== undefined).join(' '));
    this.name = 'SignalError';
  }
}

/** A request that failed without a refusal, as an error the UI can put into words: its code only. */
export function toClientError(err: unknown): ClientError {
  return { code: err instanceof SignalError ? err.code : 'internal' };
}

export interface SignalEvents extends ServerEvents {
  state: ConnectionState;
  /** Each successful (re)connection; `reconnect` is false only the first time. */
  connect: { reconnect: boolean };
}

export interface SignalOptions {
  /** How long a request waits for its ack, in ms. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

type Guard<T> = (v: unknown) => v is T;

const okGuards: { [K in keyof Requests]: Guard<Requests[K]['ok']> } = {
  join: isJoinResult,
  chat: isChatAck,
  leave: isEmpty,
  signal: isEmpty,
  state: isStateResult,
  history: isHistoryPage,
  'ice-servers': isIceServersResult,
  'sfu-offer': isSfuDescription,
  'sfu-answer': isEmpty,
  'sfu-tile': isEmpty,
  knock: isEmpty,
  settings: isMeetingUpdate,
  moderate: isEmpty,
  admit: isEmpty,
  deny: isEmpty,
  end: isEmpty,
  hand: isEmpty,
  react: isEmpty,
};

const pushGuards: { [K in keyof ServerEvents]: Guard<ServerEvents[K]> } = {
  rooms: isRoomList,
  'participant-joined': isParticipantEvent,
  'participant-left': isParticipantEvent,
  'participant-updated': isParticipantUpdate,
  chat: isChatOut,
  signal: isSignalOut,
  'sfu-offer': isSfuDescription,
  'sfu-reconnect': isEmpty,
  'active-speaker': isActiveSpeaker,
  'meeting-updated': isMeetingUpdate,
  moderated: isModerated,
  lobby: isLobby,
  admitted: isMeetingNotice,
  denied: isMeetingNotice,
  removed: isMeetingNotice,
  ended: isMeetingNotice,
  reaction: isReaction,
};

/** Turns whatever came back into a well-formed `Ack`. */
function parseAck<T>(response: unknown, isOk: Guard<T>): Ack<T> {
  if (typeof response === 'object' && response !== null) {
    const r = response as Record<string, unknown>;
    if ('ok' in r && isOk(r.ok)) return { ok: r.ok };
    if ('error' in r && isAckError(r.error)) return { error: r.error };
  }
  return { error: { code: 'bad_response' } };
}

export class SignalClient {
  private readonly events = new Emitter<SignalEvents>();
  private readonly pending = new Set<(err: SignalError) => void>();
  private readonly unbind: Array<() => void> = [];
  private readonly timeoutMs: number;
  private currentState: ConnectionState;
  private everConnected: boolean;

  constructor(
    private readonly socket: SocketLike,
    options: SignalOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.everConnected = socket.connected;
    this.currentState = socket.connected ? 'connected' : 'connecting';

    this.listen('connect', () => this.onConnect());
    this.listen('disconnect', (reason) => this.onDisconnect(reason));
    for (const name of Object.keys(pushGuards) as Array<keyof ServerEvents>) {
      this.listen(name, (payload) => this.onPush(name, payload));
    }
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.currentState === 'connected';
  }

  on<K extends keyof SignalEvents>(event: K, listener: (value: SignalEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Sends an acknowledged event. Resolves with the server's ack (an `ok` or a
   * refusal); rejects with a `SignalError` when there is no connection, the
   * connection drops before the answer, or no answer comes in time.
   *
   * Nothing is sent while disconnected: socket.io-client would buffer it and
   * send it after reconnecting, long after the user gave up on it.
   */
  request<K extends keyof Requests>(event: K, payload: Requests[K]['in']): Promise<Ack<Requests[K]['ok']>> {
    return new Promise((resolve, reject) => {
      if (!this.connected) {
        reject(new SignalError('disconnected', event));
        return;
      }
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(fail);
      };
      const fail = (err: SignalError) => {
        done();
        reject(err);
      };
      const timer = setTimeout(() => fail(new SignalError('timeout', event, this.timeoutMs)), this.timeoutMs);
      this.pending.add(fail);
      this.socket.emit(event, payload, (response: unknown) => {
        if (!this.pending.has(fail)) return; // already timed out or dropped
        done();
        resolve(parseAck(response, okGuards[event]));
      });
    });
  }

  /** Resolves once connected (at once if already), or rejects after `timeoutMs`. */
  waitConnected(timeoutMs: number = this.timeoutMs): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.events.on('connect', () => {
        clearTimeout(timer);
        off();
        resolve();
      });
      const timer = setTimeout(() => {
        off();
        reject(new SignalError('timeout', 'connect', timeoutMs));
      }, timeoutMs);
    });
  }

  /** Disconnects for good and drops every listener. */
  close(): void {
    for (const off of this.unbind) off();
    this.unbind.length = 0;
    this.failPending();
    this.setState('closed');
    this.events.clear();
    this.socket.disconnect();
  }

  private listen(event: string, listener: (...args: unknown[]) => void): void {
    this.socket.on(event, listener);
    this.unbind.push(() => this.socket.off(event, listener));
  }

  private onConnect(): void {
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.setState('connected');
    this.events.emit('connect', { reconnect });
  }

  private onDisconnect(reason: unknown): void {
    this.failPending();
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    // socket.io-client retries by itself except after a server-side
    // disconnect; moim always wants to come back, so ask for it here.
    if (reason === 'io server disconnect') this.socket.connect();
  }

  private onPush<K extends keyof ServerEvents>(event: K, payload: unknown): void {
    const guard = pushGuards[event] as Guard<SignalEvents[K]>;
    if (guard(payload)) this.events.emit(event, payload);
  }

  /** Every request still waiting fails: the connection that would carry its answer is gone. */
  private failPending(): void {
    const err = new SignalError('disconnected');
    for (const fail of [...this.pending]) fail(err);
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.events.emit('state', state);
  }
}
