#!/usr/bin/env node
// The SFU in cluster mode (issue 20), measured with Debian's Chromium: how long
// a meeting's video stops when the node hosting its media is killed
// (`kill -9`) or drained for an upgrade (SIGTERM), and how long placing a
// meeting takes (its first SFU connection → a node holds its lease).
//
// Each run: a fresh two-node cluster (one Redis, one PostgreSQL, throw-away),
// four people in one meeting, two on each node's address; once everyone sees
// the three others, the hosting node is killed or stopped. The gap is what a
// person on the other node sees of the other person there: the longest time
// between two frames of that person's video on their page, from a second
// before the event until the video has run two seconds again. Placement time
// is the hosting node's own measure (`meeting placed … us=`), for every
// placement of the runs (the first, and the one after the move).
//
//   node bench/sfu-cluster-gap.mjs [--runs 5]
import { execFileSync } from 'node:child_process';

import { arg, launchChromium, startMoim } from './lib/moim.mjs';

const runs = Number(arg('runs', 5));
const LOG = 'warn,moim::reach=info,moim::server=info,moim::cluster::placement=info,moim::media=info';

const script = (name) => new URL(`../scripts/${name}`, import.meta.url).pathname;
const [redisUrl, redisDir] = execFileSync(script('redis-temp.sh'), ['start', '--owner', String(process.pid)], { encoding: 'utf8' }).trim().split('\n');
const [pgUrl, pgDir] = execFileSync(script('pg-temp.sh'), ['start', '--owner', String(process.pid), '--fast'], { encoding: 'utf8' }).trim().split('\n');
const browser = await launchChromium();

async function node() {
  let log = '';
  const args = ['--redis-url', redisUrl, '--database-url', pgUrl, '--sfu', 'always', '--media-port', '0', '--metrics-addr', '127.0.0.1:0'];
  const server = await startMoim(args, { log: LOG, onOutput: (d) => (log += d) });
  const metrics = /metrics are served on (http:\/\/\S+)/.exec(log)?.[1];
  return { ...server, metrics, log: () => log };
}

async function hosted(n) {
  const text = await (await fetch(n.metrics)).text();
  return Number(/^moim_sfu_meetings (\d+)/m.exec(text)?.[1] ?? 0);
}

/** In the page: every frame of every remote video, by the person's name, in `window.__frames`. */
function recordFrames() {
  window.__frames = {};
  const watch = () => {
    for (const v of document.querySelectorAll('[data-testid="remote-video"]')) {
      if (v.__watching) continue;
      v.__watching = true;
      const tick = () => {
        const name = v.dataset.name ?? '?';
        (window.__frames[name] ??= []).push(performance.now());
        if (v.isConnected) v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    }
  };
  setInterval(watch, 20);
}

async function enter(url, room, name) {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(recordFrames);
  await page.goto(`${url}/r/${room}`);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor();
  return page;
}

/** Frames of `name` on `page` after `since` (page clock). */
const framesAfter = (page, name, since) => page.evaluate(([n, s]) => (window.__frames[n] ?? []).filter((t) => t > s).length, [name, since]);

async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const gaps = { kill: [], drain: [] };
const placements = [];
for (let i = 0; i < runs; i += 1) {
  for (const how of ['kill', 'drain']) {
    const [a, b] = [await node(), await node()];
    const room = `gap-${how}-${i}-${process.pid}`;
    const names = ['Mina', 'Jun', 'Ara', 'Seo'];
    const people = [];
    for (const [j, name] of names.entries()) people.push({ name, at: j % 2 === 0 ? a : b, page: await enter((j % 2 === 0 ? a : b).url, room, name) });
    const start = Date.now();
    for (const p of people) {
      for (const other of names.filter((n) => n !== p.name)) await until(async () => (await framesAfter(p.page, other, 0)) > 10, 60_000, `${p.name} sees ${other}`);
    }
    const owner = (await hosted(a)) === 1 ? a : b;
    const stays = people.filter((p) => p.at !== owner);
    const [watcher, watched] = stays;
    const t0 = await watcher.page.evaluate(() => performance.now());
    if (how === 'kill') process.kill(owner.pid, 'SIGKILL');
    const stopping = owner.stop();
    // Back: two seconds of video (at the fake camera's rate) after the event.
    await until(async () => (await framesAfter(watcher.page, watched.name, t0)) > 40, 30_000, 'video back');
    const gap = await watcher.page.evaluate(([n, s]) => {
      const frames = (window.__frames[n] ?? []).filter((t) => t > s - 1000);
      let longest = 0;
      for (let k = 1; k < frames.length; k += 1) longest = Math.max(longest, frames[k] - frames[k - 1]);
      return longest;
    }, [watched.name, t0]);
    await stopping;
    const survivor = owner === a ? b : a;
    for (const n of [owner, survivor]) {
      for (const m of n.log().matchAll(/meeting placed on the least-loaded node.* us=(\d+)/g)) placements.push(Number(m[1]) / 1000);
    }
    gaps[how].push(gap);
    console.log(JSON.stringify({ run: i + 1, how, gapMs: Math.round(gap), everyoneLiveS: +((Date.now() - start) / 1000).toFixed(1) }));
    for (const p of people) await p.page.context().close();
    await survivor.stop();
  }
}
await browser.close();
execFileSync(script('redis-temp.sh'), ['stop', redisDir]);
execFileSync(script('pg-temp.sh'), ['stop', pgDir]);

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const row = (xs) => `median ${Math.round(median(xs))} ms (${xs.map((x) => Math.round(x)).join(', ')})`;
console.log(`video gap, owner killed:  ${row(gaps.kill)}`);
console.log(`video gap, owner drained: ${row(gaps.drain)}`);
console.log(`placement: median ${median(placements).toFixed(2)} ms, max ${Math.max(...placements).toFixed(2)} ms over ${placements.length} placements`);
process.exit(0);
