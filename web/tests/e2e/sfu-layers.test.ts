/**
 * Simulcast through moim's SFU in Debian's Chromium: the camera goes up in
 * three layers, each receiver gets the one its tile needs (and a smaller one
 * when the tile shrinks), every page marks the same active speaker (never a
 * muted one), and the speaker's level comes through for the "speaking" ring. A
 * browser of its own: Chromium's fake camera is one device for all its pages.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { keepPeerConnections, receivedHeight, senderReport, sentLayers, toneWav } from '../support/media';
import { useStage, type EnterOptions } from '../support/stage';

// A steady tone for a microphone: the server's active-speaker choice samples
// smoothed levels every 500 ms, and could miss the default fake beep.
const stage = useStage(() => [`--use-file-for-fake-audio-capture=${toneWav()}`]);

/** Enters with the page's peer connections kept for getStats. */
const enter = (url: string, room: string, name: string, { prepare, ...options }: EnterOptions = {}) =>
  stage.enter(url, room, name, {
    ...options,
    prepare: async (context) => {
      await keepPeerConnections(context);
      await prepare?.(context);
    },
  });

/** A person without a camera: the page never opens the browser's shared fake one. */
const withoutCamera = (context: BrowserContext) =>
  context.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const open = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => open({ ...constraints, video: false });
  });

const modeOf = (page: Page) => page.getByTestId('call-mode').getAttribute('data-mode');

describe('simulcast through the SFU', () => {
  it('sends the camera in three layers; a small tile gets a smaller one than a big tile, and the speaker is marked', async () => {
    const server = await stage.server({ args: ['--sfu-threshold', '3'] });
    // Mina publishes; Jun draws her big (a tall window, 2 device pixels per CSS
    // pixel), Ara small. Only Mina has a camera: Chromium's one fake camera
    // changes its size (to 720p, for the SFU) only while no other page holds it.
    const jun = await enter(server.url, 'layers', 'Jun', {
      cameraOff: true,
      muted: true,
      prepare: withoutCamera,
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 2,
    });
    const ara = await enter(server.url, 'layers', 'Ara', {
      cameraOff: true,
      prepare: withoutCamera,
      viewport: { width: 480, height: 400 },
    });
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

    // Jun makes his window small: his tile shrinks, and so does what he gets.
    await jun.page.setViewportSize({ width: 480, height: 400 });
    const shrunk = await tileHeight(jun.page);
    expect(shrunk).toBeLessThan(big);
    await expect.poll(() => receivedHeight(jun.page, 'Mina'), { timeout: 30_000, interval: 500 }).toBeLessThan(f);

    // Jun came in muted; Ara mutes now. Every page of this browser captures the
    // same tone, so if a muted microphone's packets still carried its level the
    // three would tie: the server must go by who is muted, and name Mina. Every
    // page marks her tile (her own page included), and the marker is drawn.
    await ara.page.getByTestId('mute-button').click();
    const markedOn = (page: Page) =>
      page
        .locator('[data-testid="tile"][data-active-speaker="true"]')
        .evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.name));
    for (const { page } of [mina, jun, ara]) {
      await expect.poll(() => markedOn(page), { timeout: 20_000 }).toEqual(['Mina']);
    }
    // Mina's level travels with her sound through the SFU: the others' pages
    // light her "speaking" ring from the packets they receive.
    for (const { page } of [jun, ara]) {
      const tile = page.locator('[data-testid="tile"][data-name="Mina"]');
      await expect.poll(() => tile.getAttribute('data-speaking'), { timeout: 10_000 }).toBe('true');
    }
    const bar = await mina.page
      .locator('[data-testid="tile"][data-active-speaker="true"]')
      .evaluate((el) => getComputedStyle(el, '::after').backgroundColor);
    expect(bar).not.toBe('rgba(0, 0, 0, 0)');
  }, 240_000);
});
