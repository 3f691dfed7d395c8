#!/usr/bin/env node
// The soak: one moim under a steady mix of joins, chat, leaves and an SFU call
// for a fixed time, to show that its memory and open files stay flat (no leak).
// Not part of the test command: it takes 10 minutes.
//
//   cargo build --release -p moim -p moim-loadgen
//   node bench/soak.mjs [--seconds 600] [--moim-rate 20] [--course-rate 5] [--ws-rate 3]
//                       [--subscribers 4] [--sfu-runs 3] [--interval 10] [--no-history]
//
// The load, on loopback, at fixed rates (sessions started per second):
//   - `/moim` meeting participants (`lib/soak-clients.mjs`): connect, `join`,
//     3 `chat`s a second apart (one in seven then moves to another meeting and
//     chats once more), then end: `leave` + disconnect, disconnect, an abrupt
//     TCP close, or silence until the server's ping timeout drops them;
//   - course clients on `/`: `enter_room`, 5 `new_message`s;
//   - raw `/ws` chatters: 5 messages, each waited for as its own echo;
//   - one SFU call the whole time: `moim-loadgen sfu` (1 publisher → N
//     subscribers, str0m), run `--sfu-runs` times back to back, so its peers
//     join and leave the SFU that many times.
// Meetings are named per minute (`soak-<minute>-<k>`), so rooms keep being
// created and emptied. The server runs with its defaults (rate limit 20
// events/s per socket, SQLite history) but `--sfu always`.
//
// Every `--interval` seconds it reads the server's RSS, open files, threads
// (/proc) and its own gauges (/metrics). The report compares start (after a
// warm-up), middle, end and "quiet" (10 s after the last client is gone)
// and exits 1 when the RSS at the end is over 25 % above the middle, when open
// files after the load exceed those before it by more than 8 (or grow by
// more than 25 % + 16 from start to end under load), when the server still
// holds sockets, rooms or SFU sessions once quiet, or when any client saw an
// error. Results: bench/results/soak-latest.{md,json}.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { arg, MOIM, startMoim } from './lib/moim.mjs';
import { courseSession, ENDINGS, moimSession, Tally, wsSession } from './lib/soak-clients.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOADGEN = join(root, 'target/release/moim-loadgen');
const seconds = Number(arg('seconds', 600));
const warmup = Number(arg('warmup', Math.min(30, seconds / 4)));
const interval = Number(arg('interval', 10));
const rates = { moim: Number(arg('moim-rate', 20)), course: Number(arg('course-rate', 5)), ws: Number(arg('ws-rate', 3)) };
const subscribers = Number(arg('subscribers', 4));
/** `--no-history`: the server keeps no chat (an A/B that tells the SQLite store's memory from the rest). */
const noHistory = process.argv.includes('--no-history');
const sfuRuns = Number(arg('sfu-runs', 3));
const QUIET_S = 10;
/** Sessions of one kind in flight at most; past it a due session is skipped (and counted). */
const MAX_IN_FLIGHT = 2000;
const MEETINGS_PER_MINUTE = 16;
const COURSE_ROOMS_PER_MINUTE = 8;
const command = `node bench/soak.mjs ${process.argv.slice(2).join(' ')}`.trim();

for (const bin of sfuRuns > 0 ? [MOIM, LOADGEN] : [MOIM]) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --release -p moim -p moim-loadgen`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port free right now on loopback, for `--metrics-addr` (moim prints the metrics address only in its log). */
async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// ---- the server ------------------------------------------------------------
const metricsUrl = `http://127.0.0.1:${await freePort()}/metrics`;
const logged = { warn: 0, error: 0, examples: [] };
let pending = '';
const server = await startMoim(
  ['--sfu', 'always', '--public-ip', '127.0.0.1', '--media-port', '0', '--metrics-addr', new URL(metricsUrl).host, ...(noHistory ? ['--no-history'] : [])],
  {
    onOutput: (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const level = / (WARN|ERROR) /.exec(line)?.[1];
        if (!level) continue;
        logged[level.toLowerCase()]++;
        if (logged.examples.length < 10) logged.examples.push(line.slice(0, 300));
      }
    },
  },
);
/** Bounded overall: whatever happens, the server is stopped and the script ends. */
const hardStop = setTimeout(async () => {
  console.error('soak: overran its deadline; stopping');
  await server.stop();
  process.exit(2);
}, (seconds + 300) * 1000);

