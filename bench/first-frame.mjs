#!/usr/bin/env node
// Second join → first remote frame, mesh, loopback, headless Chromium with fake
// media. For each run: the first person is in the call; the clock starts when
// the second person clicks "enter" and stops when the second person's page has
// rendered the first frame of the first person's video (requestVideoFrameCallback).
//
//   node bench/first-frame.mjs [--runs 10]
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 10) || 10;

async function startMoim() {
  const bin = new URL('../target/release/moim', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'moim-bench-'));
  const child = spawn(bin, ['--addr', '127.0.0.1:0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1', RUST_LOG: 'warn,moim::server=info,moim::reach=info' },
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`moim exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

const server = await startMoim();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
});

async function enter(page, room, name) {
  await page.goto(`${server.url}/r/${room}`);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('local-video').waitFor();
}

const samples = [];
for (let i = 0; i < runs; i += 1) {
  const room = `bench-${i}`;
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await enter(a, room, 'A');
  await a.getByTestId('enter-button').click();
  await a.getByTestId('participant-count').waitFor();
  await enter(b, room, 'B');
  // Arm a frame watcher on B and a clock on the button, then click.
  await b.evaluate(() => {
    document.querySelector('[data-testid="enter-button"]').addEventListener('click', () => {
      window.__clicked = performance.now();
    }, { capture: true });
    window.__firstFrame = new Promise((resolve) => {
      const watch = () => {
        const v = document.querySelector('[data-testid="remote-video"]');
        if (v && 'requestVideoFrameCallback' in v) v.requestVideoFrameCallback(() => resolve(performance.now()));
        else requestAnimationFrame(watch);
      };
      watch();
    });
  });
  await b.getByTestId('enter-button').click();
  const t1 = await b.evaluate(() => window.__firstFrame);
  samples.push(t1 - (await b.evaluate(() => window.__clicked)));
  await a.context().close();
  await b.context().close();
}
await browser.close();
server.stop();
samples.sort((x, y) => x - y);
const mid = samples.length / 2;
const median = samples.length % 2 ? samples[Math.floor(mid)] : (samples[mid - 1] + samples[mid]) / 2;
console.log(JSON.stringify({ runs, medianMs: Math.round(median), samplesMs: samples.map(Math.round) }));
