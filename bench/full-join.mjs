#!/usr/bin/env node
// Home → first remote frame, moim beside the course (issue 21). Loopback,
// headless Chromium with a fake camera and microphone, one browser, both
// stacks in one run, their repetitions interleaved:
//
// - course: the course's video client and server (`bench/reference/`):
//   "Enter room" on its page → first frame of the other's video.
// - moim: the home page's "Join" → pre-join screen → "Join now", clicked by
//   the page itself the moment the pre-join's button is there and enabled →
//   first frame. The pre-join's loading counts, no one's think time does.
// - moim, 1 s on the pre-join: the same, with "Join now" clicked one second
//   after it is enabled (a person looking at themselves), and that second
//   left out: (enabled − home click) + (first frame − "Join now").
//
// For each repetition the first person is already in a fresh room (course
// or moim), and the second person's page is open and connected. Clocks are
// the second page's `performance.now()`: a capture-phase click listener on
// each button, a MutationObserver for "enabled", and
// `requestVideoFrameCallback` on the remote video for the first frame.
//
//   node bench/full-join.mjs [--runs 7] [--pause 1000] [--trace] [--only course|moim]
//   MOIM_BIN=/path/to/moim MOIM_WEB_DIST=web/dist node bench/full-join.mjs
//
// --trace adds the engine's marks (`web/src/engine/marks.ts`) of both moim
// pages, median ms since "Join now" (negative: before it).
// MOIM_WEB_DIST serves the UI from a Vite build instead of the one built
// into the binary (page loads only; Socket.IO goes to the server).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

import { arg, launchChromium, startMoim, startServer } from './lib/moim.mjs';

const runs = Number(arg('runs', 7));
const trace = process.argv.includes('--trace');
const traces = [];
const pauseMs = Number(arg('pause', 1000));
const DIST = process.env.MOIM_WEB_DIST ? resolve(process.env.MOIM_WEB_DIST) : null;

const only = arg('only'); // course | moim: one side alone
const course = only === 'moim' ? null : await startServer('node', [new URL('./reference/server.mjs', import.meta.url).pathname, '--port', '0'], { name: 'course' });
// An ephemeral media port: another moim on this box may hold the default one.
const moim = only === 'course' ? null : await startMoim(['--media-port', '0', ...(process.env.MOIM_ARGS ?? '').split(' ').filter(Boolean)]);
const browser = await launchChromium();
const loadavg = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.png': 'image/png' };

