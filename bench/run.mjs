#!/usr/bin/env node
// moim beside the course's Node + socket.io server, every scenario, one run:
//
//   node bench/run.mjs [--reps 3] [--only join|fanout|signaling] [--out bench/results]
//   node bench/run.mjs --from bench/results/latest.json   # only rewrite the table
//
// MOIM_BIN=/path/to/moim runs another build of the server (an A/B against an
// older binary, with the same load generator); --no-build skips the builds.
//
// Builds target/release/moim and moim-loadgen, installs the reference server's
// npm packages (bench/package.json) if missing, then for every scenario and
// every server starts a fresh server pinned to core 0 and the Rust load
// generator pinned to core 1 (taskset), three times. Reports medians, the
// machine's load average at each run, and the generator's own CPU: a run where
// the generator was busy more than 90 % of the time measured the generator, not
// the server, and is left out (a result with no run left says so).
//
// Writes bench/results/latest.md (the table) and latest.json (every run).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

import { arg, startServer as startLoggedServer } from './lib/moim.mjs';

const root = new URL('..', import.meta.url).pathname;
const reps = Number(arg('reps', 3));
const only = arg('only');
const outDir = arg('out', join(root, 'bench/results'));
const from = arg('from');
const SATURATED = 0.9;
const SERVER_CORE = '0';
const GENERATOR_CORE = '1';

// ---------------------------------------------------------------- setup
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}
if (!from && !existsSync(join(root, 'bench/node_modules/socket.io'))) {
  sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: join(root, 'bench') });
}
// Two builds, not one: built together, cargo would unify the generator's
// tokio-tungstenite features into moim's and make a moim unlike the one
// `cargo build --release` makes (and rebuild it each time one alternates).
if (!from && !process.argv.includes('--no-build')) {
  sh('cargo', ['build', '--release', '-p', 'moim']);
  sh('cargo', ['build', '--release', '-p', 'moim-loadgen']);
}
const MOIM = process.env.MOIM_BIN ?? join(root, 'target/release/moim');
const LOADGEN = join(root, 'target/release/moim-loadgen');

/** Runs `argv` with the open-files limit raised as far as allowed, on `core`. */
function pinned(core, argv) {
  return ['sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec taskset -c "$0" "$@"', core, ...argv]];
}

const servers = {
  node: () => ['node', [join(root, 'bench/reference/server.mjs'), '--port', '0']],
  moim: () => [
    MOIM,
    ['--addr', '127.0.0.1:0', '--data-dir', mkdtempSync(join(tmpdir(), 'moim-bench-')),
      // The benchmark measures throughput, not the per-socket rate limit, nor
      // the per-address connection cap (every client comes from 127.0.0.1).
      '--rate-limit', '1000000', '--rate-burst', '1000000', '--max-conns-per-ip', '0'],
  ],
};

/** A fresh server of `kind`, pinned to the server's core. */
function startServer(kind) {
  const [cmd, args] = servers[kind]();
  const [sh_, shArgs] = pinned(SERVER_CORE, [cmd, ...args]);
  // `sh -c exec` keeps the pid: the server is the child itself.
  return startLoggedServer(sh_, shArgs, { name: kind });
}

function loadgen(args) {
  const [cmd, argv] = pinned(GENERATOR_CORE, [LOADGEN, ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`loadgen exited ${code}`))));
  });
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

