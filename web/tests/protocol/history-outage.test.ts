/**
 * When the history's database goes away, the room keeps working live: chat is
 * still delivered, the sender is told `not_stored`, joins still succeed; once
 * the database is back, messages are stored again without a restart of moim.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { connect, next } from '../support/sio';
import { isError, uniqueRoom } from './harness';

const NS = '/moim';
let pg: TempPostgres;
let server: MoimServer;
const open: Socket[] = [];

beforeAll(async () => {
  pg = startPostgres();
  server = await startServer({ args: ['--database-url', pg.url] });
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`moim log:\n${server.log().slice(-4000)}`);
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await server?.stop();
  pg?.stop();
});

const socket = async () => {
  const s = await connect(server.url, NS);
  open.push(s);
  return s;
};

/** An ack with a deadline longer than the store's 3 s connection timeout. */
function ask(s: Socket, event: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within 15 s`)), 15_000);
    s.emit(event, payload, (reply: unknown) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

describe('history while PostgreSQL is down', () => {
  it('delivers live and says not_stored, then stores again once it is back', async () => {
    const room = uniqueRoom();
    const [mina, jun] = [await socket(), await socket()];
    await ask(mina, 'join', { room, name: 'Mina' });
    await ask(jun, 'join', { room, name: 'Jun' });
    const before = next(jun, 'chat', 15_000);
    expect(await ask(mina, 'chat', { text: 'before' })).toMatchObject({ ok: { id: expect.any(Number) } });
    expect((await before)[0]).toMatchObject({ text: 'before', id: expect.any(Number) });

    pg.down();
    const atJun = next(jun, 'chat', 15_000);
    const during = await ask(mina, 'chat', { text: 'during' });
    expect(isError(during, 'not_stored')).toBe(true);
    const [live] = await atJun;
    expect(live).toMatchObject({ text: 'during', from: { name: 'Mina' } });
    expect(live).not.toHaveProperty('id');
    // Joining still works, with no history to show.
    const join = await ask(await socket(), 'join', { room, name: 'Ara' });
    expect(join).toMatchObject({ ok: { room, history: { messages: [], more: false } } });
    expect(isError(await ask(mina, 'history', {}), 'history_unavailable')).toBe(true);

    pg.up();
    // The pool reconnects by itself; the first message after the outage is stored.
    expect(await ask(mina, 'chat', { text: 'after' })).toMatchObject({ ok: { id: expect.any(Number) } });
    const reader = await ask(await socket(), 'join', { room, name: 'Reader' });
    const texts = (reader as { ok: { history: { messages: { text: string }[] } } }).ok.history.messages.map((m) => m.text);
    expect(texts).toEqual(['before', 'after']);
    expect(server.log()).toMatch(/chat messages not stored/);
  });
});
