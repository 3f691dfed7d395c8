/**
 * ChatLog on its own: the lines, each stored message shown once, older pages
 * on top, and the paging state. The session's side (when a log starts, the
 * `history` request on the wire) is in `session.history.test.ts`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ChatLog, HISTORY_PAGE, MAX_LOG_ENTRIES, type ChatEntry, type FetchPage } from './chatLog';
import type { Ack, HistoryIn, HistoryPage } from './protocol';
import { SignalError } from './signal';

const jun = { id: 'p_jun', name: 'Jun', audio: true, video: true, screen: false, joined: 1, role: 'guest' as const, hand: null, audioLocked: false };
const ara = { id: 'p_ara', name: 'Ara', audio: true, video: true, screen: false, joined: 3, role: 'guest' as const, hand: null, audioLocked: false };

/** A stored message as pages carry it: written by someone from an earlier connection. */
const stored = (id: number, name = 'Jun') => ({ id, from: { id: `old_${name}`, name }, text: `m${id}`, ts: 1000 + id });

const page = (ids: number[], more: boolean): HistoryPage => ({ messages: ids.map((id) => stored(id)), more });

/** The log as short strings: "m3" for a message, "+Ara" / "-Jun" for notices, "!code" for errors. */
function lines(log: ChatLog): string[] {
  return log.lines.map((e) => {
    switch (e.kind) {
      case 'self':
      case 'other':
        return e.text;
      case 'joined':
        return `+${e.participant.name}`;
      case 'left':
        return `-${e.participant.name}`;
      case 'error':
        return `!${e.error.code}`;
    }
  });
}

/** Plays the server's side of `history`: records each request, answered when the test says. */
class FakeServer {
  readonly requests: HistoryIn[] = [];
  private answers: Array<{ resolve: (ack: Ack<HistoryPage>) => void; reject: (err: unknown) => void }> = [];

  readonly fetch: FetchPage = (request) => {
    this.requests.push(request);
    return new Promise((resolve, reject) => this.answers.push({ resolve, reject }));
  };

  /** Answers the oldest open request. */
  answer(ack: Ack<HistoryPage>): void {
    this.next().resolve(ack);
  }

  /** The oldest open request gets no answer at all. */
  fail(err: unknown): void {
    this.next().reject(err);
  }

  private next() {
    const open = this.answers.shift();
    if (!open) throw new Error('no open history request');
    return open;
  }
}

