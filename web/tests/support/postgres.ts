/**
 * A throw-away PostgreSQL cluster for tests, from `scripts/pg-temp.sh`: a
 * free port on loopback, removed by `stop()` or, should the test runner die,
 * by the script's own watchdog. Throws when PostgreSQL is not installed, so a
 * test that needs it fails instead of skipping.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = resolve(here, '../../../scripts/pg-temp.sh');

export interface TempPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Removes the cluster. */
  stop(): void;
  /** Stops the server, keeping the cluster: an outage. */
  down(): void;
  /** Starts it again on the same port. */
  up(): void;
}

export function startPostgres(): TempPostgres {
  const out = execFileSync(SCRIPT, ['start', '--fast', '--owner', String(process.pid)], { encoding: 'utf8' });
  const [url, dir] = out.trim().split('\n');
  if (!url || !dir) throw new Error(`pg-temp.sh printed no URL: ${out}`);
  return {
    url,
    stop: () => execFileSync(SCRIPT, ['stop', dir]),
    down: () => execFileSync(SCRIPT, ['down', dir]),
    up: () => execFileSync(SCRIPT, ['up', dir]),
  };
}
