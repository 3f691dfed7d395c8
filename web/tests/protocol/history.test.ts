/**
 * Room chat history (docs/protocol.md, "History"), on both back ends: the
 * SQLite file in the data dir and a real PostgreSQL. Messages are acked once
 * stored, survive a SIGKILL of the server, come back to joiners on `/moim` as
 * pages and to the course's client as ordinary `new_message` strings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';

import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, request } from '../support/sio';
import { collect, isDone, isError, uniqueRoom } from './harness';

const NS = '/moim';

interface Message {
  id: number;
  from: { id: string; name: string };
  text: string;
  ts: number;
}
interface Page {
  messages: Message[];
  more: boolean;
}

describe.each(['sqlite', 'postgres'] as const)('chat history on %s', (backend) => {
  let pg: TempPostgres | undefined;
  let dataDir = '';
  let server: MoimServer | undefined;
  const open: Socket[] = [];

  // Generous rate limits: these tests send hundreds of messages from one socket.
  const args = () => ['--rate-limit', '5000', '--rate-burst', '5000', ...(pg ? ['--database-url', pg.url] : [])];
  const live = (): MoimServer => {
    if (!server) throw new Error('server not started');
    return server;
  };

  beforeAll(async () => {
    if (backend === 'postgres') pg = startPostgres();
    dataDir = mkdtempSync(joinPath(tmpdir(), 'moim-history-'));
    server = await startServer({ dataDir, args: args() });
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && server) console.error(`moim log:\n${server.log().slice(-4000)}`);
    for (const s of open.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    pg?.stop();
  });

  const socket = async (namespace = NS) => {
    const s = await connect(live().url, namespace);
    open.push(s);
    return s;
  };

  /** SIGKILL, then start again on the same data dir (and database). */
  const killAndRestart = async () => {
    for (const s of open.splice(0)) s.disconnect();
    await live().kill();
    server = await startServer({ dataDir, args: args() });
  };

  const joinRoom = async (s: Socket, room: string, name: string) => {
    const [reply] = await request(s, 'join', { room, name });
    expect(reply).toMatchObject({ ok: { room } });
    return (reply as { ok: { you: { id: string }; history: Page } }).ok;
  };

  /** Every message of `room`, oldest first, paging back from the join's page. */
  const wholeHistory = async (s: Socket, room: string): Promise<Message[]> => {
    let page = (await joinRoom(s, room, 'Reader')).history;
    const all = [...page.messages];
    while (page.more) {
      const [reply] = await request(s, 'history', { before: all[0]!.id, limit: 200 });
      page = (reply as { ok: Page }).ok;
      all.unshift(...page.messages);
    }
    return all;
  };

  it('gives a joiner the recent messages with names, times and the ids the ack and live copy had', async () => {
    const room = uniqueRoom();
    const [mina, jun] = [await socket(), await socket()];
    const you = (await joinRoom(mina, room, 'Mina')).you;
    await joinRoom(jun, room, 'Jun');

    const atJun = collect(jun, 'chat', 2);
    const acks = [];
    for (const text of ['hello', '<b>not bold</b>']) {
      const [ack] = await request(mina, 'chat', { text });
      acks.push((ack as { ok: { ts: number; id: number } }).ok);
    }
    expect(acks[1]!.id).toBeGreaterThan(acks[0]!.id);
    const liveCopies = (await atJun).map(([m]) => m as Message);
    expect(liveCopies.map((m) => m.id)).toEqual(acks.map((a) => a.id));

    const { history } = await joinRoom(await socket(), room, 'Ara');
    expect(history).toEqual({
      messages: [
        { id: acks[0]!.id, from: { id: you.id, name: 'Mina' }, text: 'hello', ts: acks[0]!.ts },
        { id: acks[1]!.id, from: { id: you.id, name: 'Mina' }, text: '<b>not bold</b>', ts: acks[1]!.ts },
      ],
      more: false,
    });
  });

  it('keeps every acknowledged message across a SIGKILL, in order, once', async () => {
    const room = uniqueRoom();
    const mina = await socket();
    await joinRoom(mina, room, 'Mina');
    // All sent at once, so they are written in batches (group commit).
    const texts = Array.from({ length: 150 }, (_, i) => `message ${i}`);
    const acks = await Promise.all(texts.map((text) => request(mina, 'chat', { text })));
    for (const [ack] of acks) expect(ack).toMatchObject({ ok: { id: expect.any(Number) } });

    await killAndRestart();

    const stored = await wholeHistory(await socket(), room);
    expect(stored.map((m) => m.text)).toEqual(texts);
    expect(stored.map((m) => m.id)).toEqual(acks.map(([ack]) => (ack as { ok: { id: number } }).ok.id));
    expect(stored.every((m) => m.from.name === 'Mina')).toBe(true);
  });

  it('sends a course client entering a room after a restart the history as new_message strings', async () => {
    const room = uniqueRoom('course');
    const writer = await socket('/');
    writer.emit('nickname', 'Mina');
    expect(isDone(await request(writer, 'enter_room', room))).toBe(true);
    for (const msg of ['one', 'two', 'three']) {
      expect(isDone(await request(writer, 'new_message', msg, room))).toBe(true);
    }

    await killAndRestart();

    const reader = await socket('/');
    const lines = collect(reader, 'new_message', 3);
    expect(isDone(await request(reader, 'enter_room', room))).toBe(true);
    expect(await lines).toEqual([['Mina: one'], ['Mina: two'], ['Mina: three']]);
    // The course's rooms and moim's meetings keep separate histories.
    const { history } = await joinRoom(await socket(), room, 'Jun');
    expect(history.messages).toEqual([]);
  });

  it('replays a course room to a joiner before done(), so what is said next comes once, after it', async () => {
    const room = uniqueRoom('course');
    const writer = await socket('/');
    expect(isDone(await request(writer, 'enter_room', room))).toBe(true);
    const said = Array.from({ length: 50 }, (_, i) => `Anon: before ${i}`);
    for (const line of said) {
      expect(isDone(await request(writer, 'new_message', line.slice('Anon: '.length), room))).toBe(true);
    }
    const reader = await socket('/');
    const seen: string[] = [];
    reader.on('new_message', (line: string) => seen.push(line));
    expect(isDone(await request(reader, 'enter_room', room))).toBe(true);
    // Events arrive in the order they were sent: the replay came before done().
    expect(seen).toEqual(said);
    const after = next(reader, 'new_message');
    expect(isDone(await request(writer, 'new_message', 'after', room))).toBe(true);
    await after;
    expect(seen).toEqual([...said, 'Anon: after']);
  });

  it('pages back through a long history by message id', async () => {
    const room = uniqueRoom();
    const mina = await socket();
    await joinRoom(mina, room, 'Mina');
    const texts = Array.from({ length: 250 }, (_, i) => `m${i}`);
    await Promise.all(texts.map((text) => request(mina, 'chat', { text })));

    const reader = await socket();
    const first = (await joinRoom(reader, room, 'Reader')).history;
    expect(first.messages.map((m) => m.text)).toEqual(texts.slice(150));
    expect(first.more).toBe(true);
    const [second] = await request(reader, 'history', { before: first.messages[0]!.id });
    expect((second as { ok: Page }).ok.messages.map((m) => m.text)).toEqual(texts.slice(50, 150));
    const [third] = await request(reader, 'history', { before: (second as { ok: Page }).ok.messages[0]!.id, limit: 80 });
    expect((third as { ok: Page }).ok).toMatchObject({ more: false });
    expect((third as { ok: Page }).ok.messages.map((m) => m.text)).toEqual(texts.slice(0, 50));
  });

  it('refuses a bad cursor or page size with invalid_page, and a reader in no room with not_in_room', async () => {
    const outsider = await socket();
    const [notIn] = await request(outsider, 'history', {});
    expect(isError(notIn, 'not_in_room')).toBe(true);

    const room = uniqueRoom();
    const mina = await socket();
    await joinRoom(mina, room, 'Mina');
    await request(mina, 'chat', { text: 'kept' });
    for (const bad of [
      { before: 'abc' },
      { before: -1 },
      { before: 1.5 },
      { before: 2 ** 60 },
      { limit: 0 },
      { limit: 1_000_000_000 },
      { limit: '100' },
    ]) {
      const [reply] = await request(mina, 'history', bad);
      expect(isError(reply, 'invalid_page'), JSON.stringify(bad)).toBe(true);
    }
    const [shape] = await request(mina, 'history', 'page two');
    expect(isError(shape, 'invalid_payload')).toBe(true);
    // Still in the room, history intact.
    const [good] = await request(mina, 'history', { limit: 1 });
    expect((good as { ok: Page }).ok.messages.map((m) => m.text)).toEqual(['kept']);
  });
});