/** A fresh context; moim's page loads from `DIST` when set (as web/tests/support/webDist.ts). */
async function newPage() {
  const context = await browser.newContext();
  if (DIST) {
    await context.route(`${moim?.url}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path.startsWith('/socket.io/') || path === '/ws' || path === '/healthz') return route.fallback();
      const file = normalize(join(DIST, path));
      const target = file.startsWith(DIST) && extname(file) !== '' && !path.startsWith('/r/') ? file : join(DIST, 'index.html');
      try {
        return route.fulfill({ status: 200, body: await readFile(target), contentType: TYPES[extname(target)] ?? 'application/octet-stream' });
      } catch {
        return route.fulfill({ status: 404, body: 'not found' });
      }
    });
  }
  return context.newPage();
}

/**
 * Arms the clocks in the page. `join`: the pre-join's button (null for the
 * course, which has none), clicked by the page `pause` ms after it is
 * enabled. Resolves (in the page) with the times once the first frame shows.
 */
function arm(page, { home, join, remote, pause }) {
  return page.evaluate(
    ({ home, join, remote, pause }) => {
      const t = (window.__t = { long: [] });
      // Main-thread tasks over 50 ms (for --trace): [start, duration].
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (t.home !== undefined && e.startTime >= t.home) t.long.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask' });
      // The call screen on the newcomer's page (for --trace).
      new MutationObserver((_, o) => {
        if (t.home !== undefined && document.querySelector('[data-testid="participant-count"]')) {
          t.callScreen = performance.now();
          o.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true });
      const onClick = (e) => {
        if (t.home === undefined && e.target.closest(home)) t.home = performance.now();
        if (join && t.join === undefined && e.target.closest(join)) t.join = performance.now();
      };
      document.addEventListener('click', onClick, { capture: true });
      if (join) {
        const check = () => {
          const b = document.querySelector(join);
          if (t.home === undefined || t.ready !== undefined || !b || b.disabled) return;
          t.ready = performance.now();
          observer.disconnect();
          setTimeout(() => b.click(), pause);
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      }
      return new Promise((done, fail) => {
        setTimeout(() => fail(new Error(`no remote frame in 20 s: ${JSON.stringify(t)}`)), 20000);
        const watch = () => {
          const v = document.querySelector(remote);
          if (v && v.srcObject) v.requestVideoFrameCallback(() => done({ ...t, frame: performance.now() }));
          else requestAnimationFrame(watch);
        };
        watch();
      });
    },
    { home, join, remote, pause },
  );
}

async function courseRun(room) {
  const a = await newPage();
  const b = await newPage();
  try {
    await a.goto(course.url);
    await a.locator('#welcome input').fill(room);
    await a.locator('#welcome button').click();
    // In the room once its join is sent (right after the camera and the connection).
    await a.waitForFunction(() => typeof roomName === 'string' && roomName !== '');
    await b.goto(course.url);
    await b.waitForFunction(() => socket.connected);
    await b.locator('#welcome input').fill(room);
    const times = arm(b, { home: '#welcome button', join: null, remote: '#peerFace' });
    await b.locator('#welcome button').click();
    const t = await times;
    return { total: t.frame - t.home };
  } finally {
    await a.context().close();
    await b.context().close();
  }
}

async function moimRun(room, pause) {
  const a = await newPage();
  const b = await newPage();
  try {
    await a.goto(`${moim.url}/r/${room}`);
    await a.getByTestId('nickname-input').fill('A');
    await a.getByTestId('enter-button').click();
    await a.getByTestId('participant-count').waitFor();
    // Connected: the server's connect packet for /moim came through.
    // (over a websocket, or a long-polling response before the upgrade).
    const connected = new Promise((ok, fail) => {
      setTimeout(() => fail(new Error('not connected in 20 s')), 20000);
      b.on('websocket', (ws) => ws.on('framereceived', (f) => String(f.payload).includes('40/moim') && ok()));
      b.on('response', (r) => r.url().includes('/socket.io/') && r.text().then((x) => x.includes('40/moim') && ok(), () => {}));
    });
    await b.goto(moim.url);
    await connected;
    await b.getByTestId('nickname-input').fill('B');
    await b.getByTestId('room-input').fill(room);
    const times = arm(b, { home: '[data-testid="join-button"]', join: '[data-testid="enter-button"]', remote: '[data-testid="remote-video"]', pause });
    await b.getByTestId('join-button').click();
    const t = await times;
    if (trace) traces.push(await marks(a, b, t));
    return {
      total: t.ready - t.home + (t.frame - t.join),
      prejoin: t.ready - t.home,
      fromJoin: t.frame - t.join,
      wall: t.frame - t.home,
    };
  } finally {
    await a.context().close();
    await b.context().close();
  }
}

/**
 * The engine's `performance.mark`s (`web/src/engine/marks.ts`) of both
 * pages after the home click, in ms since "Join now" on the newcomer's clock.
 */
async function marks(a, b, t) {
  const read = (page) =>
    page.evaluate(() => ({
      origin: performance.timeOrigin,
      marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('moim:')).map((m) => [m.name.slice(5), m.startTime]),
    }));
  const [ma, mb] = [await read(a), await read(b)];
  const out = {};
  for (const [who, m] of [['A', ma], ['B', mb]]) {
    for (const [name, at] of m.marks) {
      const onB = at + m.origin - mb.origin;
      if (onB >= t.home) out[`${who} ${name}`] ??= onB - t.join;
    }
  }
  out['B first frame'] = t.frame - t.join;
  out['B ready (pre-join)'] = t.ready - t.join;
  if (t.callScreen !== undefined) out['B call screen'] = t.callScreen - t.join;
  out['B long tasks'] = t.long.map(([at, d]) => `${Math.round(at - t.join)}+${Math.round(d)}`).join(' ');
  return out;
}

const kinds = {
  course: (i) => courseRun(`bench-c-${i}`),
  moim: (i) => moimRun(`bench-m-${i}`, 0),
  [`moim, ${pauseMs} ms on the pre-join`]: (i) => moimRun(`bench-p-${i}`, pauseMs),
};
for (const k of Object.keys(kinds)) if (only && !k.startsWith(only)) delete kinds[k];
const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
const loads = [];
// One warm-up of each, not counted: the first page of a browser pays for
// starting its GPU and network processes.
for (const run of Object.values(kinds)) await run('warm');
for (let i = 0; i < runs; i += 1) {
  loads.push(loadavg());
  for (const [kind, run] of Object.entries(kinds)) {
    const s = await run(i);
    samples[kind].push(s);
    console.error(`${kind} #${i + 1}: ${Object.entries(s).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
  }
}
await browser.close();
await Promise.all([course?.stop(), moim?.stop()]);

const stats = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length / 2;
  const median = s.length % 2 ? s[Math.floor(mid)] : (s[mid - 1] + s[mid]) / 2;
  return { min: Math.round(s[0]), median: Math.round(median), max: Math.round(s[s.length - 1]) };
};
const result = { runs, pauseMs, load1: { min: Math.min(...loads), max: Math.max(...loads) }, dist: DIST !== null };
for (const [kind, list] of Object.entries(samples)) {
  result[kind] = Object.fromEntries(Object.keys(list[0]).map((k) => [k, stats(list.map((s) => s[k]))]));
  result[kind].samples = list.map((s) => Math.round(s.total));
}
if (trace) {
  const names = [...new Set(traces.flatMap((x) => Object.keys(x)))];
  const numeric = names.filter((n) => n !== 'B long tasks');
  const rows = numeric.map((n) => [n, stats(traces.map((x) => x[n]).filter((v) => v !== undefined))]);
  rows.sort((x, y) => x[1].median - y[1].median);
  result.trace = Object.fromEntries(rows.map(([n, s]) => [n, `${s.median} (${s.min}…${s.max})`]));
  result.longTasks = traces.map((x) => x['B long tasks']);
}
console.log(JSON.stringify(result, null, 1));
