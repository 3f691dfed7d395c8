/**
 * The course's own client, unchanged, against moim: it loads the socket.io
 * client from /socket.io/socket.io.js, enters a room, sees arrivals, counts,
 * messages, departures and the open-room list.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, person } from '../support/browser';
import { startServer, type MoimServer } from '../support/server';

const html = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/course-client.html'), 'utf8');

let server: MoimServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the course page as if moim served it at /course (same origin). */
async function openCourse(): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await person(browser);
  await page.route(`${server.url}/course`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${server.url}/course`);
  // The course keeps `socket` in a top-level `const`: visible to a global expression, not on window.
  await page.waitForFunction('typeof socket !== "undefined" && socket.connected === true');
  return { page, close: () => context.close() };
}

async function enter(page: Page, nickname: string, room: string): Promise<void> {
  await page.fill('#name input', nickname);
  await page.click('#name button');
  await page.fill('#enter input', room);
  await page.click('#enter button');
  await page.locator('#room h3').getByText(`Room ${room}`).waitFor();
}

const log = (page: Page) => page.locator('#log li').allInnerTexts();

it('the course client chats through moim unchanged', async () => {
  const nico = await openCourse();
  const lynn = await openCourse();
  const lobby = await openCourse();

  await enter(nico.page, 'nico', 'noom');
  await expect.poll(() => lobby.page.locator('#rooms li').allInnerTexts()).toEqual(['noom']);

  await enter(lynn.page, 'lynn', 'noom');
  await expect.poll(() => log(nico.page)).toEqual(['lynn arrived!']);
  await expect.poll(() => nico.page.locator('#room h3').innerText()).toBe('Room noom (2)');

  await lynn.page.fill('#msg input', 'hello');
  await lynn.page.click('#msg button');
  await expect.poll(() => log(lynn.page)).toEqual(['You: hello']);
  await expect.poll(() => log(nico.page)).toEqual(['lynn arrived!', 'lynn: hello']);

  // Upgraded to WebSocket, so a closed tab is noticed at once (not at the ping timeout).
  expect(await lynn.page.evaluate('socket.io.engine.transport.name')).toBe('websocket');
  await lynn.close();
  await expect.poll(() => log(nico.page), { timeout: 5000 }).toEqual(['lynn arrived!', 'lynn: hello', 'lynn left ㅠㅠ']);
  await expect.poll(() => nico.page.locator('#room h3').innerText()).toBe('Room noom (1)');

  await nico.close();
  await expect.poll(() => lobby.page.locator('#rooms li').count(), { timeout: 5000 }).toBe(0);
  await lobby.close();
});
