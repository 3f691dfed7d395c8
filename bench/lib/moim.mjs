// What every bench script shares: reading `--name value` options, a process's
// CPU and memory from /proc, the web/ packages (socket.io-client,
// playwright-core), and starting a server that prints "listening on <url>".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packages installed for the web UI and its tests, shared by the benches. */
export const webRequire = createRequire(new URL('../../web/package.json', import.meta.url));

/**
 * The built server the benches measure (`cargo build --release`), or
 * `$MOIM_BIN`: another build, for an A/B run.
 */
export const MOIM = process.env.MOIM_BIN ?? new URL('../../target/release/moim', import.meta.url).pathname;

/** `--name value` from the command line, or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** A process's resident memory (KiB) and CPU time (clock ticks, user + system). */
export function usage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rssKiB, ticks: Number(stat[11]) + Number(stat[12]) };
}

/**
 * Starts `command args` and resolves once it prints "listening on <url>".
 * `stop()` sends SIGTERM (SIGKILL after 8 s) and resolves when it has exited.
 * The log filter keeps moim quiet but for that line (moim::reach logs it);
 * `onOutput(chunk)` sees everything it prints (a soak counts its warnings).
 */
export async function startServer(command, args, { name = command, onExit, onOutput, log = 'warn,moim::reach=info' } = {}) {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1', RUST_LOG: log },
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      onOutput?.(d);
      out += d;
      const m = /listening on (https?:\/\/[^\s"]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}`)));
  });
  child.stdout.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 8000).unref();
      await exited;
      onExit?.();
    },
  };
}

/**
 * target/release/moim on an ephemeral port and a fresh data dir, removed on
 * stop. `onOutput`: as in `startServer`.
 */
export function startMoim(extra = [], { onOutput, log } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'moim-bench-'));
  // Every simulated client comes from 127.0.0.1: no per-address cap (256 by default).
  const args = ['--addr', '127.0.0.1:0', '--data-dir', dir, '--max-conns-per-ip', '0', ...extra];
  return startServer(MOIM, args, { name: 'moim', onOutput, log, onExit: () => rmSync(dir, { recursive: true, force: true }) });
}

/**
 * Debian's Chromium, headless, with a fake camera and microphone. `nice`: run
 * it at that scheduling niceness (through a wrapper script), so another
 * browser on the same box gets the CPU first.
 */
export function launchChromium({ nice = 0 } = {}) {
  const { chromium } = webRequire('playwright-core');
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  let executablePath = chromiumPath;
  if (nice) {
    executablePath = join(mkdtempSync(join(tmpdir(), 'moim-nice-')), 'chromium');
    writeFileSync(executablePath, `#!/bin/sh\nexec nice -n ${nice} ${chromiumPath} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
}
