/**
 * A node of a cluster dies (kill -9): within ~15 s the survivors are told its
 * participants left (`participant-left` on `/moim`, `bye` on `/`), the room
 * counts drop, its people come back through the other node and are seen
 * joining again, no chat message acknowledged before the kill is lost
 * (the nodes share PostgreSQL), and its connections' knocks leave the lobbies.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startPostgres, type TempPostgres } from '../support/postgres';
import { startRedis, type TempRedis } from '../support/redis';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, nextMatching, request } from '../support/sio';
import { collect, hasCount, isDone, listMeeting, uniqueRoom, joinMeet as join } from './harness';

/** Heartbeat lifetime (8 s) + beat (2 s) + slack for a loaded CI machine. */
const SWEEP_MS = 15_000;

let postgres: TempPostgres;
let redis: TempRedis;
const nodes: MoimServer[] = [];
const open: Socket[] = [];

beforeAll(async () => {
  postgres = startPostgres();
  redis = startRedis();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const node of nodes) console.error(`node log:\n${node.log().slice(-3000)}`);
  }
  for (const socket of open.splice(0)) socket.disconnect();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});
afterAll(() => {
  redis?.stop();
  postgres?.stop();
});

async function node(): Promise<MoimServer> {
  const server = await startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] });
  nodes.push(server);
  return server;
}

async function on(server: MoimServer, namespace = '/'): Promise<Socket> {
  const socket = await connect(server.url, namespace);
  open.push(socket);
  return socket;
}

describe('a node killed with -9', () => {
  it('is swept on /moim: the survivors see the leave and the re-join, and keep every acked message', async () => {
    const [nodeA, nodeB] = [await node(), await node()];
    const room = uniqueRoom('meet');
    const mina = await on(nodeA, '/moim');
    const jun = await on(nodeB, '/moim');
    await join(mina, room, 'Mina');
    await listMeeting(mina);
    const J = await join(jun, room, 'Jun');
    const sent: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const text = `before the kill ${i}`;
      const [ack] = await request(jun, 'chat', { text });
      expect(ack).toMatchObject({ ok: { id: expect.any(Number) } });
      sent.push(text);
    }

    const left = nextMatching(mina, 'participant-left', () => true, SWEEP_MS);
    const counted = nextMatching(mina, 'rooms', hasCount(room, 1), SWEEP_MS);
    const killedAt = Date.now();
    await nodeB.kill();
    expect(await left).toEqual([
      { participant: expect.objectContaining({ id: J.you.id, name: 'Jun' }), count: 1, seq: 3, mode: 'mesh' },
    ]);
    expect(Date.now() - killedAt).toBeLessThan(SWEEP_MS);
    await counted;

    // Jun's client reconnects; the address now leads to node A.
    const again = await on(nodeA, '/moim');
    const rejoined = next(mina, 'participant-joined');
    const R = await join(again, room, 'Jun');
    expect(R.participants.map((p) => p.name)).toEqual(['Mina']);
    expect(await rejoined).toEqual([expect.objectContaining({ participant: expect.objectContaining({ name: 'Jun' }), count: 2 })]);
    expect(R.history.messages.map((m) => m.text)).toEqual(sent);
  });

  it('takes the knocks of its connections out of the lobby, and the host on another node sees it', async () => {
    const [nodeA, nodeB] = [await node(), await node()];
    const room = uniqueRoom('lobby');
    const key = () => randomBytes(18).toString('base64url');
    const host = await on(nodeA, '/moim');
    expect((await join(host, room, 'Mina', { key: key() })).you.role).toBe('host');
    await request(host, 'settings', { locked: true });
    const eun = await on(nodeB, '/moim');
    const waiting = (n: number) => (l: unknown) => (l as { waiting: unknown[] }).waiting.length === n;
    const knocked = nextMatching(host, 'lobby', waiting(1));
    expect(await request(eun, 'knock', { room, name: 'Eun', key: key() })).toEqual([{ ok: {} }]);
    await knocked;

    // Nobody is left behind that knock to let in: it goes with its node.
    const emptied = nextMatching(host, 'lobby', waiting(0), SWEEP_MS);
    await nodeB.kill();
    await emptied;
  });

  it('is swept on the course namespace: bye with the count, and the history is still there', async () => {
    const [nodeA, nodeB] = [await node(), await node()];
    const room = uniqueRoom('course');
    const mina = await on(nodeA);
    const jun = await on(nodeB);
    expect(isDone(await request(mina, 'nickname', 'Mina'))).toBe(true);
    expect(isDone(await request(jun, 'nickname', 'Jun'))).toBe(true);
    await request(mina, 'enter_room', room);
    await request(jun, 'enter_room', room);
    for (let i = 0; i < 5; i += 1) {
      expect(isDone(await request(jun, 'new_message', `kept ${i}`, room))).toBe(true);
    }
    const bye = next(mina, 'bye', SWEEP_MS);
    await nodeB.kill();
    expect(await bye).toEqual(['Jun', 1]);

    const again = await on(nodeA);
    await request(again, 'nickname', 'Jun');
    const history = collect(again, 'new_message', 5);
    const welcome = next(mina, 'welcome');
    await request(again, 'enter_room', room);
    expect(await welcome).toEqual(['Jun', 2]);
    expect((await history).map(([line]) => line)).toEqual([0, 1, 2, 3, 4].map((i) => `Jun: kept ${i}`));
  });
});
