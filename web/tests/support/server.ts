/**
 * Starts the real `moim` binary for a test: an ephemeral port on loopback, a
 * throw-away data dir, and the URL read from its start-up line. The binary is
 * `$MOIM_BIN`, else the release build the README's test command makes first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const MOIM_BIN = process.env.MOIM_BIN ?? resolve(here, '../../../target/release/moim');

export interface MoimServer {
  /** `http://127.0.0.1:<port>`, or `https://…` with `--tls` */
  url: string;
  /** `http://127.0.0.1:<port>/metrics` when started with `--metrics-addr`. */
  metricsUrl?: string;
  /** The data dir it was started with. */
  dataDir: string;
  /** The process id (to pause it with SIGSTOP and resume it with SIGCONT, say). */
  pid: number;
  /** Everything it logged so far. */
  log(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Extra command-line options. */
  args?: string[];
  /** Reuse a data dir (e.g. across a restart); a fresh one otherwise. */
  dataDir?: string;
  /** Listen on this exact address instead of an ephemeral port. */
  addr?: string;
  /** Extra environment variables (RUST_LOG, …). */
  env?: Record<string, string>;
}

const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export async function startServer(options: StartOptions = {}): Promise<MoimServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'moim-test-'));
  const ownsDir = options.dataDir === undefined;
  // Tests run side by side: any free UDP port for the SFU's media.
  const args = ['--addr', options.addr ?? '127.0.0.1:0', '--data-dir', dataDir, '--media-port', '0', ...(options.args ?? [])];
  const child = spawn(MOIM_BIN, args, {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`moim did not start in 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moim exited with ${code} before listening:\n${output}`));
    });
    child.once('error', reject);
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    started.delete(child);
  };
  // The metrics line is logged right before the listening line.
  const metricsUrl = /metrics are served on (http:\/\/[^\s"]+)/.exec(output)?.[1];
  return {
    url,
    metricsUrl,
    dataDir,
    pid: child.pid!,
    log: () => output,
    stop: async () => {
      await end('SIGTERM');
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
  };
}
