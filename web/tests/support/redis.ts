/**
 * A throw-away Redis for tests, from `scripts/redis-temp.sh`: a free port on
 * loopback, removed by `stop()` or, should the test runner die, by the
 * script's own watchdog. Throws when redis-server is not installed, so a test
 * that needs it fails instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = resolve(here, '../../../scripts/redis-temp.sh');

export interface TempRedis {
  /** `redis://127.0.0.1:<port>/` */
  url: string;
  /** Removes it. */
  stop(): void;
  /** Kills the server (an outage); it comes back empty. */
  down(): void;
  /** Starts it again on the same port. */
  up(): void;
}

export function startRedis(): TempRedis {
  const out = execFileSync(SCRIPT, ['start', '--owner', String(process.pid)], { encoding: 'utf8' });
  const [url, dir] = out.trim().split('\n');
  if (!url || !dir) throw new Error(`redis-temp.sh printed no URL: ${out}`);
  return {
    url,
    stop: () => execFileSync(SCRIPT, ['stop', dir]),
    down: () => execFileSync(SCRIPT, ['down', dir]),
    up: () => execFileSync(SCRIPT, ['up', dir]),
  };
}
