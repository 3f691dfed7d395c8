#!/usr/bin/env node
// Chat latency across cluster nodes against a single node, in one run.
//
// Three set-ups, taking turns round after round so the machine's load hits
// them alike:
//   single      one moim, no Redis; sender and receiver on it;
//   same-node   two moim nodes on one Redis, sender and receiver both on node A
//               (what the Redis adapter costs a node's own delivery);
//   cross-node  the same two nodes, sender on A, receiver on B.
// In each, a sender sends `new_message` on the course namespace, one at a
// time: the next leaves when the receiver got the previous one. Latency is
// from the emit to the receiver's event, on one clock (one process).
// History is off (--no-history): what is measured is delivery, not storage.
//
//   node bench/cluster-latency.mjs [--messages 500] [--rounds 3]
//
// Redis is a throw-away server from scripts/redis-temp.sh.
import { execFileSync } from 'node:child_process';

import { arg, startMoim as startBenchMoim, webRequire } from './lib/moim.mjs';

const { io } = webRequire('socket.io-client');

const messages = Number(arg('messages', 500));
const rounds = Number(arg('rounds', 3));
const WARMUP = 50;

/** moim without history and without the rate limit, plus `extra`. */
const startMoim = (extra) =>
  startBenchMoim(['--no-history', '--rate-limit', '1000000', '--rate-burst', '1000000', ...extra]);

function connect(url) {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const ack = (socket, ...args) => new Promise((resolve) => socket.emit(...args, () => resolve()));

/** Latencies (ms) of `messages` messages from a socket on `from` to one on `to`. */
async function measure(from, to) {
  const [sender, receiver] = [await connect(from), await connect(to)];
  const room = `latency-${Math.random().toString(36).slice(2)}`;
  await ack(sender, 'enter_room', room);
  await ack(receiver, 'enter_room', room);
  const samples = [];
  for (let i = 0; i < WARMUP + messages; i += 1) {
    const got = new Promise((resolve) => receiver.once('new_message', resolve));
    const t0 = performance.now();
    sender.emit('new_message', `m${i}`, room, () => {});
    await got;
    if (i >= WARMUP) samples.push(performance.now() - t0);
  }
  sender.disconnect();
  receiver.disconnect();
  return samples;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: +pct(sorted, 50).toFixed(3), p99: +pct(sorted, 99).toFixed(3), n: sorted.length };
};

const redisScript = new URL('../scripts/redis-temp.sh', import.meta.url).pathname;
const [redisUrl, redisDir] = execFileSync(redisScript, ['start', '--owner', String(process.pid)], { encoding: 'utf8' })
  .trim()
  .split('\n');
// A cluster shares meetings' settings through PostgreSQL (--database-url is
// required with --redis-url): a throw-away one from scripts/pg-temp.sh.
const pgScript = new URL('../scripts/pg-temp.sh', import.meta.url).pathname;
const [pgUrl, pgDir] = execFileSync(pgScript, ['start', '--owner', String(process.pid), '--fast'], { encoding: 'utf8' })
  .trim()
  .split('\n');
const single = await startMoim([]);
const nodeA = await startMoim(['--redis-url', redisUrl, '--database-url', pgUrl]);
const nodeB = await startMoim(['--redis-url', redisUrl, '--database-url', pgUrl]);

const setups = {
  single: () => measure(single.url, single.url),
  'same-node': () => measure(nodeA.url, nodeA.url),
  'cross-node': () => measure(nodeA.url, nodeB.url),
};
const all = Object.fromEntries(Object.keys(setups).map((k) => [k, []]));
for (let round = 1; round <= rounds; round += 1) {
  for (const [name, run] of Object.entries(setups)) {
    const samples = await run();
    all[name].push(...samples);
    console.log(JSON.stringify({ round, setup: name, ...summary(samples) }));
  }
}
for (const [name, samples] of Object.entries(all)) {
  console.log(JSON.stringify({ setup: name, all: true, ...summary(samples) }));
}
await Promise.all([single.stop(), nodeA.stop(), nodeB.stop()]);
execFileSync(redisScript, ['stop', redisDir]);
execFileSync(pgScript, ['stop', pgDir]);
process.exit(0);
