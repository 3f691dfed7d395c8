/**
 * A meeting that outgrows the mesh, in Debian's Chromium with fake cameras:
 * five people go through moim's SFU and each sees four live videos; a sixth
 * joins late and sees everyone; when the room shrinks to three it falls back
 * to peer to peer on its own and the video goes on. Simulcast: the camera
 * goes up in three layers, and each receiver gets the one its tile needs;
 * the active speaker's tile is marked. One browser, one context per person
 * (two cores).
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { isLive, keepPeerConnections, liveCount, receivedHeight, senderReport, sentLayers, toneWav } from '../support/media';
import { useStage, type EnterOptions } from '../support/stage';

// A steady tone for a microphone: the server's active-speaker choice samples
// smoothed levels every 500 ms, and could miss the default fake beep.
const stage = useStage(() => [`--use-file-for-fake-audio-capture=${toneWav()}`]);

/** Enters with the page's peer connections kept for getStats. */
const enter = (url: string, room: string, name: string, options: EnterOptions = {}) =>
  stage.enter(url, room, name, { ...options, prepare: keepPeerConnections });

/** Waits until `page` shows `n` remote camera videos, all moving and not black. */
async function waitForLiveRemotes(page: Page, n: number, timeout = 30_000): Promise<void> {
  const videos = page.getByTestId('remote-video');
  await expect
    .poll(async () => ((await videos.count()) === n ? liveCount(videos) : -1), { timeout, interval: 250 })
    .toBe(n);
}

const modeOf = (page: Page) => page.getByTestId('call-mode').getAttribute('data-mode');

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

  it('sends the camera in three layers; a small tile gets a smaller one than a big tile, and the speaker is marked', async () => {
    const server = await stage.server({ args: ['--sfu-threshold', '3'] });
    // Mina publishes; Jun draws her big (a tall window, 2 device pixels per CSS
    // pixel), Ara small. Only Mina's camera is on (two cores), and she comes
    // last: Chromium's one fake camera changes its size (to 720p, for the SFU)
    // only while no other page holds it.
    const jun = await enter(server.url, 'layers', 'Jun', {
      cameraOff: true,
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 2,
    });
    const ara = await enter(server.url, 'layers', 'Ara', { cameraOff: true, viewport: { width: 480, height: 400 } });
    const mina = await enter(server.url, 'layers', 'Mina');
    for (const { page } of [mina, jun, ara]) await expect.poll(() => modeOf(page)).toBe('sfu');

    // Three layers leave Mina's browser, each one encoding. The full one starts
    // when Chromium's bandwidth estimate toward the SFU passes ~1.3 Mbps: within
    // 2 s when its start-up probe succeeds, ~20 s when it ramps up linearly.
    const encoding = async () => (await sentLayers(mina.page)).filter((l) => l.framesEncoded > 0).map((l) => l.rid);
    await expect
      .poll(encoding, { timeout: 60_000, interval: 500 })
      .toEqual(['q', 'h', 'f'])
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nMina sends: ${await senderReport(mina.page)}`);
      });
    const layers = await sentLayers(mina.page);
    console.log('sent layers', JSON.stringify(layers));

    const tileHeight = (page: Page) =>
      page
        .locator('[data-testid="tile"][data-name="Mina"]')
        .evaluate((el) => Math.round(el.getBoundingClientRect().height * window.devicePixelRatio));
    const [big, small] = [await tileHeight(jun.page), await tileHeight(ara.page)];
    expect(big).toBeGreaterThan(360);
    expect(small).toBeLessThanOrEqual(180);
    // The smallest layer at least as tall as the tile: the full one for Jun, the quarter one for Ara.
    const [q, , f] = layers.map((l) => l.frameHeight) as [number, number, number];
    await expect.poll(() => receivedHeight(jun.page, 'Mina'), { timeout: 30_000, interval: 500 }).toBe(f);
    await expect.poll(() => receivedHeight(ara.page, 'Mina'), { timeout: 30_000, interval: 500 }).toBe(q);
    console.log('tile heights (device px) → received frameHeight', { jun: [big, f], ara: [small, q] });

    // Jun makes his window small: his tile shrinks, and so does what he gets.
    await jun.page.setViewportSize({ width: 480, height: 400 });
    const shrunk = await tileHeight(jun.page);
    expect(shrunk).toBeLessThan(big);
    await expect.poll(() => receivedHeight(jun.page, 'Mina'), { timeout: 30_000, interval: 500 }).toBeLessThan(f);
    console.log('Jun after shrinking', { tile: shrunk, frameHeight: await receivedHeight(jun.page, 'Mina') });

    // The server names the room's active speaker: every page marks that one
    // person's tile (their own page included), and the marker is drawn.
    const markedOn = (page: Page) =>
      page
        .locator('[data-testid="tile"][data-active-speaker="true"]')
        .evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.name));
    await expect.poll(() => markedOn(mina.page), { timeout: 20_000 }).toHaveLength(1);
    const [speaker] = await markedOn(mina.page);
    for (const { page } of [jun, ara]) await expect.poll(() => markedOn(page), { timeout: 10_000 }).toEqual([speaker]);
    const bar = await mina.page
      .locator('[data-testid="tile"][data-active-speaker="true"]')
      .evaluate((el) => getComputedStyle(el, '::after').backgroundColor);
    expect(bar).not.toBe('rgba(0, 0, 0, 0)');
    console.log('active speaker marked on every page:', speaker);
  }, 240_000);
});