// ---------------------------------------------------------------- scenarios
// The course server needs ~20 s for 1,000 joins on a quiet machine, and
// grows with the square: at 5,000 and 10,000 it is stopped after 20 s.
const joinTimeout = (kind, clients) => (clients === 1000 ? 180 : kind === 'node' ? 20 : 60);
const scenarios = [
  ...[1000, 5000, 10000].map((clients) => ({
    group: 'join',
    name: `join ${clients}`,
    args: (kind) => ['join', '--clients', clients, '--rooms', 50, '--timeout', joinTimeout(kind, clients)],
  })),
  ...[
    ['6/one', 50, 6, 'one', 1000],
    ['6/all', 50, 6, 'all', 1500],
    ['50/one', 4, 50, 'one', 200],
    ['50/all', 4, 50, 'all', 400],
  ].map(([label, rooms, size, senders, rate]) => ({
    group: 'fanout',
    name: `fanout ${label}`,
    label: `${rooms} rooms of ${size}, ${senders === 'one' ? 'one member' : 'every member'} sending, ${rate} msg/s in all`,
    args: () => ['fanout', '--rooms', rooms, '--room-size', size, '--senders', senders, '--rate', rate, '--seconds', 5],
  })),
  {
    group: 'signaling',
    name: 'signaling course',
    args: () => ['signaling', '--clients', 100, '--rooms', 20, '--window-ms', 1000, '--protocol', 'course'],
  },
  {
    group: 'signaling',
    name: 'signaling own',
    // Each server's own client protocol: the course's events for Node, /moim for moim.
    args: (kind) => ['signaling', '--clients', 100, '--rooms', 20, '--window-ms', 1000, '--protocol', kind === 'moim' ? 'moim' : 'course'],
  },
].filter((s) => !only || s.group === only);

const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
const dirty = execFileSync('git', ['status', '--porcelain', '--', 'crates'], { cwd: root }).toString().trim() ? '+changes' : '';
const runs = from ? JSON.parse(readFileSync(from, 'utf8')) : [];
for (const scenario of from ? [] : scenarios) {
  for (let rep = 1; rep <= reps; rep++) {
    for (const kind of ['node', 'moim']) {
      const load = loadavg();
      const server = await startServer(kind);
      let result;
      try {
        result = await loadgen([...scenario.args(kind).map(String), '--url', server.url, '--pid', String(server.pid)]);
      } finally {
        await server.stop();
      }
      const run = { ...result, kind: result.scenario, scenario: scenario.name, server: kind, rep, load1: load[0],
        at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), moim: `${rev}${dirty}` };
      run.saturated = result.generatorBusy > SATURATED;
      runs.push(run);
      console.error(`${scenario.name} ${kind} #${rep}: ${JSON.stringify(result)} load ${load[0]}`);
    }
  }
}

