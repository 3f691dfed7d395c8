/**
 * A meeting through the SFU survives its server restarting or freezing, and
 * says so on the stage meanwhile ("reconnecting", not black tiles): every page
 * rejoins by itself, opens a new connection to the new server's SFU (the old
 * one's sessions and media port are gone), and the video comes back. The
 * browser side of this (`SfuLink` reopening as a new participant) is where a
 * reconnect could leave a page with no media until a reload (`sfu.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { modeOf, waitForLiveRemotes } from '../support/media';
import { startServer } from '../support/server';
import { useStage } from '../support/stage';

const stage = useStage();

describe('an SFU meeting whose server restarts', () => {
  it('comes back through the new server with live video, without a click', async () => {
    const args = ['--sfu', 'always'];
    const first = await startServer({ args });
    const addr = new URL(first.url).host;
    const names = ['Mina', 'Jun', 'Ara'];
    const people = [];
    for (const name of names) people.push((await stage.enter(first.url, 'restart', name)).page);
    for (const page of people) {
      await expect.poll(() => modeOf(page)).toBe('sfu');
      await waitForLiveRemotes(page, 2);
    }

    await first.kill();
    for (const page of people) {
      await expect.poll(() => page.getByTestId('connection-banner').count()).toBe(1);
      // The stage says the video is reconnecting, instead of black tiles with no word.
      await expect.poll(() => page.getByTestId('media-reconnecting').count(), { timeout: 20_000 }).toBe(1);
    }
    await stage.server({ addr, dataDir: first.dataDir, args });

    for (const page of people) {
      await expect.poll(() => page.getByTestId('participant-count').textContent(), { timeout: 15_000 }).toBe('3');
      await expect.poll(() => modeOf(page)).toBe('sfu');
      await waitForLiveRemotes(page, 2);
      await expect.poll(() => page.getByTestId('connection-banner').count()).toBe(0);
      await expect.poll(() => page.getByTestId('media-reconnecting').count()).toBe(0);
    }
  }, 180_000); // three browsers reconnecting at once: slow on a busy 2-core box

  it('says the video is reconnecting while the server stops answering, and no more once it answers', async () => {
    const server = await stage.server({ args: ['--sfu', 'always'] });
    const people = [];
    for (const name of ['Mina', 'Jun']) people.push((await stage.enter(server.url, 'outage', name)).page);
    for (const page of people) {
      await expect.poll(() => modeOf(page)).toBe('sfu');
      await waitForLiveRemotes(page, 1);
      expect(await page.getByTestId('media-reconnecting').count()).toBe(0);
    }

    // The server freezes: its SFU stops answering ICE consent checks (and
    // everything else), as when its media path is cut.
    process.kill(server.pid, 'SIGSTOP');
    try {
      for (const page of people) {
        const sign = page.getByTestId('media-reconnecting');
        await sign.waitFor({ timeout: 20_000 });
        expect(await sign.textContent()).toBe('Video interrupted — reconnecting…');
      }
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    for (const page of people) {
      await expect.poll(() => page.getByTestId('media-reconnecting').count(), { timeout: 45_000 }).toBe(0);
      await waitForLiveRemotes(page, 1);
    }
  }, 120_000);
});
