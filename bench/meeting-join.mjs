#!/usr/bin/env node
// What the meeting's gate costs a join on /moim: every join now reads the
// meeting's settings (hosts' keys, removals, passcode, lock) from the store.
// N clients connect, then join one after the other (each waits for its ack):
// first N meetings of their own (each join starts a meeting: a write), then one
// shared meeting (reads only). Reports p50/p99 of the ack time for each, and
// the same through a passcode (PBKDF2 check on every join).
//
//   node bench/meeting-join.mjs [--clients 300] [--database-url postgres://…]
//
// Starts target/release/moim (or $MOIM_BIN) itself, SQLite by default.
import { randomBytes } from 'node:crypto';
import { arg, startMoim, webRequire } from './lib/moim.mjs';

const { io } = webRequire('socket.io-client');
const clients = Number(arg('clients', 300));
const db = arg('database-url');
// Everyone fits in the shared meeting (a refusal would end the run).
const server = await startMoim(['--rate-limit', '1000', '--rate-burst', '1000', '--room-size', String(clients + 1), ...(db ? ['--database-url', db] : [])]);

const sockets = await Promise.all(
  Array.from(
    { length: clients },
    () =>
      new Promise((resolve, reject) => {
        const s = io(`${server.url}/moim`, { transports: ['websocket'], forceNew: true, reconnection: false });
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      }),
  ),
);

const ask = (s, event, payload) => s.timeout(10_000).emitWithAck(event, payload);
const key = () => randomBytes(24).toString('base64url');

async function timed(roomOf, extra = () => ({})) {
  const ms = [];
  for (const [i, s] of sockets.entries()) {
    const started = performance.now();
    const reply = await ask(s, 'join', { room: roomOf(i), name: `p${i}`, key: key(), ...extra(i) });
    ms.push(performance.now() - started);
    if (!reply.ok) throw new Error(`join ${i} refused: ${JSON.stringify(reply)}`);
  }
  ms.sort((a, b) => a - b);
  const at = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2);
  return { p50: at(0.5), p99: at(0.99) };
}

const run = Date.now().toString(36);
const own = await timed((i) => `own-${run}-${i}`);
// One host first, so everyone after joins an existing meeting.
const shared = await timed(() => `shared-${run}`);
// A meeting with a passcode (every guest's join checks it).
const host = sockets[0];
await ask(host, 'join', { room: `code-${run}`, name: 'host', key: key() });
await ask(host, 'settings', { passcode: '4821' });
const coded = await timed(() => `code-${run}`, () => ({ passcode: '4821' }));

console.log(JSON.stringify({ store: db ? 'postgres' : 'sqlite', clients, startsMeeting: own, existingMeeting: shared, withPasscode: coded }));
for (const s of sockets) s.disconnect();
await server.stop();
process.exit(0);
