/**
 * Screenshots of the home, pre-join and call screens at 1280x800 and on a
 * 390x844 phone, in English and Korean, light and dark, into
 * `docs/screenshots/issue21-<screen>-<device>-<lang>-<scheme>.png`
 * (squeezed with `pngquant` when it is installed). A file already there is
 * kept (delete it to take it again), so a run cut short is resumed. Korean needs a Hangul font
 * on the machine (Debian: `fonts-nanum`). Run by hand:
 *
 *   npx vite build --outDir dist && MOIM_BIN=… MOIM_WEB_DIST=$PWD/dist \
 *     npx vitest run --config tests/screenshots/vitest.config.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { useStage } from '../support/stage';

const stage = useStage();
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');

const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
type Device = keyof typeof DEVICES;
type Lang = 'en' | 'ko';
type Scheme = 'light' | 'dark';

/** One shot per line: the screen, then where and how it is seen (kept to about ten files). */
const SHOTS: [screen: 'home' | 'prejoin' | 'call', Device, Lang, Scheme][] = [
  ['home', 'desktop', 'en', 'light'],
  ['home', 'phone', 'ko', 'dark'],
  ['prejoin', 'desktop', 'en', 'dark'],
  ['prejoin', 'desktop', 'ko', 'light'],
  ['prejoin', 'phone', 'en', 'light'],
  ['prejoin', 'phone', 'ko', 'dark'],
  ['call', 'desktop', 'en', 'light'],
  ['call', 'desktop', 'ko', 'dark'],
  ['call', 'phone', 'en', 'dark'],
  ['call', 'phone', 'ko', 'light'],
];

async function save(page: Page, name: string): Promise<void> {
  const path = join(OUT, `issue21-${name}.png`);
  // Connected: no "connecting" or "reconnecting" banner across the top.
  await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 90_000 });
  // Nothing blinking mid-shot: the caret, the mic meter's movement.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=70-95', '--output', path, path]);
  } catch {
    // No pngquant (or nothing gained): the plain PNG stays.
  }
}

/** Takes `page` to `screen`, settled. */
async function shoot(page: Page, url: string, room: string, screen: 'home' | 'prejoin' | 'call', lang: Lang): Promise<void> {
  if (screen === 'home') {
    await page.goto(url);
    // The listed meeting in the list, when the server is quick enough to say so.
    await page.getByTestId('room-list').waitFor({ timeout: 90_000 });
    await page
      .getByTestId('room-item')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    return;
  }
  await page.goto(`${url}/r/${encodeURIComponent(room)}`);
  await page.getByTestId('local-video').waitFor({ timeout: 90_000 });
  await page.getByTestId('nickname-input').fill(lang === 'ko' ? '은지' : 'Eun');
  await page.waitForFunction(() => document.querySelector('[data-testid="connectivity"]')?.getAttribute('data-phase') !== 'checking', null, {
    timeout: 90_000,
  });
  if (screen === 'prejoin') return;
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor({ timeout: 90_000 });
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="tile"]').length === 4 &&
      // Every video that has a live camera in it is showing frames.
      [...document.querySelectorAll('video')]
        .filter((v) => v.srcObject instanceof MediaStream && v.srcObject.getVideoTracks().some((t) => t.readyState === 'live'))
        .every((v) => v.readyState >= 2),
    null,
    { timeout: 90_000 },
  );
}

it('takes the screenshots', async () => {
  const { url } = await stage.server();
  const room = 'design review';
  // Three people already in the call, so the call screens show a gallery.
  const pages = [];
  // One camera among them (a busy machine keeps up with that), two placeholders.
  for (const [name, cameraOff] of [['Jun Park', false], ['Ara', true], ['김민아', true]] as const) {
    pages.push((await stage.enter(url, room, name, { ...DEVICES.desktop, cameraOff })).page);
  }
  // Listed by its host, so the home page shows it.
  await pages[0]!.getByTestId('people-button').click();
  await pages[0]!.getByTestId('list-switch').click();

  for (const [screen, device, lang, colorScheme] of SHOTS) {
    const name = `${screen}-${device}-${lang}-${colorScheme}`;
    if (existsSync(join(OUT, `issue21-${name}.png`))) continue;
    const { context, page } = await stage.person({ ...DEVICES[device], colorScheme, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
    await shoot(page, url, room, screen, lang);
    await save(page, name);
    // Gone before the next: each call shot shows the same four people.
    await context.close();
  }
});
