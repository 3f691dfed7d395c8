// What the SFU benchmarks (`sfu.mjs`, `sfu-workers.mjs`) share: the server's
// flags for a load run, running `moim-loadgen` for its one JSON result, and
// the number format of their tables.
import { spawn } from 'node:child_process';

export const LOADGEN = new URL('../../target/release/moim-loadgen', import.meta.url).pathname;

/**
 * moim's flags for an SFU load run with its data in `dir`: every meeting
 * through the SFU, announced at `publicIp` (loopback unless the run needs the
 * host's address), no chat kept, and the per-client limits a real
 * deployment wants lifted (one load client is hundreds of peers).
 */
export function sfuServerArgs(dir, workers, publicIp = '127.0.0.1') {
  return [
    '--addr', '127.0.0.1:0',
    '--data-dir', dir,
    '--no-history',
    '--sfu', 'always',
    '--public-ip', publicIp,
    '--media-port', '0',
    '--sfu-workers', String(workers),
    '--room-size', '1000',
    '--rate-limit', '1000000', '--rate-burst', '1000000',
  ];
}

/** Runs `cmd args` (the load client, perhaps wrapped) and resolves with the JSON it prints. */
export function runJson(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`loadgen exited ${code}`))));
  });
}

/** A table cell: `v` with `d` decimals, or a dash where there is no number. */
export const fixed = (v, d = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');
