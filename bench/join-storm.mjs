#!/usr/bin/env node
// Join storm on the course namespace: C socket.io clients (websocket) connect,
// then all `enter_room` into R rooms at once. Reports the time from the first
// enter_room to the moment every client has its ack AND a room_change listing
// all R rooms, plus the server's RSS and CPU and this generator's own CPU.
//
//   node bench/join-storm.mjs [--clients 1000] [--rooms 50] [--url http://127.0.0.1:3000] [--pid PID]
//
// Without --url it starts target/release/moim itself on an ephemeral port.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { io } = require('socket.io-client');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const clients = Number(arg('clients', 1000));
const rooms = Number(arg('rooms', 50));

/** [rss KiB, cpu ticks] of a process, from /proc. */
function usage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rssKiB: rss, ticks: Number(stat[11]) + Number(stat[12]) };
}

async function startMoim() {
  const bin = new URL('../target/release/moim', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'moim-bench-'));
  const child = spawn(bin, ['--addr', '127.0.0.1:0', '--data-dir', dir, '--rate-limit', '1000', '--rate-burst', '1000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1', RUST_LOG: 'warn,moim::reach=info' },
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`moim exited ${code}`)));
  });
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const server = arg('url') ? { url: arg('url'), pid: Number(arg('pid')), stop() {} } : await startMoim();
const names = Array.from({ length: rooms }, (_, i) => `room-${i}`);

const sockets = [];
await Promise.all(
  Array.from({ length: clients }, () =>
    new Promise((resolve, reject) => {
      const s = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      sockets.push(s);
      s.once('connect', resolve);
      s.once('connect_error', reject);
    }),
  ),
);
const before = server.pid ? usage(server.pid) : null;
const selfBefore = process.cpuUsage();

const t0 = performance.now();
await Promise.all(
  sockets.map(
    (s, i) =>
      new Promise((resolve) => {
        let acked = false;
        let listed = false;
        const done = () => acked && listed && resolve();
        s.on('room_change', (list) => {
          if (!listed && list.length >= rooms) {
            listed = true;
            done();
          }
        });
        s.emit('enter_room', names[i % rooms], () => {
          acked = true;
          done();
        });
      }),
  ),
);
const elapsed = performance.now() - t0;
const self = process.cpuUsage(selfBefore);
const after = server.pid ? usage(server.pid) : null;
const hz = 100;
console.log(
  JSON.stringify({
    clients,
    rooms,
    allJoinedMs: Math.round(elapsed),
    serverCpuMs: after ? ((after.ticks - before.ticks) * 1000) / hz : null,
    serverRssKiB: after?.rssKiB ?? null,
    generatorCpuMs: Math.round((self.user + self.system) / 1000),
  }),
);
for (const s of sockets) s.disconnect();
server.stop();
process.exit(0);
