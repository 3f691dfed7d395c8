/**
 * Accessibility, checked in the browser: axe-core finds nothing on the home,
 * pre-join and call pages in light and dark; the focus ring is an outline of
 * at least 3:1 in both themes, over video and in forced-colours mode; and
 * focus lands on the first control of each new screen. To check a new screen,
 * add an `expectAxeClean(page, '<where>')` where the test reaches it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe';
import { useStage } from '../support/stage';

const stage = useStage();

const SCHEMES = ['light', 'dark'] as const;

/** The test id of the focused element (or its tag when it has none). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? null;
  });

/** The pre-join page once the camera is on and the connection check has answered. */
async function settledPreJoin(page: Page): Promise<void> {
  await page.getByTestId('local-video').waitFor();
  await expect.poll(() => page.getByTestId('connectivity').getAttribute('data-phase'), { timeout: 15_000 }).not.toBe('checking');
}

/** WCAG relative luminance contrast of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The focused element's ring: outline, the halo colour under it, and the page's background. */
const ring = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    return {
      testId: el.dataset.testid ?? el.tagName.toLowerCase(),
      focusVisible: el.matches(':focus-visible'),
      style: s.outlineStyle,
      width: parseFloat(s.outlineWidth),
      color: s.outlineColor,
      halo: /rgba?\([^)]*\)/.exec(s.boxShadow)?.[0] ?? null,
      page: getComputedStyle(document.body.parentElement!).backgroundColor,
    };
  });

