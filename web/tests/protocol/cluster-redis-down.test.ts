/**
 * Redis goes away under a two-node cluster: each node keeps serving its own
 * rooms (chat, joins, counts of its own people) and logs the fault; when
 * Redis returns (empty, as a restarted cache does), the nodes put their
 * people back, counts are cluster-wide again and chat crosses nodes again.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startRedis, type TempRedis } from '../support/redis';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, nextMatching, request } from '../support/sio';
import { hasCount, listMeeting, uniqueRoom, joinMeet as join } from './harness';

/** A few heartbeats (2 s each) and a reconnection, on a loaded machine. */
const RESYNC_MS = 15_000;

let redis: TempRedis;
let postgres: TempPostgres;
let nodeA: MoimServer;
let nodeB: MoimServer;
const open: Socket[] = [];

beforeAll(async () => {
  redis = startRedis();
  postgres = startPostgres();
  [nodeA, nodeB] = await Promise.all([
    startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] }),
    startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] }),
  ]);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' || process.env.SHOW_LOG) {
    console.error(`node A log:\n${nodeA.log().slice(-3000)}\nnode B log:\n${nodeB.log().slice(-3000)}`);
  }
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  redis?.stop();
  postgres?.stop();
});

async function on(node: MoimServer): Promise<Socket> {
  const socket = await connect(node.url, '/moim');
  open.push(socket);
  return socket;
}

/** Resolves once `node`'s log contains `text`. */
async function logged(node: MoimServer, text: string, ms = RESYNC_MS): Promise<void> {
  const until = Date.now() + ms;
  while (!node.log().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" not logged within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis down and back', () => {
  it('keeps local rooms working, then resyncs presence and cross-node delivery', async () => {
    const room = uniqueRoom();
    const mina = await on(nodeA);
    const sora = await on(nodeA);
    const jun = await on(nodeB);
    await join(mina, room, 'Mina');
    await listMeeting(mina);
    await join(sora, room, 'Sora');
    await join(jun, room, 'Jun');

    redis.down();

    // Node A still delivers within itself, and says why it cannot do more.
    const local = next(sora, 'chat', 5000);
    const [ack] = await request(mina, 'chat', { text: 'during the outage' });
    expect(ack).toMatchObject({ ok: {} });
    expect(await local).toEqual([expect.objectContaining({ text: 'during the outage' })]);
    // A new meeting on node B still opens, with its own count.
    const late = await on(nodeB);
    const L = await join(late, uniqueRoom('outage'), 'Late');
    expect(L.participants).toEqual([]);
    await logged(nodeA, 'redis is unreachable');
    await logged(nodeB, 'redis is unreachable');

    // Back, empty: both nodes put their people back; a socket on each node
    // sees the room counted over both (2 on A + 1 on B).
    const idleA = await on(nodeA);
    const idleB = await on(nodeB);
    const countedOnA = nextMatching(idleA, 'rooms', hasCount(room, 3), RESYNC_MS);
    const countedOnB = nextMatching(idleB, 'rooms', hasCount(room, 3), RESYNC_MS);
    redis.up();
    await Promise.all([countedOnA, countedOnB]);

    const across = next(jun, 'chat', 5000);
    await request(mina, 'chat', { text: 'after the outage' });
    expect(await across).toEqual([expect.objectContaining({ text: 'after the outage' })]);
    const joined = next(jun, 'participant-joined');
    const newcomer = await on(nodeA);
    const N = await join(newcomer, room, 'New');
    expect(N.participants.map((p) => p.name).sort()).toEqual(['Jun', 'Mina', 'Sora']);
    expect(await joined).toEqual([expect.objectContaining({ count: 4 })]);
  });
});