describe('ChatLog', () => {
  let changes: Array<ChatEntry | null>;
  let log: ChatLog;
  let server: FakeServer;

  beforeEach(() => {
    changes = [];
    log = new ChatLog((added) => changes.push(added));
    server = new FakeServer();
  });

  it('starts with the join page, with names and times, and its paging state', () => {
    log.start(page([4, 7], false));
    log.addNotice('joined', ara, 3);
    expect(lines(log)).toEqual(['m4', 'm7', '+Ara']);
    expect(log.lines[0]).toMatchObject({ kind: 'other', from: { name: 'Jun' }, ts: 1004, msgId: 4, history: true });
    expect(log.history).toEqual({ more: false, loading: false });
  });

  it('drops only the connection errors when asked, telling the change once', () => {
    log.start(page([4], false));
    log.addError({ code: 'disconnected' });
    log.addError({ code: 'rate_limited', message: 'Slow down.' });
    log.addError({ code: 'timeout' });
    changes.length = 0;
    log.clearConnectionErrors();
    expect(log.lines.map((e) => (e.kind === 'error' ? e.error.code : e.kind))).toEqual(['other', 'rate_limited']);
    expect(changes).toEqual([null]);
    log.clearConnectionErrors(); // nothing left to drop: no change told
    expect(changes).toEqual([null]);
  });

  it('loads older pages on top, asking before the oldest id, until there are none', async () => {
    log.start(page([201, 202], true));
    log.addLive({ from: jun, text: 'live', ts: 5000, id: 203 });

    const older = log.loadOlder(server.fetch);
    expect(log.history.loading).toBe(true);
    // A second call while the first is on its way sends nothing.
    expect(await log.loadOlder(server.fetch)).toBe(false);
    expect(server.requests).toEqual([{ before: 201, limit: HISTORY_PAGE }]);
    server.answer({ ok: page([101, 102], true) });
    expect(await older).toBe(true);
    expect(lines(log)).toEqual(['m101', 'm102', 'm201', 'm202', 'live']);

    const last = log.loadOlder(server.fetch);
    expect(server.requests[1]).toEqual({ before: 101, limit: 100 });
    server.answer({ ok: page([1], false) });
    expect(await last).toBe(true);
    expect(lines(log)[0]).toBe('m1');
    expect(log.history).toEqual({ more: false, loading: false });
    // Nothing older: no request.
    expect(await log.loadOlder(server.fetch)).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('asks for the newest page when no line shown is a stored message', async () => {
    log.start(page([], true));
    log.addLive({ from: jun, text: 'unstored', ts: 1 });
    void log.loadOlder(server.fetch);
    expect(server.requests).toEqual([{ limit: HISTORY_PAGE }]);
  });

  it('shows a message once when it comes both in the join page and live', () => {
    log.start(page([8, 9], false));
    log.addLive({ from: jun, text: 'm9', ts: 1009, id: 9 });
    log.addLive({ from: jun, text: 'm10', ts: 1010, id: 10 });
    // A server without history sends no id: always shown.
    log.addLive({ from: jun, text: 'unstored', ts: 1011 });
    expect(lines(log)).toEqual(['m8', 'm9', 'm10', 'unstored']);
  });

  it('keeps the id of its own stored message, so a later page does not repeat it', () => {
    log.start(page([], false));
    log.addOwn('mine', { ts: 2000, id: 50 });
    expect(log.lines[0]).toMatchObject({ kind: 'self', msgId: 50 });
    log.addMissed({ messages: [{ ...stored(50, 'Mina'), text: 'mine' }, stored(51)], more: false });
    expect(lines(log)).toEqual(['mine', 'm51']);
  });

  it('turns a refused page into an error line and can try again', async () => {
    log.start(page([5], true));
    const older = log.loadOlder(server.fetch);
    server.answer({ error: { code: 'history_unavailable', message: 'down' } });
    expect(await older).toBe(false);
    expect(lines(log)).toEqual(['m5', '!history_unavailable']);
    expect(log.history).toEqual({ more: true, loading: false });
    const again = log.loadOlder(server.fetch);
    server.answer({ ok: page([4], false) });
    expect(await again).toBe(true);
    expect(lines(log)[0]).toBe('m4');
  });

  it('turns a page with no answer into an error line with its code', async () => {
    log.start(page([5], true));
    const older = log.loadOlder(server.fetch);
    server.fail(new SignalError('timeout', 'history', 1000));
    expect(await older).toBe(false);
    expect(lines(log)).toEqual(['m5', '!timeout']);
    expect(log.history).toEqual({ more: true, loading: false });
  });

  it('drops a page that comes after the log was cleared or started again', async () => {
    log.start(page([5], true));
    const older = log.loadOlder(server.fetch);
    log.clear();
    expect(log.history).toEqual({ more: false, loading: false });
    log.start(page([20], false));
    server.answer({ ok: page([4], false) });
    expect(await older).toBe(false);
    expect(lines(log)).toEqual(['m20']);
  });

  it('tells of every change it makes on its own, with the line added live', async () => {
    log.start(page([5], true));
    log.clear();
    log.start(page([5], true));
    expect(changes).toEqual([]); // the session publishes these itself
    log.addNotice('left', jun, 1);
    expect(changes).toEqual([expect.objectContaining({ kind: 'left', count: 1 })]);
    const older = log.loadOlder(server.fetch);
    server.answer({ ok: page([4], false) });
    await older;
    expect(changes.slice(1)).toEqual([null, null]); // loading, then the page
    log.addMissed(page([5], false)); // nothing new: no change
    expect(changes).toHaveLength(3);
  });

  it('gives every line its own id and keeps the newest lines only', () => {
    log.start(page([], false));
    for (let i = 0; i < MAX_LOG_ENTRIES + 5; i++) log.addLive({ from: jun, text: `l${i}`, ts: i });
    expect(log.lines).toHaveLength(MAX_LOG_ENTRIES);
    expect(lines(log)[0]).toBe('l5');
    expect(new Set(log.lines.map((e) => e.id)).size).toBe(MAX_LOG_ENTRIES);
  });
});