// ---------------------------------------------------------------- table
const median = (xs) => {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const valid = (scenario, kind) => runs.filter((r) => r.scenario === scenario && r.server === kind && !r.saturated);
const med = (scenario, kind, field) => median(valid(scenario, kind).map((r) => r[field]));
const fmt = (x, digits = 0) =>
  x == null ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows = [];
/** A row; the ratio says how many times better moim is (`better`: which way is better). */
function row(what, node, moim, better, digits = 0, unit = '', ratioOf = [node, moim]) {
  const [n, m] = ratioOf;
  let ratio = '';
  if (typeof n === 'number' && typeof m === 'number' && n > 0 && m > 0) {
    ratio = `${fmt(better === 'higher' ? m / n : n / m, 1)}×`;
  }
  const show = (x) => (typeof x === 'number' ? `${fmt(x, digits)}${unit}` : x);
  rows.push(`| ${what} | ${show(node)} | ${show(moim)} | ${ratio} |`);
}
/** A "p50 / p99" row, its ratio from the p50s. */
function latencyRow(what, scenario, p50, p99, digits) {
  const cell = (kind) => `${fmt(med(scenario, kind, p50), digits)} / ${fmt(med(scenario, kind, p99), digits)}`;
  row(what, cell('node'), cell('moim'), 'lower', 0, '', [med(scenario, 'node', p50), med(scenario, 'moim', p50)]);
}

for (const scenario of scenarios.filter((s) => s.group === 'join')) {
  const clients = Number(scenario.name.split(' ')[1]);
  const cell = (kind) => {
    const rs = valid(scenario.name, kind);
    if (!rs.length) return runs.some((r) => r.scenario === scenario.name && r.server === kind) ? 'generator saturated' : 'n/a';
    const done = rs.filter((r) => r.allJoined);
    if (done.length * 2 > rs.length) return median(done.map((r) => r.allJoinedMs));
    const joined = median(rs.map((r) => r.joinedClients));
    return `> ${fmt(median(rs.map((r) => r.allJoinedMs)) / 1000)} s (${fmt((100 * joined) / clients, 1)} % joined)`;
  };
  const [node, moim] = [cell('node'), cell('moim')];
  row(`join: ${fmt(clients)} clients into 50 rooms, all joined (ms)`, node, moim, 'lower');
  // CPU up to a time-out is no cost of the whole job: no ratio then.
  const finished = typeof node === 'number' && typeof moim === 'number';
  row('↳ server CPU until then (ms)', med(scenario.name, 'node', 'serverCpuMs'), med(scenario.name, 'moim', 'serverCpuMs'), 'lower', 0, '',
    finished ? undefined : [null, null]);
}
if (scenarios.some((s) => s.name === 'join 1000') && scenarios.some((s) => s.name === 'join 10000')) {
  // RSS is read before the timed join phase: every run counts, saturated or not.
  const all = (scenario, kind, field) =>
    median(runs.filter((r) => r.scenario === scenario && r.server === kind).map((r) => r[field]));
  const slope = (kind, field) => {
    const a = all('join 1000', kind, field);
    const b = all('join 10000', kind, field);
    return a == null || b == null ? null : ((b - a) * 1024) / 9000 / 1000;
  };
  row('memory per connected socket (KB, RSS slope 1,000 → 10,000)', slope('node', 'serverRssConnectedKiB'), slope('moim', 'serverRssConnectedKiB'), 'lower', 1);
  row('memory per socket in a room (KB, RSS slope 1,000 → 10,000)', slope('node', 'serverRssJoinedKiB'), slope('moim', 'serverRssJoinedKiB'), 'lower', 1);
  row('idle RSS (MB)', all('join 1000', 'node', 'serverRssIdleKiB') / 1024, all('join 1000', 'moim', 'serverRssIdleKiB') / 1024, 'lower', 1);
}
for (const scenario of scenarios.filter((s) => s.group === 'fanout')) {
  const label = scenario.label;
  row(`fan-out, ${label}: deliveries per server CPU-second`, med(scenario.name, 'node', 'deliveriesPerCpuSecond'), med(scenario.name, 'moim', 'deliveriesPerCpuSecond'), 'higher');
  latencyRow('↳ p50 / p99 delivery latency (ms)', scenario.name, 'p50Ms', 'p99Ms', 1);
  row('↳ loss (%)', 100 * med(scenario.name, 'node', 'loss'), 100 * med(scenario.name, 'moim', 'loss'), 'lower', 2, '', [null, null]);
  row('↳ share of the server\'s CPU spent in the kernel (%)', 100 * med(scenario.name, 'node', 'serverKernelShare'),
    100 * med(scenario.name, 'moim', 'serverKernelShare'), 'lower', 0, '', [null, null]);
}
for (const scenario of scenarios.filter((s) => s.group === 'signaling')) {
  const what = scenario.name === 'signaling course'
    ? 'signaling storm, course events on both (100 people, 20 rooms, 1 s)'
    : 'signaling storm, each server\'s own protocol (Node: course events; moim: /moim)';
  row(`${what}: server CPU (ms)`, med(scenario.name, 'node', 'serverCpuMs'), med(scenario.name, 'moim', 'serverCpuMs'), 'lower');
  latencyRow('↳ pair negotiated, p50 / p99 from the later join (ms)', scenario.name, 'pairP50Ms', 'pairP99Ms', 1);
  latencyRow('↳ one relayed signal, p50 / p99 (ms)', scenario.name, 'relayP50Ms', 'relayP99Ms', 1);
}

const loads = runs.map((r) => r.load1);
const busiest = Math.max(...runs.map((r) => r.generatorBusy));
const saturated = runs.filter((r) => r.saturated);
const when = runs.at(-1)?.at ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const version = runs.at(-1)?.moim ?? `${rev}${dirty}`;
const table = [
  `Run finished ${when}, moim ${version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), server on core ${SERVER_CORE}, generator on core ${GENERATOR_CORE}; medians of ${Math.max(...runs.map((r) => r.rep))}.`,
  `Load average (1 min) at the start of each run: ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)}. ` +
    `Generator busy at most ${fmt(100 * busiest)} % of its core; ${saturated.length} of ${runs.length} runs left out as generator-saturated.`,
  '',
  '| scenario | Node reference | moim | moim better by |',
  '| --- | --- | --- | --- |',
  ...rows,
].join('\n');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.md'), `${table}\n`);
if (!from) writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(runs, null, 1)}\n`);
console.log(table);
