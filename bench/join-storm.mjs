#!/usr/bin/env node
// Join storm on the course namespace: C socket.io clients (websocket) connect,
// then all `enter_room` into R rooms at once. Reports the time from the first
// enter_room to the moment every client has its ack AND a room_change listing
// all R rooms, plus the server's RSS and CPU and this generator's own CPU.
//
//   node bench/join-storm.mjs [--clients 1000] [--rooms 50] [--url http://127.0.0.1:3000] [--pid PID]
//
// Without --url it starts target/release/moim itself on an ephemeral port.
import { arg, startMoim, usage, webRequire } from './lib/moim.mjs';

const { io } = webRequire('socket.io-client');

const clients = Number(arg('clients', 1000));
const rooms = Number(arg('rooms', 50));

const server = arg('url') ? { url: arg('url'), pid: Number(arg('pid')), stop() {} } : await startMoim(['--rate-limit', '1000', '--rate-burst', '1000']);
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