// ---- sampling --------------------------------------------------------------
/** The gauges of moim's /metrics worth watching for a leak, summed over labels. */
async function gauges() {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) })).text();
    const sum = (family) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${family}{`) || l.startsWith(`${family} `))
        .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return { sockets: sum('moim_sockets'), rooms: sum('moim_rooms'), participants: sum('moim_participants'), sfuSessions: sum('moim_sfu_sessions') };
  } catch (e) {
    return { sockets: NaN, rooms: NaN, participants: NaN, sfuSessions: NaN, scrapeError: e.message };
  }
}

/**
 * The server's open files by kind (socket, pipe, anon_inode:[eventfd], a
 * file's name), to say which kind grew, and the bytes of the chat history's
 * files among them (SQLite's page cache grows with the file, up to its cap).
 */
function fdKinds(pid) {
  const kinds = {};
  const store = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read
    }
    const kind = /^(socket|pipe):/.exec(target)?.[1] ?? (target.startsWith('/') ? target.slice(target.lastIndexOf('/') + 1) : target);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (kind.startsWith('history.sqlite3')) store.add(target);
  }
  let storeBytes = 0;
  for (const file of store) {
    try {
      storeBytes += statSync(file).size;
    } catch {
      // removed meanwhile (a checkpointed WAL)
    }
  }
  return { kinds, storeBytes };
}

const tally = new Tally();
const samples = [];
let t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;

async function sample(label = '') {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const s = {
    label,
    t: Math.round(elapsed()),
    rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)[1]),
    fds: readdirSync(`/proc/${server.pid}/fd`).length,
    ...(({ kinds, storeBytes }) => ({ fdKinds: kinds, storeBytes }))(fdKinds(server.pid)),
    threads: Number(/Threads:\s+(\d+)/.exec(status)[1]),
    clientConnections: tally.open + (sfu.running ? subscribers + 1 : 0),
    ...(await gauges()),
    count: structuredClone(tally.count),
    errors: tally.errorCount,
  };
  samples.push(s);
  console.error(
    `t=${String(s.t).padStart(4)} s  rss ${(s.rssKiB / 1024).toFixed(1)} MiB  fds ${s.fds}  threads ${s.threads}  ` +
      `sockets ${s.sockets}  rooms ${s.rooms}  sfu ${s.sfuSessions}  joins ${s.count.joins}  chats ${s.count.chats + s.count.courseChats + s.count.wsChats}  errors ${s.errors} ${label}`,
  );
  return s;
}

// ---- the SFU call ----------------------------------------------------------
const sfu = { running: false, runs: [], failures: [] };

/** One `moim-loadgen sfu` run of `secs` measured seconds; killed if it overruns by a minute. */
function loadgenRun(secs) {
  return new Promise((resolve) => {
    const child = spawn(LOADGEN, ['sfu', '--url', server.url, '--pid', String(server.pid), '--subscribers', String(subscribers), '--seconds', String(secs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (secs + 60) * 1000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      if (code === 0) resolve(JSON.parse(out));
      else resolve({ error: `loadgen exited ${code}: ${err.trim().slice(0, 300)}` });
    });
  });
}

/** The call, `sfuRuns` runs back to back, each ending near its share of the run. */
async function sfuCall() {
  for (let k = 0; k < sfuRuns; k++) {
    // Setup (publisher, subscribers, first frames, a settling second) takes a few seconds.
    const left = ((k + 1) * seconds) / sfuRuns - elapsed() - 4;
    if (left < 5) break;
    sfu.running = true;
    const r = await loadgenRun(Math.floor(left));
    sfu.running = false;
    if (r.error) {
      tally.error('sfu call', r.error);
      sfu.failures.push(r.error);
    } else sfu.runs.push({ startedAt: Math.round(elapsed() - r.seconds), ...r });
  }
}

// ---- the clients -----------------------------------------------------------
const inFlight = { moim: new Set(), course: new Set(), ws: new Set() };
const started = { moim: 0, course: 0, ws: 0 };
const skipped = { moim: 0, course: 0, ws: 0 };

function launch(kind, n) {
  const minute = Math.floor(elapsed() / 60);
  let run;
  const ending = ENDINGS[n % ENDINGS.length];
  if (kind === 'moim') {
    const room = (k) => `soak-${minute}-${k % MEETINGS_PER_MINUTE}`;
    const rooms = n % 7 === 3 ? [room(n), room(n + 5)] : [room(n)];
    run = moimSession(tally, server.url, { n, rooms, chats: 3, gapMs: 1000, ending });
  } else if (kind === 'course') {
    run = courseSession(tally, server.url, { n, room: `soak-course-${minute}-${n % COURSE_ROOMS_PER_MINUTE}`, chats: 5, gapMs: 1000, ending });
  } else {
    run = wsSession(tally, server.url, { n, chats: 5, gapMs: 1000, ending });
  }
  const p = run.catch((e) => tally.error(`${kind} session threw`, e.stack?.split('\n')[0]));
  inFlight[kind].add(p);
  p.finally(() => inFlight[kind].delete(p));
}

/** Starts sessions at the fixed rates until `seconds` have passed (catching up at most one second's worth at a time). */
async function drive() {
  while (elapsed() < seconds) {
    for (const kind of Object.keys(rates)) {
      const due = Math.floor(rates[kind] * elapsed()) - started[kind] - skipped[kind];
      for (let i = 0; i < Math.min(due, Math.ceil(rates[kind])); i++) {
        if (inFlight[kind].size >= MAX_IN_FLIGHT) skipped[kind]++;
        else launch(kind, started[kind]++);
      }
    }
    await sleep(50);
  }
}

// ---- the run ---------------------------------------------------------------
await sleep(1000);
const idle = await sample('idle, before the load');
t0 = performance.now();
const sampler = setInterval(() => sample(), interval * 1000);
const call = sfuCall();
await drive();
clearInterval(sampler);
const loadEnd = await sample('end of the load');
const drained = Promise.allSettled([call, ...Object.values(inFlight).flatMap((s) => [...s])]);
const drainStart = performance.now();
await Promise.race([drained, sleep(120_000)]);
const drainSeconds = Math.round((performance.now() - drainStart) / 1000);
const stillRunning = Object.values(inFlight).reduce((n, s) => n + s.size, 0);
if (stillRunning > 0) tally.error('sessions still running 120 s after the load', String(stillRunning));
await sleep(QUIET_S * 1000);
const quiet = await sample(`quiet, ${QUIET_S} s after the last client`);
await server.stop();
clearTimeout(hardStop);

// ---- the report ------------------------------------------------------------
const during = samples.filter((s) => s.t >= warmup && s !== idle && s !== quiet);
const start = during[0];
const middle = during.reduce((best, s) => (Math.abs(s.t - seconds / 2) < Math.abs(best.t - seconds / 2) ? s : best), start);
const end = loadEnd;
const mib = (kib) => (kib / 1024).toFixed(1);
const pct = (a, b) => (100 * (a - b)) / b;
const minMax = (key) => [Math.min(...during.map((s) => s[key])), Math.max(...during.map((s) => s[key]))];

/** RSS growth per minute over the loaded window, least squares. */
function slopeKiBPerMin() {
  const n = during.length;
  if (n < 2) return NaN;
  const mx = during.reduce((a, s) => a + s.t, 0) / n;
  const my = during.reduce((a, s) => a + s.rssKiB, 0) / n;
  const num = during.reduce((a, s) => a + (s.t - mx) * (s.rssKiB - my), 0);
  const den = during.reduce((a, s) => a + (s.t - mx) ** 2, 0);
  return (num / den) * 60;
}

const loaded = end.t - start.t;
const between = (key) => (end.count[key] - start.count[key]) / loaded;
const achieved = {
  connectsPerSecond: between('connects'),
  joinsPerSecond: between('joins'),
  courseJoinsPerSecond: between('courseJoins'),
  chatsPerSecond: (end.count.chats + end.count.courseChats + end.count.wsChats - start.count.chats - start.count.courseChats - start.count.wsChats) / loaded,
  moimChatsPerSecond: between('chats'),
  courseChatsPerSecond: between('courseChats'),
  wsChatsPerSecond: between('wsChats'),
  deliveriesPerSecond: between('deliveries'),
};

const failures = [];
const rssGrowth = pct(end.rssKiB, middle.rssKiB);
if (rssGrowth > 25) failures.push(`RSS grew ${rssGrowth.toFixed(0)} % from the middle to the end`);
if (quiet.fds - idle.fds > 8) failures.push(`${quiet.fds - idle.fds} more open files once quiet than before the load`);
if (end.fds - start.fds > 16 + 0.25 * start.fds) failures.push(`open files grew from ${start.fds} to ${end.fds} under load`);
for (const key of ['sockets', 'rooms', 'participants', 'sfuSessions']) {
  if (quiet[key] !== 0) failures.push(`the server still counts ${quiet[key]} ${key} once quiet`);
}
if (tally.errorCount > 0) failures.push(`${tally.errorCount} client errors`);
if (sfu.runs.length === 0) failures.push('the SFU call never completed a run');

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const row = (name, s) =>
  `| ${name} | ${s.t} s | ${mib(s.rssKiB)} MiB | ${s.fds} | ${s.clientConnections} | ${s.threads} | ${s.sockets} | ${s.rooms} | ${s.sfuSessions} | ${mib(s.storeBytes / 1024)} MiB |`;
const kinds = (s) => Object.entries(s.fdKinds).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(', ');
const [rssMin, rssMax] = minMax('rssKiB');
const [fdMin, fdMax] = minMax('fds');
const md = [
  `Soak, ${new Date().toISOString()}: \`${command}\``,
  '',
  `${seconds} s of load; the server's RSS and open files (/proc/PID/status VmRSS, /proc/PID/fd), its threads, and its own gauges`,
  `(/metrics: Socket.IO sockets, rooms, SFU sessions), every ${interval} s, beside the TCP connections the soak's clients hold open`,
  `at that moment (the SFU call's signaling included) and the size of the SQLite history's files${noHistory ? ' (none: `--no-history`)' : ''}.`,
  `Start is the first sample after the ${warmup} s warm-up.`,
  '',
  '| when | t | RSS | open files | client connections | threads | sockets | rooms | SFU sessions | history files |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  row('before the load', idle),
  row('start', start),
  row('middle', middle),
  row('end', end),
  row(`quiet (+${QUIET_S} s)`, quiet),
  `| min / max under load | | ${mib(rssMin)} / ${mib(rssMax)} MiB | ${fdMin} / ${fdMax} | | | | | | |`,
  '',
  `RSS end vs middle: ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} %; trend over the loaded window ${f1(slopeKiBPerMin())} KiB/min.`,
  `Open files before the load: ${kinds(idle)}; once quiet: ${kinds(quiet)}.`,
  '',
  `Achieved, from start to end: ${f1(achieved.connectsPerSecond)} connections/s, ${f1(achieved.joinsPerSecond)} \`/moim\` joins/s + ${f1(achieved.courseJoinsPerSecond)} course \`enter_room\`/s,`,
  `${f1(achieved.chatsPerSecond)} chat messages/s acknowledged (\`/moim\` ${f1(achieved.moimChatsPerSecond)}, \`/\` ${f1(achieved.courseChatsPerSecond)}, \`/ws\` ${f1(achieved.wsChatsPerSecond)}),`,
  `${f1(achieved.deliveriesPerSecond)} deliveries/s received. Sessions started: ${started.moim} \`/moim\`, ${started.course} \`/\`, ${started.ws} \`/ws\`` +
    ` (skipped for too many in flight: ${skipped.moim + skipped.course + skipped.ws}); endings: ${Object.entries(end.count.ended).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  `SFU call: ${sfu.runs.length} runs of 1 publisher → ${subscribers} subscribers` +
    (sfu.runs.length ? `: ${sfu.runs.map((r) => `${Math.round(r.seconds)} s at ${f1(r.forwardedMbps)} Mbit/s, loss ${r.lossPercent.toFixed(2)} %`).join('; ')}` : '') +
    (sfu.failures.length ? `; failed runs: ${sfu.failures.length}` : '') + '.',
  `Drained ${drainSeconds} s after the load stopped. Server log: ${logged.warn} warnings, ${logged.error} errors.`,
  '',
  `Client errors: ${tally.errorCount}${tally.errorCount ? ` (${[...tally.errors].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}.`,
  '',
  failures.length ? `**Verdict: suspicious** — ${failures.join('; ')}.` : '**Verdict: flat** — no growth past the limits, nothing left behind, no errors.',
].join('\n');

console.log(md);
writeFileSync(join(root, 'bench/results/soak-latest.md'), md + '\n');
writeFileSync(
  join(root, 'bench/results/soak-latest.json'),
  JSON.stringify(
    { date: new Date().toISOString(), command, seconds, warmup, interval, rates, subscribers, achieved, started, skipped,
      errors: Object.fromEntries(tally.errors), errorExamples: tally.examples, serverLog: logged, sfu, samples, failures },
    null,
    2,
  ) + '\n',
);
process.exit(failures.length ? 1 : 0);
