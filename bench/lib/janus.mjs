// Janus (Debian's `janus` package, its videoroom plugin) as the peer in the
// SFU benchmark: started from a fresh folder of its own configuration, with
// only the videoroom plugin and the WebSocket transport loaded, ICE on the
// host's own address alone (see `hostAddress`) and
// the log at warnings. Not installed by `.ci/run`: the benchmark says how.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

export const JANUS = process.env.JANUS_BIN ?? '/usr/bin/janus';
const LIB = '/usr/lib/x86_64-linux-gnu/janus';

/** Throws with how to get Janus when it is not installed. */
export function requireJanus() {
  if (!existsSync(JANUS) || !existsSync(join(LIB, 'plugins/libjanus_videoroom.so'))) {
    throw new Error("Janus is not installed: `apt-get install --no-install-recommends janus` (Debian's 1.1.x), or JANUS_BIN=/path/to/janus");
  }
  const v = spawnSync(JANUS, ['--version'], { encoding: 'utf8' });
  return /Janus version: \d+ \(([^)]+)\)/.exec(v.stdout)?.[1] ?? 'unknown';
}

/**
 * The host's first non-loopback IPv4 address: libnice (Janus's ICE) gathers
 * no loopback candidates, so Janus and the load client meet there; the
 * kernel still carries it over the loopback device.
 */
export function hostAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('Janus needs a non-loopback IPv4 address on this host; none found');
}

/** A TCP port free right now on 127.0.0.1 (Janus takes its WebSocket port from its configuration). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`, or rejects after `ms`. */
async function listening(port, ms, exited) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('janus exited while starting');
    const ok = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`janus did not listen on ${port} within ${ms} ms`);
}

/**
 * Starts Janus as `wrap(janus, args)` (the caller pins it with taskset) and
 * resolves with `{ url, mediaIp, pid, stop }` once its WebSocket transport listens.
 * `wrap` must `exec`, so the pid is Janus's own.
 */
export async function startJanus(wrap = (cmd, args) => [cmd, args], { eventLoops = 0 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'moim-janus-'));
  const conf = join(dir, 'conf');
  const plugins = join(dir, 'plugins');
  const transports = join(dir, 'transports');
  for (const d of [conf, plugins, transports]) mkdirSync(d);
  symlinkSync(join(LIB, 'plugins/libjanus_videoroom.so'), join(plugins, 'libjanus_videoroom.so'));
  symlinkSync(join(LIB, 'transports/libjanus_websockets.so'), join(transports, 'libjanus_websockets.so'));
  const port = await freePort();
  const ip = hostAddress();
  writeFileSync(join(conf, 'janus.jcfg'), `general: {
  configs_folder = "${conf}"
  plugins_folder = "${plugins}"
  transports_folder = "${transports}"
  events_folder = "${join(dir, 'none')}"
  loggers_folder = "${join(dir, 'none')}"
  debug_level = 3
  session_timeout = 60${eventLoops > 0 ? `\n  event_loops = ${eventLoops}` : ''}
}
media: {
  rtp_port_range = "40000-60000"
}
nat: {
  nice_debug = false
  ice_enforce_list = "${ip}"
}
`);
  writeFileSync(join(conf, 'janus.transport.websockets.jcfg'), `general: {
  json = "compact"
  ws = true
  ws_port = ${port}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
}
`);
  // No rooms from the configuration: the load client creates its own.
  writeFileSync(join(conf, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
  const log = join(dir, 'janus.log');
  const [cmd, args] = wrap(JANUS, ['-F', conf, '-C', join(conf, 'janus.jcfg'), '-o', '-N', '-L', log]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  /** Janus's warnings and errors (its banner and start-up chatter left out), on stderr. */
  const complain = () => {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (/\[(WARN|ERR)\]/.test(line) && !/logger plugins folder/.test(line)) console.error(`janus: ${line.trim()}`);
    }
  };
  let gone = false;
  const exited = new Promise((resolve) => child.once('exit', () => { gone = true; resolve(); }));
  try {
    await listening(port, 15000, () => gone);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    complain();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    mediaIp: ip,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 8000).unref();
      await exited;
      complain();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
