/**
 * A meeting that outgrows the mesh, in Debian's Chromium with fake cameras:
 * five people go through moim's SFU and each sees four live videos; a sixth
 * joins late and sees everyone; when the room shrinks to three it falls back
 * to peer to peer on its own and the video goes on. One browser, one
 * context per person (two cores). Simulcast and the active speaker:
 * `sfu-layers.test.ts`.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { isLive, modeOf, waitForLiveRemotes } from '../support/media';
import { useStage } from '../support/stage';

const stage = useStage();
const enter = stage.enter;

/** Names on the remote videos `page` shows. */
const remoteNames = (page: Page) =>
  page.getByTestId('remote-video').evaluateAll((vs) => vs.map((v) => (v as HTMLElement).dataset.name).sort());

describe('a meeting through the SFU', () => {
  it('five see four live videos each, a late sixth sees everyone, and three fall back to peer to peer', async () => {
    const server = await stage.server();
    const names = ['Mina', 'Jun', 'Ara', 'Dan', 'Eun'];
    const people: Array<{ page: Page; context: BrowserContext }> = [];
    for (const name of names) people.push(await enter(server.url, 'town-hall', name));
    for (const [i, { page }] of people.entries()) {
      await expect.poll(() => modeOf(page)).toBe('sfu');
      await waitForLiveRemotes(page, 4);
      expect(await remoteNames(page)).toEqual(names.filter((_, j) => j !== i).sort());
    }

    // Screen share goes through the SFU too: Ara's screen is live at the others.
    const [mina, jun, ara] = people.map((p) => p.page) as [Page, Page, Page];
    await ara.getByTestId('screen-button').click();
    for (const page of [mina, jun]) {
      const screen = page.locator('[data-testid="remote-screen"][data-name="Ara"]');
      await expect.poll(() => screen.count().then((n) => (n === 1 ? isLive(screen) : false)), { timeout: 20_000 }).toBe(true);
    }
    await ara.getByTestId('screen-button').click();

    // Files stay peer to peer beside the SFU: Jun saves a byte-identical copy of Mina's.
    const bytes = randomBytes(200_000);
    await mina.getByTestId('file-input').setInputFiles({ name: 'slides.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const save = jun.locator('[data-testid="file-transfer"][data-direction="in"]').getByTestId('file-save');
    await save.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([jun.waitForEvent('download'), save.click()]);
    expect((await readFile(await download.path())).equals(bytes)).toBe(true);

    // A sixth, late: everyone's video, and the others see theirs.
    const six = await enter(server.url, 'town-hall', 'Yoon');
    await waitForLiveRemotes(six.page, 5);
    for (const { page } of people) await waitForLiveRemotes(page, 5);

    // Three leave: the room of three is peer to peer again, with live video.
    for (const p of people.splice(2)) await p.context.close();
    const remaining = [...people.map((p) => p.page), six.page];
    for (const page of remaining) {
      await expect.poll(() => modeOf(page), { timeout: 10_000 }).toBe('mesh');
      await waitForLiveRemotes(page, 2);
    }
    expect(await remoteNames(six.page)).toEqual(['Jun', 'Mina']);
  }, 240_000);
});
