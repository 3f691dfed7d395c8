#!/usr/bin/env node
// The SFU in cluster mode (issue 20), measured with Debian's Chromium: how long
// a meeting's video stops when the node hosting its media is killed
// (`kill -9`) or drained for an upgrade (SIGTERM), and how long placing a
// meeting takes (its first SFU connection → a node holds its lease).
//
// Each run: a fresh two-node cluster (one Redis, one PostgreSQL, throw-away),
// four people in one meeting, two on each node, each node behind a failover
// port (lib/failover.mjs: its node, else the other, as docs/deploy.md's nginx
// does); once everyone sees the three others, the hosting node is killed or
// stopped. A gap is the longest time between two frames of one person's video
// on another's page, from a second before the event until that video has run
// two seconds again:
// - `stayed`: both people on the other node (their signaling never broke);
// - `moved`: a person whose signaling node was the one that went away (their
//   page reconnects through the failover port to the other node and joins
//   again), the longest of what they see of someone and what someone sees of
//   them.
// Placement time is the hosting node's own measure (`meeting placed … us=`),
// for every placement of the runs (the first, and the one after the move).
//
//   node bench/sfu-cluster-gap.mjs [--runs 5]
import { execFileSync } from 'node:child_process';

import { failoverProxy, target } from './lib/failover.mjs';
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

/** The longest time between two frames of `name` on `page` from a second before `since`. */
const longestGap = (page, name, since) =>
  page.evaluate(([n, s]) => {
    const frames = (window.__frames[n] ?? []).filter((t) => t > s - 1000);
    let longest = 0;
    for (let k = 1; k < frames.length; k += 1) longest = Math.max(longest, frames[k] - frames[k - 1]);
    return longest;
  }, [name, since]);

const gaps = { kill: { stayed: [], moved: [] }, drain: { stayed: [], moved: [] } };
const placements = [];
for (let i = 0; i < runs; i += 1) {
  for (const how of ['kill', 'drain']) {
    const [a, b] = [await node(), await node()];
    const doors = new Map([
      [a, await failoverProxy([target(a.url), target(b.url)])],
      [b, await failoverProxy([target(b.url), target(a.url)])],
    ]);
    const room = `gap-${how}-${i}-${process.pid}`;
    const names = ['Mina', 'Jun', 'Ara', 'Seo'];
    const people = [];
    for (const [j, name] of names.entries()) {
      const at = j % 2 === 0 ? a : b;
      people.push({ name, at, page: await enter(doors.get(at).url, room, name) });
    }
    const start = Date.now();
    for (const p of people) {
      for (const other of names.filter((n) => n !== p.name)) await until(async () => (await framesAfter(p.page, other, 0)) > 10, 60_000, `${p.name} sees ${other}`);
    }
    const owner = (await hosted(a)) === 1 ? a : b;
    const [watcher, watched] = people.filter((p) => p.at !== owner);
    const [mover] = people.filter((p) => p.at === owner);
    // Page clocks differ: each page's own "now" at the event.
    const t0 = new Map();
    for (const p of people) t0.set(p, await p.page.evaluate(() => performance.now()));
    if (how === 'kill') process.kill(owner.pid, 'SIGKILL');
    const stopping = owner.stop();
    // Back: two seconds of video (at the fake camera's rate) after the event.
    const pairs = [
      ['stayed', watcher, watched.name],
      ['moved', mover, watcher.name],
      ['moved', watcher, mover.name],
    ];
    for (const [, seer, seen] of pairs) {
      await until(async () => (await framesAfter(seer.page, seen, t0.get(seer))) > 40, 60_000, `${seer.name} sees ${seen} again`).catch(async (e) => {
        console.error(await seer.page.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').slice(0, 800)));
        console.error((owner === a ? b : a).log().split('\n').slice(-60).join('\n'));
        throw e;
      });
    }
    const measured = { stayed: 0, moved: 0 };
    for (const [kind, seer, seen] of pairs) measured[kind] = Math.max(measured[kind], await longestGap(seer.page, seen, t0.get(seer)));
    await stopping;
    const survivor = owner === a ? b : a;
    for (const n of [owner, survivor]) {
      for (const m of n.log().matchAll(/meeting placed on the least-loaded node.* us=(\d+)/g)) placements.push(Number(m[1]) / 1000);
    }
    gaps[how].stayed.push(measured.stayed);
    gaps[how].moved.push(measured.moved);
    console.log(
      JSON.stringify({ run: i + 1, how, stayedGapMs: Math.round(measured.stayed), movedGapMs: Math.round(measured.moved), everyoneLiveS: +((Date.now() - start) / 1000).toFixed(1) }),
    );
    for (const p of people) await p.page.context().close();
    for (const door of doors.values()) await door.close();
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
for (const how of ['kill', 'drain']) {
  const event = how === 'kill' ? 'killed' : 'drained';
  console.log(`video gap, owner ${event}, people on the other node: ${row(gaps[how].stayed)}`);
  console.log(`video gap, owner ${event}, people whose node it was: ${row(gaps[how].moved)}`);
}
console.log(`placement: median ${median(placements).toFixed(2)} ms, max ${Math.max(...placements).toFixed(2)} ms over ${placements.length} placements`);
process.exit(0);
