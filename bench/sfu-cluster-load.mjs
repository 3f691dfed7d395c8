#!/usr/bin/env node
// The SFU in cluster mode under load (issue 20): two meetings of one
// publisher and N subscribers each (`moim-loadgen sfu`, two at once, every
// load client's signaling on node A), on a two-node cluster (one Redis, one
// PostgreSQL, throw-away) and, for comparison, on a single node. Placement
// puts one meeting on each node; each node forwards only its own meeting,
// whichever node the signaling went to. Per node: meetings hosted, bytes its
// SFU sent (`moim_sfu_bytes_total{direction="out"}`), its CPU time, and the
// core-seconds per GB of them, over the whole run of both load clients.
// Servers on core 0, load clients on core 1.
//
//   node bench/sfu-cluster-load.mjs [--subscribers 25] [--seconds 10]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MOIM, arg, startServer, usage } from './lib/moim.mjs';
import { LOADGEN, fixed, runJson, sfuServerArgs } from './lib/sfu-load.mjs';

const subscribers = Number(arg('subscribers', 25));
const seconds = Number(arg('seconds', 10));
const pinned = (core, cmd) => ['sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec taskset -c "$0" "$@"', String(core), ...cmd]];
const script = (name) => new URL(`../scripts/${name}`, import.meta.url).pathname;

async function node(extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'moim-cluster-bench-'));
  let log = '';
  const [cmd, args] = pinned(0, [MOIM, ...sfuServerArgs(dir, 1), '--metrics-addr', '127.0.0.1:0', ...extra]);
  const server = await startServer(cmd, args, {
    name: 'moim',
    log: 'warn,moim::reach=info,moim::server=info',
    onOutput: (d) => (log += d),
    onExit: () => rmSync(dir, { recursive: true, force: true }),
  });
  return { ...server, metrics: /metrics are served on (http:\/\/\S+)/.exec(log)?.[1] };
}

async function reading(n) {
  const text = await (await fetch(n.metrics)).text();
  const value = (re) => Number(re.exec(text)?.[1] ?? 0);
  return {
    bytesOut: value(/^moim_sfu_bytes_total\{direction="out"\} (\S+)/m),
    meetings: value(/^moim_sfu_meetings (\S+)/m),
    ticks: usage(n.pid).ticks,
  };
}

/** Two meetings at once, signaling on `entry`; each node's share. */
async function run(label, entry, nodes) {
  const before = await Promise.all(nodes.map(reading));
  let meetings = nodes.map(() => 0);
  const sampling = setInterval(async () => {
    const now = await Promise.all(nodes.map(reading));
    meetings = meetings.map((m, i) => Math.max(m, now[i].meetings));
  }, 1000);
  const load = () => runJson(...pinned(1, [LOADGEN, 'sfu', '--url', entry.url, '--pid', String(entry.pid), '--subscribers', String(subscribers), '--seconds', String(seconds)]));
  const results = await Promise.all([load(), load()]);
  clearInterval(sampling);
  const after = await Promise.all(nodes.map(reading));
  return nodes.map((n, i) => {
    const gb = (after[i].bytesOut - before[i].bytesOut) / 1e9;
    const cpu = (after[i].ticks - before[i].ticks) / 100;
    return { setup: label, node: i === 0 ? 'A' : 'B', meetings: meetings[i], gb, cpu, perGb: gb > 0 ? cpu / gb : NaN, loss: results.map((r) => r.lossPercent) };
  });
}

const [redisUrl, redisDir] = execFileSync(script('redis-temp.sh'), ['start', '--owner', String(process.pid)], { encoding: 'utf8' }).trim().split('\n');
const [pgUrl, pgDir] = execFileSync(script('pg-temp.sh'), ['start', '--owner', String(process.pid), '--fast'], { encoding: 'utf8' }).trim().split('\n');

const rows = [];
const single = await node();
rows.push(...(await run('single node', single, [single])));
await single.stop();

const cluster = ['--redis-url', redisUrl, '--database-url', pgUrl];
const a = await node(cluster);
const b = await node(cluster);
rows.push(...(await run('cluster', a, [a, b])));
await Promise.all([a.stop(), b.stop()]);
execFileSync(script('redis-temp.sh'), ['stop', redisDir]);
execFileSync(script('pg-temp.sh'), ['stop', pgDir]);

console.log(`Two meetings of 1 publisher → ${subscribers} subscribers at once, ${seconds} s windows; load clients' signaling on node A.`);
console.log('| setup | node | meetings hosted | sent (GB) | CPU (s) | core-s per GB | loss per meeting |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.setup} | ${r.node} | ${r.meetings} | ${fixed(r.gb, 3)} | ${fixed(r.cpu, 2)} | ${fixed(r.perGb, 1)} | ${r.loss.map((l) => `${fixed(l, 2)} %`).join(', ')} |`);
}
process.exit(0);
