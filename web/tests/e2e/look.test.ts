/**
 * What a first-time visitor sees, measured in the browser at a laptop's
 * 1280x800 and a phone's 390x844: the pre-join page's connection check is
 * styled, and "Join now" is in sight without scrolling and stays put while
 * the page settles; a four-person call on the phone is two columns of
 * squares with the mode pill on one line; a full meeting says so in the home
 * page's room list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { connect, request } from '../support/sio';
import { useStage } from '../support/stage';

const stage = useStage();

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The element's box, and whether the page can scroll at all. */
function boxAndScroll(page: Page, testId: string) {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      top: r.top,
      bottom: r.bottom,
      left: r.left,
      right: r.right,
      scrollY: window.scrollY,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      hitTest: document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('[data-testid]')?.getAttribute('data-testid'),
    };
  });
}

/** In the page: every distinct top of "Join now" from its first frame on, in `window.__tops`. */
function recordButtonTops(): void {
  const tops: number[] = [];
  (window as unknown as { __tops: number[] }).__tops = tops;
  const frame = () => {
    const button = document.querySelector('[data-testid="enter-button"]');
    if (button) {
      const top = button.getBoundingClientRect().top;
      if (tops[tops.length - 1] !== top) tops.push(top);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

describe('the pre-join page', () => {
  it('styles the connection check (its own rules, not the browser defaults)', async () => {
    const { url } = await stage.server();
    const { page } = await stage.person(DESKTOP);
    await page.goto(`${url}/r/look`);
    const check = page.getByTestId('connectivity');
    await check.waitFor();
    // Only `.connectivity` makes this section a flex column with a gap; an
    // unclosed rule above it in styles.css had nested it away.
    const style = await check.evaluate((el) => {
      const s = getComputedStyle(el);
      return { display: s.display, direction: s.flexDirection, gap: s.rowGap };
    });
    expect(style).toEqual({ display: 'flex', direction: 'column', gap: '6px' });
  });

  for (const [label, size] of [
    ['1280x800', DESKTOP],
    ['a 390x844 phone', PHONE],
  ] as const) {
    it(`shows "Join now" without scrolling at ${label}, where it stays while the page settles, and it joins`, async () => {
      const { url } = await stage.server();
      const { page } = await stage.person(size);
      await page.addInitScript(recordButtonTops);
      await page.goto(`${url}/r/look`);
      // Settled: the camera is on and the connection check has answered.
      await page.getByTestId('local-video').waitFor();
      await expect.poll(() => page.getByTestId('connectivity').getAttribute('data-phase'), { timeout: 15_000 }).not.toBe('checking');
      const box = await boxAndScroll(page, 'enter-button');
      expect(box.scrollY).toBe(0);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(box.innerHeight);
      expect(box.right).toBeLessThanOrEqual(box.innerWidth);
      // Not covered by anything: a tap there is a tap on the button.
      expect(box.hitTest).toBe('enter-button');
      // It never moved: the camera starting and the check's answer came in
      // around it, not above it (a button that jumps gets a missed click).
      expect(await page.evaluate(() => (window as unknown as { __tops: number[] }).__tops)).toEqual([box.top]);
      await page.getByTestId('nickname-input').fill('Mina');
      await page.getByTestId('enter-button').click();
      await page.getByTestId('participant-count').waitFor();
    });
  }
});

describe('a call on a phone', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  it('puts four people in two columns of squares, the mode pill on one line', async () => {
    const { url } = await stage.server({ args: ['--sfu', 'always'] });
    const room = 'phone four';
    // The others join over Socket.IO, without media: the tiles' geometry is
    // the point, not their video, and three more browsers would only slow it.
    for (const name of ['Jun', 'Ara', 'Dan']) {
      const socket = await connect(url, '/moim');
      sockets.push(socket);
      await request(socket, 'join', { room, name, audio: false, video: false });
    }
    const { page } = await stage.enter(url, room, 'Mina', PHONE);
    await expect.poll(() => page.getByTestId('tile').count(), { timeout: 15_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('call-mode').getAttribute('data-mode')).toBe('sfu');

    const tiles = await page.getByTestId('tile').evaluateAll((ts) =>
      ts.map((t) => {
        const r = t.getBoundingClientRect();
        return { x: Math.round(r.left), y: Math.round(r.top), width: r.width, height: r.height, bottom: r.bottom };
      }),
    );
    const columns = new Set(tiles.map((t) => t.x));
    const rows = new Set(tiles.map((t) => t.y));
    expect(columns.size, JSON.stringify(tiles)).toBe(2);
    expect(rows.size, JSON.stringify(tiles)).toBe(2);
    for (const t of tiles) {
      expect(Math.abs(t.width - t.height), JSON.stringify(t)).toBeLessThanOrEqual(2);
      // Big enough to see a face: close to half the phone's width.
      expect(t.width).toBeGreaterThan(160);
      expect(t.bottom).toBeLessThanOrEqual(844);
    }
    expect(await page.evaluate(() => window.scrollY + document.documentElement.scrollHeight)).toBeLessThanOrEqual(844);

    // "via server" (and the Korean) on one line: its text makes one line box.
    const lines = () =>
      page.getByTestId('call-mode').evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
    expect(await page.getByTestId('call-mode').textContent()).toBe('via server');
    expect(await lines()).toBe(1);
    await page.getByTestId('lang-select').selectOption('ko');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ko');
    expect(await lines()).toBe(1);
  }, 120_000);
});

describe('the home page’s room list', () => {
  it('says "full" on a listed meeting at its size limit, in English and Korean', async () => {
    const { url } = await stage.server({ args: ['--room-size', '2'] });
    const room = 'tiny';
    const { page: mina } = await stage.enter(url, room, 'Mina', { cameraOff: true });
    await mina.getByTestId('people-button').click();
    await mina.getByTestId('list-switch').click();

    const { page: dan } = await stage.person(DESKTOP);
    await dan.goto(url);
    const item = dan.locator('[data-testid="room-item"]', { has: dan.getByText(room, { exact: true }) });
    await item.waitFor();
    expect(await item.getByTestId('room-full').count()).toBe(0);

    await stage.enter(url, room, 'Jun', { cameraOff: true });
    await item.getByTestId('room-full').waitFor();
    expect(await item.getByTestId('room-full').isVisible()).toBe(true);
    expect(await item.getByTestId('room-full').textContent()).toBe('full');
    // Its tooltip says it too, not only the mark.
    expect(await item.getAttribute('title')).toContain('full');
    await dan.getByTestId('lang-select').selectOption('ko');
    await expect.poll(() => item.getByTestId('room-full').textContent()).toBe('가득 참');
    expect(await item.getAttribute('title')).toContain('가득 참');
  }, 120_000);
});
