#!/usr/bin/env node
// Second join → first remote frame, loopback, headless Chromium with fake
// media: through the mesh by default, through the SFU with
// MOIM_ARGS="--sfu always". For each run: the first person is in the call; the clock starts when
// the second person clicks "enter" and stops when the second person's page has
// rendered the first frame of the first person's video (requestVideoFrameCallback).
//
//   node bench/first-frame.mjs [--runs 10]
//   MOIM_ARGS="--sfu always" node bench/first-frame.mjs [--runs 10]
import { launchChromium, startMoim } from './lib/moim.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 10) || 10;

const server = await startMoim((process.env.MOIM_ARGS ?? '').split(' ').filter(Boolean));
const browser = await launchChromium();

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
