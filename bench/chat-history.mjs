#!/usr/bin/env node
// Chat throughput with history off, on SQLite, and on PostgreSQL, in one run
// with one load: R rooms of P people on /moim, every person sending `chat` in
// a closed loop (the next message as soon as the previous one is acked, W in
// flight per person). Counted over D seconds after a warm-up:
//   - messages acked per second (with history on: stored, committed),
//   - deliveries per second (live copies received by the others),
//   - the server's CPU per 1,000 messages, and ack latency p50 / p99.
//
//   node bench/chat-history.mjs [--rooms 20] [--people 5] [--window 4]
//                               [--seconds 5] [--rounds 3] [--modes off,sqlite,postgres]
//
// The modes take turns, round after round (off, sqlite, postgres, off, …), so
// a change in the machine's load hits them alike; the medians are compared.
//
// Starts target/release/moim itself for each mode on a fresh data dir;
// PostgreSQL is a throw-away cluster from scripts/pg-temp.sh with its default,
// durable settings (fsync on, synchronous_commit on).
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { io } = require('socket.io-client');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rooms = Number(arg('rooms', 20));
const people = Number(arg('people', 5));
const windowSize = Number(arg('window', 4));
const seconds = Number(arg('seconds', 5));
const rounds = Number(arg('rounds', 3));
const modes = arg('modes', 'off,sqlite,postgres').split(',');
const WARMUP_MS = 1000;

const cpuTicks = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(stat[11]) + Number(stat[12]);
};

async function startMoim(extra) {
  const bin = new URL('../target/release/moim', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'moim-bench-'));
  const args = ['--addr', '127.0.0.1:0', '--data-dir', dir, '--rate-limit', '1000000', '--rate-burst', '1000000', ...extra];
  const child = spawn(bin, args, {
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
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const s = io(`${url}/moim`, { transports: ['websocket'], forceNew: true, reconnection: false });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const ack = (s, event, payload) => new Promise((resolve) => s.emit(event, payload, resolve));

async function measure(mode, pgUrl) {
  const extra = mode === 'off' ? ['--no-history'] : mode === 'postgres' ? ['--database-url', pgUrl] : [];
  const server = await startMoim(extra);
  const sockets = await Promise.all(Array.from({ length: rooms * people }, () => connect(server.url)));
  for (const [i, s] of sockets.entries()) {
    const reply = await ack(s, 'join', { room: `bench-${i % rooms}`, name: `p${i}`, audio: false, video: false });
    if (!reply.ok) throw new Error(`join refused: ${JSON.stringify(reply)}`);
  }

  let counting = false;
  let stopping = false;
  let acked = 0;
  let delivered = 0;
  let failed = 0;
  const latencies = [];
  for (const s of sockets) s.on('chat', () => counting && delivered++);
  const loops = sockets.flatMap((s, i) =>
    Array.from({ length: windowSize }, async () => {
      let n = 0;
      while (!stopping) {
        const t = performance.now();
        const reply = await ack(s, 'chat', { text: `message ${n++} from p${i}` });
        if (!counting) continue;
        if (reply.ok) {
          acked++;
          latencies.push(performance.now() - t);
        } else failed++;
      }
    }),
  );

  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpu0 = cpuTicks(server.pid);
  const t0 = performance.now();
  counting = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpuMs = (cpuTicks(server.pid) - cpu0) * 10;
  stopping = true;
  await Promise.all(loops);
  for (const s of sockets) s.disconnect();
  await server.stop();

  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    history: mode,
    messagesPerSecond: Math.round(acked / elapsed),
    deliveriesPerSecond: Math.round(delivered / elapsed),
    serverCpuMsPer1000: acked ? Math.round((cpuMs / acked) * 1000 * 10) / 10 : null,
    ackP50Ms: Math.round(pct(0.5) * 10) / 10,
    ackP99Ms: Math.round(pct(0.99) * 10) / 10,
    refused: failed,
  };
}

let pg = null;
if (modes.includes('postgres')) {
  const script = new URL('../scripts/pg-temp.sh', import.meta.url).pathname;
  const [url, dir] = execFileSync(script, ['start', '--owner', String(process.pid)], { encoding: 'utf8' }).trim().split('\n');
  pg = { url, stop: () => execFileSync(script, ['stop', dir]) };
}
console.log(JSON.stringify({ rooms, people, window: windowSize, seconds, rounds }));
const results = [];
for (let round = 1; round <= rounds; round++) {
  for (const mode of modes) {
    const result = await measure(mode, pg?.url);
    results.push(result);
    console.log(JSON.stringify({ round, ...result }));
  }
}
pg?.stop();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = modes.map((mode) => {
  const of = results.filter((r) => r.history === mode);
  return {
    history: mode,
    messagesPerSecond: median(of.map((r) => r.messagesPerSecond)),
    deliveriesPerSecond: median(of.map((r) => r.deliveriesPerSecond)),
    serverCpuMsPer1000: median(of.map((r) => r.serverCpuMsPer1000)),
    ackP50Ms: median(of.map((r) => r.ackP50Ms)),
    ackP99Ms: median(of.map((r) => r.ackP99Ms)),
  };
});
const off = medians.find((m) => m.history === 'off');
for (const m of medians) {
  const share = off && m !== off ? ` (${((m.messagesPerSecond / off.messagesPerSecond) * 100).toFixed(1)} % of history off)` : '';
  console.log(`median ${JSON.stringify(m)}${share}`);
}
process.exit(0);
