/**
 * ChatLog: the lines of the room's chat and the pages of older ones.
 *
 * Apart from `RoomSession` because it is a thing of its own: one list that
 * live messages, your own, notices and history pages all land in, each
 * stored message shown once however it arrives, older pages put on top in
 * order. The session decides when the log starts and ends (join, leave) and
 * whether a page may be asked for now; the log keeps the lines and the
 * paging state and asks for the pages.
 */
import type { Ack, Author, ChatAck, ChatOut, HistoryIn, HistoryPage, Participant, RequestError } from './protocol';
import { toClientError } from './signal';

/** Old lines are dropped past this, so a long meeting cannot grow without bound. */
export const MAX_LOG_ENTRIES = 1000;

/** Error codes that only mean "the connection is gone": stale once it is back. */
const CONNECTION_ERRORS: ReadonlySet<string> = new Set(['disconnected', 'timeout']);

/** Messages per older page asked by `loadOlder`. */
export const HISTORY_PAGE = 100;

/**
 * One line of the chat log. `id` is unique within a session (a list key);
 * `msgId` is the server's message id, for messages it stored (history pages
 * and live messages carry the same one, so none is shown twice).
 * `history`: the line came from a history page, not live.
 */
export type ChatEntry =
  | { id: number; kind: 'self'; text: string; ts: number; msgId?: number }
  | { id: number; kind: 'other'; from: Author; text: string; ts: number; msgId?: number; history?: boolean }
  | { id: number; kind: 'joined' | 'left'; participant: Participant; count: number }
  | { id: number; kind: 'error'; error: RequestError };

/** Any chat entry before it is given its id. */
export type NewEntry = DistributiveOmitId<ChatEntry>;
type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Older chat exists on the server (`loadOlder`), and whether a page is on its way. */
export interface HistoryState {
  more: boolean;
  loading: boolean;
}

/** Asks the server for one page of history (the session's `history` request). */
export type FetchPage = (request: HistoryIn) => Promise<Ack<HistoryPage>>;

const NO_HISTORY: HistoryState = { more: false, loading: false };

export class ChatLog {
  private list: readonly ChatEntry[] = [];
  private paging: HistoryState = NO_HISTORY;
  /** Server ids of the messages in the log: a message is shown once, live or from a page. */
  private seen = new Set<number>();
  /** Unique across rooms, so a list key never repeats within the page's life. */
  private nextEntryId = 1;
  /** Bumped by `start` and `clear`: a page asked for the previous log is dropped. */
  private generation = 0;

  /**
   * `changed` is told after every change the log makes on its own (a line
   * added, a page loaded); `added` is the line appended live, if any.
   * `start` and `clear` tell nobody: they are part of a change of the
   * session's, which publishes them with the rest.
   */
  constructor(private readonly changed: (added: ChatEntry | null) => void) {}

  /** The lines, oldest first; a new array after every change. */
  get lines(): readonly ChatEntry[] {
    return this.list;
  }

  /** The paging state; a new object whenever it changes, the same one otherwise. */
  get history(): HistoryState {
    return this.paging;
  }

  /** A new room: its recent chat (the join's page) first, then whatever happens from now on. */
  start(page: HistoryPage): void {
    this.generation++;
    this.seen = new Set();
    this.list = this.linesOf(page);
    this.paging = { more: page.more, loading: false };
  }

  /** Out of the room: no lines, nothing to page. */
  clear(): void {
    this.generation++;
    this.list = [];
    this.paging = NO_HISTORY;
  }

  /** What was said while we were away, from a rejoin's page; the lines we have are skipped. */
  addMissed(page: HistoryPage): void {
    const missed = this.linesOf(page);
    if (missed.length === 0) return;
    this.list = [...this.list, ...missed];
    this.changed(null);
  }

  /** Someone's message as it was said; one we have already (from a page) is ignored. */
  addLive(msg: ChatOut): void {
    if (msg.id !== undefined) {
      if (this.seen.has(msg.id)) return;
      this.seen.add(msg.id);
    }
    this.append({ kind: 'other', from: msg.from, text: msg.text, ts: msg.ts, msgId: msg.id });
  }

  /** Your own message, once the server took it; its id keeps a later page from repeating it. */
  addOwn(text: string, ack: ChatAck): void {
    if (ack.id !== undefined) this.seen.add(ack.id);
    this.append({ kind: 'self', text, ts: ack.ts, msgId: ack.id });
  }

  /** Someone joined or left; `count` is the room's size after it. */
  addNotice(kind: 'joined' | 'left', participant: Participant, count: number): void {
    this.append({ kind, participant, count });
  }

  /** A line saying what went wrong; the UI words it from `error.code`. */
  addError(error: RequestError): void {
    this.append({ kind: 'error', error });
  }

  /**
   * Drops the lines that said the connection was gone ("Not connected to the
   * server.", a timeout): once the call is back they are stale and only
   * alarm. The message they were about came back into the composer.
   */
  clearConnectionErrors(): void {
    const kept = this.list.filter((e) => e.kind !== 'error' || !CONNECTION_ERRORS.has(e.error.code));
    if (kept.length === this.list.length) return;
    this.list = kept;
    this.changed(null);
  }

  /**
   * Fetches the page before the oldest stored message shown and puts it on
   * top. Resolves true when a page came; false when there is nothing older,
   * a page is already on its way, the log was started or cleared meanwhile,
   * or the server refused (an `error` line says why).
   */
  async loadOlder(fetch: FetchPage): Promise<boolean> {
    if (!this.paging.more || this.paging.loading) return false;
    const before = this.oldestMsgId();
    const generation = this.generation;
    this.setPaging({ loading: true });
    this.changed(null);
    let error: RequestError;
    try {
      const ack = await fetch(before === undefined ? { limit: HISTORY_PAGE } : { before, limit: HISTORY_PAGE });
      if (generation !== this.generation) return false;
      if ('ok' in ack) {
        this.list = [...this.linesOf(ack.ok), ...this.list];
        this.setPaging({ more: ack.ok.more, loading: false });
        this.changed(null);
        return true;
      }
      error = ack.error;
    } catch (err) {
      if (generation !== this.generation) return false;
      error = toClientError(err);
    }
    this.setPaging({ loading: false });
    this.changed(null);
    this.addError(error);
    return false;
  }

  /** The server id of the oldest stored message shown: where the next older page ends. */
  private oldestMsgId(): number | undefined {
    for (const e of this.list) {
      if ((e.kind === 'self' || e.kind === 'other') && e.msgId !== undefined) return e.msgId;
    }
    return undefined;
  }

  /** Log lines for a history page, leaving out messages already shown. */
  private linesOf(page: HistoryPage): ChatEntry[] {
    const entries: ChatEntry[] = [];
    for (const m of page.messages) {
      if (this.seen.has(m.id)) continue;
      this.seen.add(m.id);
      entries.push({ id: this.nextEntryId++, kind: 'other', from: m.from, text: m.text, ts: m.ts, msgId: m.id, history: true });
    }
    return entries;
  }

  private setPaging(patch: Partial<HistoryState>): void {
    this.paging = { ...this.paging, ...patch };
  }

  private append(entry: NewEntry): void {
    const full = { ...entry, id: this.nextEntryId++ } as ChatEntry;
    const list = [...this.list, full];
    if (list.length > MAX_LOG_ENTRIES) list.splice(0, list.length - MAX_LOG_ENTRIES);
    this.list = list;
    this.changed(full);
  }
}
