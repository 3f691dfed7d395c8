#!/usr/bin/env node
// The SFU on more than one core: two meetings at once (two `moim-loadgen
// sfu` clients, each one publisher and N subscribers in its own meeting)
// through one server with `--sfu-workers 1` and then `--sfu-workers 2`. With
// two workers each meeting lives on its own worker, so the two forward on two
// threads at once; with one, one thread forwards both.
//
// Nothing is pinned: the server and both load clients share this machine's
// cores, so a row whose load clients are busy near their cores' worth says
// as much about the client as about the server (the table shows their CPU).
// Prints a markdown table; the raw results go to
// bench/results/sfu-workers-latest.json.
//
//   node bench/sfu-workers.mjs [--no-build] [--seconds 10] [N…]   (default N: 50 100 150)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { MOIM, startServer } from './lib/moim.mjs';
import { LOADGEN, fixed, runJson, sfuServerArgs } from './lib/sfu-load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const secondsAt = argv.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 10;
const ns = argv.filter((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--seconds').map(Number);
const NS = ns.length > 0 ? ns : [50, 100, 150];

if (!argv.includes('--no-build')) {
  for (const p of ['moim', 'moim-loadgen']) {
    const r = spawnSync('cargo', ['build', '--release', '-p', p], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`cargo build -p ${p} failed`);
  }
}

function startMoim(workers) {
  const dir = mkdtempSync(join(tmpdir(), 'moim-sfu-workers-'));
  const args = [...sfuServerArgs(dir, workers), '--max-conns-per-ip', '0'];
  return startServer(MOIM, args, { name: 'moim', onExit: () => rmSync(dir, { recursive: true, force: true }) });
}

const loadgen = (args) => runJson(LOADGEN, args);

const rows = [];
for (const n of NS) {
  for (const workers of [1, 2]) {
    const server = await startMoim(workers);
    try {
      const job = ['sfu', '--url', server.url, '--pid', String(server.pid), '--subscribers', String(n), '--seconds', String(seconds)];
      const both = await Promise.all([loadgen(job), loadgen(job)]);
      const bytes = both.reduce((s, r) => s + r.bytesForwarded, 0);
      // One server, two overlapping windows: its CPU over the longer one.
      const cpu = Math.max(...both.map((r) => r.serverCpuSeconds));
      const wall = Math.max(...both.map((r) => r.seconds));
      const row = {
        workers,
        subscribersPerMeeting: n,
        forwardedMbps: (bytes * 8) / wall / 1e6,
        lossPercent: Math.max(...both.map((r) => r.lossPercent)),
        serverCores: cpu / wall,
        serverCoreSecondsPerGB: cpu / (bytes / 1e9),
        p99Ms: Math.max(...both.map((r) => r.latencyP99Ms)),
        loadClientsCores: both.reduce((s, r) => s + r.generatorBusy, 0),
      };
      console.error(JSON.stringify(row));
      rows.push(row);
    } finally {
      await server.stop();
    }
  }
}

const f = fixed;
const md = [
  '| subscribers per meeting (2 meetings) | SFU workers | forwarded (Mbit/s) | worst loss | server cores busy | server core-s per GB | p99 at the socket (ms) | load clients, cores busy |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.subscribersPerMeeting} | ${r.workers} | ${f(r.forwardedMbps)} | ${f(r.lossPercent, 2)} % | ${f(r.serverCores, 2)} | ${f(r.serverCoreSecondsPerGB)} | ${f(r.p99Ms)} | ${f(r.loadClientsCores, 2)} |`),
].join('\n');
console.log(md);
writeFileSync(join(root, 'bench/results/sfu-workers-latest.json'), JSON.stringify({ date: new Date().toISOString(), seconds, rows }, null, 2) + '\n');
