/**
 * The nginx configuration of docs/deploy.md, run as written (only the
 * addresses changed) by Debian's nginx in front of two cluster nodes: a
 * long-polling client and a websocket client get through it, and what they
 * send reaches people connected to either node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startRedis, type TempRedis } from '../support/redis';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, request } from '../support/sio';
import { isDone, uniqueRoom } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const DEPLOY_MD = resolve(here, '../../../docs/deploy.md');

let redis: TempRedis;
let postgres: TempPostgres;
let nodes: MoimServer[] = [];
let nginx: ChildProcess | undefined;
let nginxDir = '';
let proxyUrl = '';
const open: Socket[] = [];

/** The ```nginx block of docs/deploy.md. */
function documentedConfig(): string {
  const match = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DEPLOY_MD, 'utf8'));
  if (!match?.[1]) throw new Error('docs/deploy.md has no ```nginx block');
  return match[1];
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function listening(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx is not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redis = startRedis();
  postgres = startPostgres();
  nodes = await Promise.all([0, 1].map(() => startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] })));
  const port = await freePort();
  const [a, b] = nodes.map((n) => new URL(n.url).host);
  const site = documentedConfig()
    .replace('server 127.0.0.1:3001;', `server ${a};`)
    .replace('server 127.0.0.1:3002;', `server ${b};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  if (!site.includes(`server ${a};`) || !site.includes(`listen 127.0.0.1:${port};`)) {
    throw new Error('the documented nginx block no longer has the addresses this test replaces');
  }
  nginxDir = mkdtempSync(join(tmpdir(), 'moim-nginx-'));
  // nginx's workers run as nobody and write their temp files here.
  chmodSync(nginxDir, 0o777);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${nginxDir}/${kind};`)
    .join('\n');
  writeFileSync(
    join(nginxDir, 'nginx.conf'),
    `pid ${nginxDir}/nginx.pid;\nerror_log ${nginxDir}/error.log;\nevents {}\nhttp {\n  access_log off;\n${temp}\n${site}\n}\n`,
  );
  nginx = spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  nginx.once('exit', (code) => {
    if (code) console.error(`nginx exited with ${code}: ${errors}`);
  });
  await listening(port);
  proxyUrl = `http://127.0.0.1:${port}`;
});

afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx?.once('exit', r));
    nginx.kill('SIGTERM');
    await exited;
  }
  await Promise.all(nodes.map((n) => n.stop()));
  redis?.stop();
  postgres?.stop();
  if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
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
