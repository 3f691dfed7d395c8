/**
 * An in-memory stand-in for socket.io-client's Socket, for unit tests: the
 * test plays the server (connect, drop, push events, answer acks) and reads
 * what the client sent. Not used by the app.
 */
import type { SocketLike } from '../signal';

type Handler = (...args: unknown[]) => void;

export interface SentEvent {
  event: string;
  payload: unknown;
  ack: ((response: unknown) => void) | undefined;
  answered: boolean;
}

export class FakeSocket implements SocketLike {
  connected = false;
  connectCalls = 0;
  disconnectCalls = 0;
  /** Everything the client emitted, oldest first. */
  readonly sent: SentEvent[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly autoReplies = new Map<string, (payload: unknown) => unknown>();

  on(event: string, listener: Handler): this {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Handler): this {
    this.handlers.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (r: unknown) => void) : undefined;
    const sent: SentEvent = { event, payload: args[0], ack, answered: false };
    this.sent.push(sent);
    const auto = this.autoReplies.get(event);
    if (auto) this.answer(sent, auto(sent.payload));
    return this;
  }

  connect(): this {
    this.connectCalls++;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls++;
    if (this.connected) this.drop('io client disconnect');
    return this;
  }

  // ---- the test's side: play the server ----

  /** The transport (re)connects. */
  open(): void {
    this.connected = true;
    this.fire('connect');
  }

  /** The connection is lost. */
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  /** The server pushes an event. */
  push(event: string, payload: unknown): void {
    this.fire(event, payload);
  }

  /** Answers every future `event` at once with `reply(payload)`. */
  autoReply(event: string, reply: (payload: unknown) => unknown): void {
    this.autoReplies.set(event, reply);
  }

  /** Answers the oldest unanswered `event`; throws if there is none. */
  reply(event: string, response: unknown): SentEvent {
    const sent = this.sent.find((s) => s.event === event && !s.answered);
    if (!sent) throw new Error(`nothing to answer: no pending "${event}"`);
    this.answer(sent, response);
    return sent;
  }

  /** Everything sent as `event`. */
  sentOf(event: string): SentEvent[] {
    return this.sent.filter((s) => s.event === event);
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  private answer(sent: SentEvent, response: unknown): void {
    sent.answered = true;
    sent.ack?.(response);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const h of [...(this.handlers.get(event) ?? [])]) h(...args);
  }
}
