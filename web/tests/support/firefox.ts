/**
 * Debian's Firefox ESR beside the Chromium of the other browser tests, driven
 * by puppeteer-core over WebDriver BiDi (no geckodriver, never a downloaded
 * browser): a fake camera and microphone without prompts, as Chromium's.
 *
 * Firefox gathers no ICE candidates on loopback, so its media needs one of
 * the machine's other addresses, and the SFU must announce that one
 * (`--public-ip`, see `firefoxServerArgs`). The page itself stays on
 * `http://127.0.0.1:…`: only there (a secure context) may it open a camera.
 *
 * Firefox's `getVideoPlaybackQuality()` counts no frames of a WebRTC video,
 * so a video is judged live by `requestVideoFrameCallback` (and `currentTime`
 * moving on), not by `media.ts`'s `isLive`.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { WEB_DIST, distResponse } from './webDist';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * The machine's first non-loopback, non-link-local IPv4 address. Throws when
 * there is none: the Firefox tests cannot connect media without it, and must
 * fail saying so rather than pass by skipping.
 */
export function lanAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
    }
  }
  throw new Error(
    'no non-loopback IPv4 interface on this machine: Firefox gathers no ICE candidates on loopback, so its calls cannot connect',
  );
}

/** Server options for a Firefox call: the SFU announces the LAN address Firefox sends from. */
export function firefoxServerArgs(): string[] {
  return ['--public-ip', lanAddress()];
}

export async function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`no Firefox at ${FIREFOX}: .ci/run installs Debian's firefox-esr (or set FIREFOX)`);
  }
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // A generated camera picture and a tone, and no permission prompt.
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
    },
  });
}

/**
 * A person in Firefox: a context of their own and one page, its loads routed
 * to `MOIM_WEB_DIST` when set (as `webDist.ts` does for Chromium).
 */
export async function firefoxPage(browser: Browser): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1100, height: 800 });
  const dist = WEB_DIST;
  if (dist) {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      void (async () => {
        const answer = await distResponse(dist, new URL(request.url()));
        if (!answer) return request.continue();
        const body = typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body);
        return request.respond({ status: answer.status, contentType: answer.contentType, body });
      })();
    });
  }
  return page;
}

/** Opens `url/r/room`, types `name` and enters the call, as `stage.enter` in Chromium. */
export async function enterInFirefox(page: Page, url: string, room: string, name: string): Promise<void> {
  await page.goto(`${url}/r/${encodeURIComponent(room)}`);
  await page.locator('[data-testid="nickname-input"]').fill(name);
  await page.locator('[data-testid="enter-button"]').click();
  await page.locator('[data-testid="participant-count"]').wait();
}

/**
 * How many of the page's `selector` videos are live: a new frame within a
 * second (`requestVideoFrameCallback`), `currentTime` moving on, and not black.
 */
export function liveInFirefox(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (selector) => {
    const videos = [...document.querySelectorAll(selector)] as HTMLVideoElement[];
    const live = await Promise.all(
      videos.map(async (v) => {
        if (v.readyState < 2 || v.videoWidth === 0) return false;
        const before = v.currentTime;
        const framed = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 1000);
          v.requestVideoFrameCallback(() => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        await new Promise((r) => setTimeout(r, 100));
        const canvas = document.createElement('canvas');
        canvas.width = 32;
        canvas.height = 32;
        const ctx = canvas.getContext('2d');
        if (!ctx) return false;
        ctx.drawImage(v, 0, 0, 32, 32);
        const { data } = ctx.getImageData(0, 0, 32, 32);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
        return framed && v.currentTime > before && sum / (data.length / 4) > 8;
      }),
    );
    return live.filter(Boolean).length;
  }, selector);
}

/** Waits until the Firefox page shows `n` remote camera videos, all live. */
export async function waitForLiveRemotesInFirefox(page: Page, n: number, timeout = 30_000): Promise<void> {
  const selector = '[data-testid="remote-video"]';
  await expect
    .poll(
      async () => ((await page.$$eval(selector, (vs) => vs.length)) === n ? liveInFirefox(page, selector) : -1),
      { timeout, interval: 250 },
    )
    .toBe(n);
}

/**
 * Keeps every RTCPeerConnection the page makes in `window.__pcs` (as
 * `keepPeerConnections` in `media.ts` does in Chromium). Before the page loads.
 */
export async function keepPeerConnectionsInFirefox(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const Native = window.RTCPeerConnection;
    const pcs: RTCPeerConnection[] = [];
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

/** One simulcast layer Firefox sends (`outbound-rtp` with a rid). */
export interface FirefoxLayer {
  rid: string;
  width: number;
  height: number;
  framesEncoded: number;
}

/** The simulcast layers the Firefox page sends, by rid. */
export function sentLayersInFirefox(page: Page): Promise<FirefoxLayer[]> {
  return page.evaluate(async () => {
    const layers: FirefoxLayer[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video' || typeof s.rid !== 'string') return;
        layers.push({ rid: s.rid, width: Number(s.frameWidth ?? 0), height: Number(s.frameHeight ?? 0), framesEncoded: Number(s.framesEncoded ?? 0) });
      });
    }
    return layers.sort((a, b) => a.rid.localeCompare(b.rid));
  });
}
