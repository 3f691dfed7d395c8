#!/usr/bin/env node
// Joins of an SFU meeting in headless Chromium with fake media, loopback
// (`--sfu auto`, threshold 4). Per run, two clocks, both from a click on
// "enter" to frames rendered (each page's own clock):
//   switch: the 4th person's click → each of the first three has frames of
//           three remote videos (the room just moved from mesh to the SFU);
//   late:   the 6th person's click → the 6th has frames of all five others.
//
//
// All six pages share this box's cores, so the late joiner's own browser
// competes with five others encoding and decoding. `--joiner-first` runs the
// sixth page in a Chromium of its own and the other five at niceness 19: the
// joiner gets the CPU first, as on its own device.
//
// `--trace` prints, per run, the late joiner's timeline on stderr: each
// RTCPeerConnection's creation, descriptions set, ICE/connection states and
// tracks, in ms since its click (how docs/benchmarks.md split the join).
//
//   node bench/sfu-join.mjs [--runs 3] [--joiner-first] [--trace]
import { launchChromium, startMoim } from './lib/moim.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 3) || 3;
const joinerFirst = process.argv.includes('--joiner-first');
const tracing = process.argv.includes('--trace');

/** In the page, before its scripts: every RTCPeerConnection's events into `window.__timeline`. */
function recordPeerConnections() {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  window.__timeline = [];
  const note = (pc, what) => window.__timeline.push([performance.now(), pcs.indexOf(pc), what]);
  for (const method of ['setLocalDescription', 'setRemoteDescription']) {
    const original = Native.prototype[method];
    Native.prototype[method] = function (description) {
      const kind = `${method === 'setLocalDescription' ? 'local' : 'remote'} ${description?.type ?? 'description'}`;
      note(this, kind);
      return original.apply(this, arguments).then((r) => (note(this, `${kind} applied`), r));
    };
  }
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pcs.push(pc);
    note(pc, 'created');
    pc.addEventListener('iceconnectionstatechange', () => note(pc, `ice ${pc.iceConnectionState}`));
    pc.addEventListener('connectionstatechange', () => note(pc, `connection ${pc.connectionState}`));
    pc.addEventListener('track', (e) => note(pc, `track ${e.track.kind} ${e.transceiver.mid}`));
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
}

const server = await startMoim(['--media-port', '0', ...(process.env.MOIM_ARGS ?? '').split(' ').filter(Boolean)]);
const browser = await launchChromium({ nice: joinerFirst ? 19 : 0 });
const joinerBrowser = joinerFirst ? await launchChromium() : browser;

/** Opens the room's page with the name typed, a clock armed on "enter". */
async function ready(room, name, on = browser) {
  const page = await (await on.newContext()).newPage();
  if (tracing) await page.addInitScript(recordPeerConnections);
  await page.goto(`${server.url}/r/${room}`);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('local-video').waitFor();
  await page.evaluate(() => {
    document.querySelector('[data-testid="enter-button"]').addEventListener('click', () => {
      window.__clicked = performance.now();
    }, { capture: true });
  });
  return page;
}

/** Resolves (in `page`'s clock) once `n` remote videos have a frame newer than `since` (performance.now of page). */
const framesOf = (page, n, since) =>
  page.evaluate(
    ([n, since]) =>
      new Promise((resolve) => {
        const check = () => {
          const videos = [...document.querySelectorAll('[data-testid="remote-video"]')];
          const fresh = videos.filter((v) => v.videoWidth > 0 && (v.__lastFrame ?? 0) > since);
          if (fresh.length >= n) return resolve(performance.now());
          for (const v of videos) {
            if (!v.__watching) {
              v.__watching = true;
              const tick = () => {
                v.__lastFrame = performance.now();
                v.requestVideoFrameCallback(tick);
              };
              v.requestVideoFrameCallback(tick);
            }
          }
          setTimeout(check, 20);
        };
        check();
      }),
    [n, since],
  );

const now = (page) => page.evaluate(() => performance.now());
const switches = [];
const lates = [];
for (let i = 0; i < runs; i += 1) {
  const room = `sfu-bench-${i}`;
  const pages = [];
  for (const name of ['A', 'B', 'C']) {
    const p = await ready(room, name);
    await p.getByTestId('enter-button').click();
    await p.getByTestId('participant-count').waitFor();
    pages.push(p);
  }
  for (const p of pages) await framesOf(p, 2, 0);
  // The 4th: the room becomes an SFU room. Each earlier page's clock starts at the click.
  const d = await ready(room, 'D');
  const before = await Promise.all(pages.map(now));
  const clickedAt = Date.now();
  await d.getByTestId('enter-button').click();
  const done = await Promise.all(pages.map((p, j) => framesOf(p, 3, before[j] + (Date.now() - clickedAt)).then((t) => t - before[j])));
  switches.push(Math.max(...done));
  pages.push(d);
  const e = await ready(room, 'E');
  await e.getByTestId('enter-button').click();
  await framesOf(e, 4, 0);
  const f = await ready(room, 'F', joinerBrowser);
  await f.getByTestId('enter-button').click();
  const t = await framesOf(f, 5, 0);
  lates.push(t - (await f.evaluate(() => window.__clicked)));
  if (tracing) {
    const lines = await f.evaluate(() =>
      window.__timeline
        .filter(([at]) => at >= window.__clicked)
        .map(([at, pc, what]) => `${Math.round(at - window.__clicked)} ms  pc${pc}  ${what}`),
    );
    console.error(`run ${i + 1}: late joiner, frames of all five at ${Math.round(lates.at(-1))} ms\n  ${lines.join('\n  ')}`);
  }
  for (const p of [...pages, e, f]) await p.context().close();
}
await browser.close();
if (joinerBrowser !== browser) await joinerBrowser.close();
server.stop();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return Math.round(s.length % 2 ? s[Math.floor(m)] : (s[m - 1] + s[m]) / 2);
};
// With --joiner-first the switch is timed on the niced pages: not reported.
const switched = joinerFirst ? {} : { switchMedianMs: median(switches), switchMs: switches.map(Math.round) };
console.log(JSON.stringify({ runs, joinerFirst, ...switched, lateMedianMs: median(lates), lateMs: lates.map(Math.round) }));
