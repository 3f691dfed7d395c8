/**
 * The nginx configuration of docs/deploy.md, run as written (only the
 * addresses changed) by Debian's nginx in front of two cluster nodes: a
 * long-polling client and a websocket client get through it, and what they
 * send reaches people connected to either node.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startRedis, type TempRedis } from '../support/redis';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startNginx, type Nginx } from '../support/nginx';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, request } from '../support/sio';
import { isDone, uniqueRoom } from './harness';

let redis: TempRedis;
let postgres: TempPostgres;
let nodes: MoimServer[] = [];
let nginx: Nginx | undefined;
let proxyUrl = '';
const open: Socket[] = [];

beforeAll(async () => {
  redis = startRedis();
  postgres = startPostgres();
  nodes = await Promise.all([0, 1].map(() => startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] })));
  const [a, b] = nodes.map((n) => new URL(n.url).host);
  nginx = await startNginx([a!, b!]);
  proxyUrl = nginx.url;
});

afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  redis?.stop();
  postgres?.stop();
});

async function through(transport: 'polling' | 'websocket'): Promise<Socket> {
  const socket = io(proxyUrl, { transports: [transport], upgrade: false, forceNew: true, reconnection: false });
  open.push(socket);
  await new Promise<void>((resolveConnect, reject) => {
    socket.once('connect', () => resolveConnect());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('nginx in front of two nodes (docs/deploy.md)', () => {
  it.each(['polling', 'websocket'] as const)('carries a %s client to people on both nodes', async (transport) => {
    const room = uniqueRoom(transport);
    const [onA, onB] = await Promise.all(nodes.map((n) => connect(n.url)));
    open.push(onA!, onB!);
    await request(onA!, 'enter_room', room);
    const bArrived = next(onA!, 'welcome');
    await request(onB!, 'enter_room', room);
    // Across nodes the welcome may land after B's own ack: wait for it.
    expect(await bArrived).toEqual(['Anon', 2]);

    const proxied = await through(transport);
    expect(isDone(await request(proxied, 'nickname', 'Mina'))).toBe(true);
    const welcomes = [next(onA!, 'welcome'), next(onB!, 'welcome')];
    expect(isDone(await request(proxied, 'enter_room', room))).toBe(true);
    for (const welcome of await Promise.all(welcomes)) expect(welcome).toEqual(['Mina', 3]);

    // Several requests of one polling session, all to the node that opened it.
    for (let i = 0; i < 5; i += 1) {
      const atA = next(onA!, 'new_message');
      const atB = next(onB!, 'new_message');
      expect(isDone(await request(proxied, 'new_message', `via nginx ${i}`, room))).toBe(true);
      expect(await atA).toEqual([`Mina: via nginx ${i}`]);
      expect(await atB).toEqual([`Mina: via nginx ${i}`]);
    }
    const back = next(proxied, 'new_message');
    await request(onB!, 'new_message', 'to the proxied one', room);
    expect(await back).toEqual(['Anon: to the proxied one']);
  });
});
