#!/usr/bin/env node
// The SFU benchmark: 1 publisher → N subscribers through moim's SFU and,
// side by side in the same run, through Janus's videoroom (Debian's `janus`),
// for N = 10, 25, 50, 100 (or the Ns given: `node bench/sfu.mjs 10 50`).
// The server under load runs pinned to core 0 (moim with `--sfu always`;
// Janus with every thread), the same load client (`moim-loadgen sfu`, str0m,
// nothing decoded; `--server janus` speaks Janus's API) to core 1; a fresh
// server per row, so its memory per subscriber is its own; moim then Janus at
// each N, so both see the box in the same state. Media goes over the host's
// own address for both (Janus gathers no loopback candidates). Prints a
// markdown table and keeps the raw results in bench/results/sfu-latest.{json,md}.
//
//   node bench/sfu.mjs [--no-build] [--no-janus] [--janus-loops 1] [--seconds 10] [--workers 1] [N…]
//
// `--janus-loops K` is Janus's `event_loops`: K media threads shared by all
// handles. 1 by default, as Janus's configuration advises for the CPUs it
// has (one core here); 0 is Janus's default, a thread per handle, which on
// one core loses frames from N = 50 (docs/benchmarks.md).
//
// Janus is not installed by `.ci/run`: `apt-get install --no-install-recommends
// janus`, or run with `--no-janus` for moim's rows alone.
//
// `--workers W` runs the server with `--sfu-workers W`, all on core 0: the
// one meeting lives on one worker and the others read part of its datagrams
// and pass them on, so the row's cost beside `--workers 1` is the routing's.
//
// MOIM_BIN=/path/to/moim runs another build of the server (an A/B against an
// older binary, with the same load client).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { hostAddress, requireJanus, startJanus } from './lib/janus.mjs';
import { MOIM, startServer } from './lib/moim.mjs';
import { LOADGEN, fixed, runJson, sfuServerArgs } from './lib/sfu-load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const build = !argv.includes('--no-build');
const withJanus = !argv.includes('--no-janus');
const janusVersion = withJanus ? requireJanus() : null;
const mediaIp = withJanus ? hostAddress() : '127.0.0.1';
const secondsAt = argv.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 10;
const loopsAt = argv.indexOf('--janus-loops');
const janusLoops = loopsAt >= 0 ? Number(argv[loopsAt + 1]) : 1;
const workersAt = argv.indexOf('--workers');
const workers = workersAt >= 0 ? Number(argv[workersAt + 1]) : 1;
const ns = argv.filter((a, i) => /^\d+$/.test(a) && !['--seconds', '--workers', '--janus-loops'].includes(argv[i - 1])).map(Number);
const NS = ns.length > 0 ? ns : [10, 25, 50, 100];

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}
if (build) {
  sh('cargo', ['build', '--release', '-p', 'moim']);
  sh('cargo', ['build', '--release', '-p', 'moim-loadgen']);
}

const pinned = (core, cmd) => ['sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec taskset -c "$0" "$@"', String(core), ...cmd]];

/** moim pinned to core 0, every meeting through the SFU. */
function startMoim() {
  const dir = mkdtempSync(join(tmpdir(), 'moim-sfu-bench-'));
  const [cmd, args] = pinned(0, [MOIM, ...sfuServerArgs(dir, workers, mediaIp)]);
  // `sh -c exec` keeps the pid: the server is the child itself.
  return startServer(cmd, args, { name: 'moim', onExit: () => rmSync(dir, { recursive: true, force: true }) });
}

function loadgen(args) {
  return runJson(...pinned(1, [LOADGEN, ...args]));
}

/** Janus pinned to core 0, every thread of it. */
const startPinnedJanus = () => startJanus((cmd, args) => pinned(0, [cmd, ...args]), { eventLoops: janusLoops });

const servers = [['moim', startMoim], ...(withJanus ? [['janus', startPinnedJanus]] : [])];
const results = [];
for (const n of NS) {
  for (const [name, start] of servers) {
    const server = await start();
    try {
      const r = await loadgen(['sfu', '--server', name, '--url', server.url, '--pid', String(server.pid), '--bind', mediaIp,
        '--subscribers', String(n), '--seconds', String(seconds)]);
      console.error(JSON.stringify(r));
      results.push(r);
    } finally {
      await server.stop();
    }
  }
}

const f = fixed;
const lines = [
  '| server | subscribers | forwarded (Mbit/s) | server core-s per GB | loss | at the socket, p50 / p99 (ms) | reassembled, p50 / p99 (ms) | server memory per subscriber, at start / after | load client busy |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.server === 'janus' ? `Janus ${janusVersion}` : 'moim'} | ${r.subscribers} | ${f(r.forwardedMbps)} | ${f(r.serverCoreSecondsPerGB)} | ${f(r.lossPercent, 2)} % | ${f(r.latencyP50Ms)} / ${f(r.latencyP99Ms)} | ${f(r.reassembledP50Ms)} / ${f(r.reassembledP99Ms)} | ${f(r.serverRssPerSubscriberKiB, 0)} / ${f(r.serverRssPerSubscriberAfterKiB, 0)} KiB | ${f(100 * r.generatorBusy, 0)} % |`,
  ),
];
if (withJanus) {
  const ratios = NS.map((n) => {
    const [m, j] = ['moim', 'janus'].map((name) => results.find((r) => r.server === name && r.subscribers === n));
    return `N = ${n}: ${f(m.serverCoreSecondsPerGB / j.serverCoreSecondsPerGB, 2)}×`;
  });
  lines.push('', `moim's server core-s per GB as a share of Janus's: ${ratios.join(', ')}.`);
}
const md = lines.join('\n');
console.log(md);
writeFileSync(join(root, 'bench/results/sfu-latest.json'), JSON.stringify({ date: new Date().toISOString(), seconds, workers, janus: janusVersion, janusLoops, mediaIp, results }, null, 2) + '\n');
writeFileSync(join(root, 'bench/results/sfu-latest.md'), md + '\n');
