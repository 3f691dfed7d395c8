/**
 * What every browser test file sets up alike: one Chromium for the file, and
 * the people (browser contexts) and moim servers a test makes, closed after
 * that test. `enter` is a person walking in through the room's link.
 *
 * When a test fails, the stage prints what a person at each screen would
 * have seen (address, the test ids and text on screen, the page's console
 * errors) and each server's last log lines (`postmortem.ts`): a failure that
 * only happens on a slower machine then says why.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, person } from './browser';
import { startServer, type MoimServer } from './server';
import { postmortem, watchConsole, type Watched } from './postmortem';

export interface EnterOptions extends BrowserContextOptions {
  /** Runs on the new context before the page opens (init scripts, say). */
  prepare?: (context: BrowserContext) => Promise<unknown>;
  /** Ticks "camera off" on the pre-join screen. */
  cameraOff?: boolean;
  /** Ticks "muted" on the pre-join screen. */
  muted?: boolean;
  /** The room link's query (`ice=relay`, say), without the `?`. */
  query?: string;
}

export interface Stage {
  /** The file's Chromium (launched before the first test). */
  readonly browser: Browser;
  /** A moim server, stopped after the test. */
  server(options?: Parameters<typeof startServer>[0]): Promise<MoimServer>;
  /** A person's own context and page, closed after the test. */
  person(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** Opens `url/r/room`, types `name` and enters the call. */
  enter(url: string, room: string, name: string, options?: EnterOptions): Promise<{ context: BrowserContext; page: Page }>;
}

/** Registers the file's hooks; `launchArgs` are extra Chromium switches. */
export function useStage(launchArgs: () => string[] = () => []): Stage {
  let browser: Browser | undefined;
  const servers: MoimServer[] = [];
  const contexts: BrowserContext[] = [];
  // The test's pages with their console so far, for the post-mortem.
  const pages: Watched[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(launchArgs());
  });

  afterEach(async ({ task }) => {
    // Here, before the pages close (`onTestFailed` would run after that).
    if (task.result?.state === 'fail') await postmortem(task.fullName, { servers, pages });
    pages.length = 0;
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const stage: Stage = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    async server(options = {}) {
      const s = await startServer(options);
      servers.push(s);
      return s;
    },
    async person(options = {}) {
      const one = await person(stage.browser, 'en-US', options);
      contexts.push(one.context);
      pages.push({ page: one.page, console: watchConsole(one.page) });
      return one;
    },
    async enter(url, room, name, { prepare, cameraOff = false, muted = false, query, ...options } = {}) {
      const { context, page } = await stage.person(options);
      await prepare?.(context);
      await page.goto(`${url}/r/${encodeURIComponent(room)}${query ? `?${query}` : ''}`);
      if (cameraOff) await page.getByTestId('join-camera-off').check();
      if (muted) await page.getByTestId('join-muted').check();
      await page.getByTestId('nickname-input').fill(name);
      await page.getByTestId('enter-button').click();
      await page.getByTestId('participant-count').waitFor();
      return { context, page };
    },
  };
  return stage;
}
