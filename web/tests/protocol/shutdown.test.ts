/**
 * Stopping a node (SIGTERM): the port closes first, then the meeting UI's
 * sockets get a Socket.IO disconnect. moim's page answers that by
 * reconnecting at once (a dropped connection waits for socket.io-client's
 * back-off, 0.5–1.5 s), and behind a load balancer that new connection must
 * be refused here and go to another node, not be taken by this one and
 * dropped a moment later (docs/benchmarks.md, "SFU in cluster mode"). The
 * course namespace keeps the old way: its plain clients only retry by
 * themselves after a dropped connection.
 */
import { connect as tcpConnect } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { startServer, type MoimServer } from '../support/server';
import { connect } from '../support/sio';

const servers: MoimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Whether a TCP connection to `port` on loopback is accepted (true) or refused (false). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('a node stopping', () => {
  // Over a websocket, as a page is once connected. (A session stuck on
  // long-polling sees its poll fail instead, and retries after the back-off.)
  it('tells its meeting sockets to go, and refuses new connections by then', async () => {
    const server = await startServer();
    servers.push(server);
    const port = Number(new URL(server.url).port);
    const socket = await connect(server.url, '/moim', 'websocket');
    expect(await accepts(port)).toBe(true);

    const told = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const stopped = server.stop();
    // A Socket.IO disconnect, which moim's page answers by reconnecting at once…
    expect(await told).toBe('io server disconnect');
    // …and that connection is refused here (a load balancer tries another node).
    expect(await accepts(port)).toBe(false);
    await stopped;
  });

  it('drops the course namespace\'s connections, so a plain socket.io-client retries by itself', async () => {
    const server = await startServer();
    servers.push(server);
    const socket = await connect(server.url, '/');
    const told = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const stopped = server.stop();
    expect(await told).toBe('transport close');
    await stopped;
  });
});
