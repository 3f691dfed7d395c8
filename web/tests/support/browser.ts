/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser.
 * Fake camera and microphone, no permission prompts, and none of Chromium's
 * background connections (this machine's network is closed).
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { serveWebDist } from './webDist';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** `extraArgs`: more Chromium switches for one test (a trusted certificate, say). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // A page that a test serves through page.route() counts as a non-local
      // origin, and Chromium then blocks its WebSockets to 127.0.0.1.
      '--disable-features=LocalNetworkAccessChecks',
      ...extraArgs,
    ],
  });
}

/** A person: their own context (storage, cookies) and one page; `options` add to the defaults. */
export async function person(
  browser: Browser,
  locale = 'en-US',
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 800 }, ...options });
  // The UI from a local build when `MOIM_WEB_DIST` says so (`webDist.ts`).
  await serveWebDist(context);
  const page = await context.newPage();
  return { context, page };
}
