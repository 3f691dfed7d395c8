import { it } from 'vitest';
import { launchBrowser, person } from '../support/browser';
import { startServer } from '../support/server';
it('dbg', async () => {
  const server = await startServer({ args: ['--sfu', 'always'], env: { RUST_LOG: 'info,moim_sfu=debug' } });
  const browser = await launchBrowser();
  const pages = [];
  for (const name of ['A', 'B', 'C', 'D', 'E']) {
    const { page } = await person(browser);
    await page.goto(`${server.url}/r/dbg`);
    await page.getByTestId('nickname-input').fill(name);
    const t0 = Date.now();
    await page.getByTestId('enter-button').click();
    await page.getByTestId('participant-count').waitFor();
    const t1 = Date.now();
    const first = await page.evaluate(async (n) => {
      const start = performance.now();
      const seen = new Map<string, number>();
      while (performance.now() - start < 20000) {
        for (const v of document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-video"]')) {
          const name = v.dataset.name ?? '?';
          if (!seen.has(name) && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 1) seen.set(name, Math.round(performance.now() - start));
        }
        if (seen.size >= n) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [...seen.entries()];
    }, pages.length);
    console.log(name, 'count shown after', t1 - t0, 'ms; first frames (ms after that):', JSON.stringify(first));
    pages.push(page);
  }
  console.log(server.log().split('\n').filter((l) => /sfu|SFU/.test(l)).slice(-40).join('\n'));
  await browser.close();
  await server.stop();
}, 200000);