describe('axe-core', () => {
  for (const colorScheme of SCHEMES) {
    it(`finds no violation on the home, pre-join and call pages (${colorScheme})`, async () => {
      const { url } = await stage.server();
      const { page } = await stage.person({ colorScheme });
      await page.goto(url);
      await page.getByTestId('room-list').waitFor();
      await expectAxeClean(page, `the home page (${colorScheme})`);

      await page.getByTestId('nickname-input').fill('Mina');
      await page.getByTestId('room-input').fill('axe check');
      await page.getByTestId('join-button').click();
      await settledPreJoin(page);
      await expectAxeClean(page, `the pre-join page (${colorScheme})`);

      await page.getByTestId('enter-button').click();
      await page.getByTestId('participant-count').waitFor();
      await stage.enter(url, 'axe check', 'Jun', { colorScheme, cameraOff: true });
      await expect.poll(() => page.getByTestId('tile').count()).toBe(2);
      // The chat open, with lines in it (the log and its items are checked too).
      if ((await page.getByTestId('chat-toggle').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('chat-toggle').click();
      await page.getByTestId('chat-input').fill('hello');
      await page.getByTestId('chat-input').press('Enter');
      await page.locator('[data-testid="chat-message"][data-kind="self"]').waitFor();
      await expectAxeClean(page, `the call (${colorScheme})`);
      // Two people starting a call, and axe three times: slow on a busy machine.
    }, 150_000);
  }
});

describe('axe-core on the screens around a call', () => {
  it('finds no violation in the shortcuts and leave dialogs, on "You left", the stats panel and "page not found" (dark)', async () => {
    const { url } = await stage.server();
    const { page } = await stage.person({ colorScheme: 'dark' });
    await stage.enter(url, 'axe around', 'Jun', { colorScheme: 'dark', cameraOff: true });
    await page.goto(`${url}/r/${encodeURIComponent('axe around')}`);
    await page.getByTestId('nickname-input').fill('Mina');
    await settledPreJoin(page);
    await page.getByTestId('enter-button').click();
    await expect.poll(() => page.getByTestId('tile').count()).toBe(2);

    await page.getByTestId('stats-button').click();
    await page.getByTestId('stats-panel').waitFor();
    await expectAxeClean(page, 'the stats panel');
    await page.getByTestId('stats-button').click();

    await page.getByTestId('shortcuts-button').click();
    await page.getByTestId('shortcuts-dialog').waitFor();
    await expectAxeClean(page, 'the shortcuts dialog');
    await page.getByTestId('shortcuts-close').click();

    await page.getByTestId('leave-button').click();
    await page.getByTestId('leave-dialog').waitFor();
    await expectAxeClean(page, 'the leave dialog');
    await page.getByTestId('leave-confirm').click();
    await page.getByTestId('left-screen').waitFor();
    await expectAxeClean(page, 'the "You left" screen');

    await page.goto(`${url}/nonexistent/page`);
    await page.getByTestId('not-found').waitFor();
    await expectAxeClean(page, 'page not found');
    // Focus starts on the way home, the page's one control.
    await expect.poll(() => focused(page)).toBe('a');
  }, 150_000);
});

describe('the focus ring', () => {
  for (const colorScheme of SCHEMES) {
    it(`is an outline of at least 3:1 on the page and over video (${colorScheme})`, async () => {
      const { url } = await stage.server();
      const { page } = await stage.enter(url, 'rings', 'Mina', { colorScheme });
      await page.keyboard.press('Tab');
      await page.getByTestId('mute-button').focus();
      const onPage = await ring(page);
      expect(onPage).toMatchObject({ testId: 'mute-button', focusVisible: true, style: 'solid' });
      expect(onPage.width).toBeGreaterThanOrEqual(2);
      expect(contrast(onPage.color, onPage.page), JSON.stringify(onPage)).toBeGreaterThanOrEqual(3);
      // Two tones ≥ 3:1 apart: whatever is behind (a face, a dark room), one of them stands out.
      expect(onPage.halo).not.toBeNull();
      expect(contrast(onPage.color, onPage.halo!), JSON.stringify(onPage)).toBeGreaterThanOrEqual(3);

      // Over video: the pin on one's own tile.
      await page.getByTestId('tile').first().getByTestId('pin-button').focus();
      const onVideo = await ring(page);
      expect(onVideo).toMatchObject({ testId: 'pin-button', focusVisible: true, style: 'solid' });
      expect(contrast(onVideo.color, onVideo.halo!)).toBeGreaterThanOrEqual(3);
    });
  }

  it('stays an outline in forced-colours mode (Windows high contrast drops shadows)', async () => {
    const { url } = await stage.server();
    const { page } = await stage.person({ forcedColors: 'active' });
    await page.goto(url);
    await expect.poll(() => focused(page)).toBe('nickname-input');
    const shown = await ring(page);
    expect(shown).toMatchObject({ focusVisible: true, style: 'solid' });
    expect(shown.width).toBeGreaterThanOrEqual(2);
  });
});

describe('focus on a new screen', () => {
  it('lands on the first control: home, pre-join, call, then the lobby and a notice', async () => {
    const { url } = await stage.server();
    const room = 'focus walk';
    const { page } = await stage.person();
    await page.goto(url);
    await expect.poll(() => focused(page)).toBe('nickname-input');
    await page.keyboard.type('Mina');
    await page.getByTestId('room-input').fill(room);
    await page.keyboard.press('Enter');

    // Pre-join: the form's first field (the name, already filled in), so Enter joins.
    await page.getByTestId('enter-button').waitFor();
    await expect.poll(() => focused(page)).toBe('nickname-input');
    expect(await page.getByTestId('nickname-input').inputValue()).toBe('Mina');
    await page.keyboard.press('Enter');
    await page.getByTestId('participant-count').waitFor();
    // A window this wide opens the call with the chat, whose box takes the
    // cursor (ChatComposer); otherwise the first control (the phone case below).
    await expect.poll(() => focused(page)).toBe('chat-input');
    const { page: phone } = await stage.enter(url, room, 'Jun', { viewport: { width: 390, height: 844 }, cameraOff: true });
    await expect.poll(() => focused(phone)).toBe('invite-button');

    // Mina locks the meeting: Eun waits in the lobby (focus on its one control),
    // then Mina turns her away (focus on the notice's first control).
    await page.getByTestId('people-button').click();
    await page.getByTestId('lock-switch').click();
    await expect.poll(() => page.getByTestId('lock-switch').getAttribute('aria-checked')).toBe('true');
    const { page: eun } = await stage.person();
    await eun.goto(`${url}/r/${encodeURIComponent(room)}`);
    await eun.getByTestId('nickname-input').fill('Eun');
    await eun.getByTestId('enter-button').click();
    await eun.getByTestId('lobby-wait').waitFor();
    await expect.poll(() => focused(eun)).toBe('lobby-cancel');
    await page.locator('[data-testid="lobby-item"][data-name="Eun"]').getByTestId('deny-button').click();
    await eun.getByTestId('notice-home').waitFor();
    await expect.poll(() => focused(eun)).toBe('notice-home');
  }, 150_000);
});
