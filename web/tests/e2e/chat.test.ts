/**
 * Two people chat in one room through the UI while a third page watches the
 * public room list: what a user sees, in Debian's Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, person } from '../support/browser';
import { startServer, type MoimServer } from '../support/server';

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

async function joinThroughHome(page: Page, name: string, room: string): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('room-input').fill(room);
  await page.getByTestId('join-button').click();
  await enterCall(page);
}

/** The pre-join screen of `/r/<room>`: the room is filled in; enter the call. */
async function enterCall(page: Page): Promise<void> {
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor();
}

/** Waits until the chat log's texts end with `expected` (in order). */
async function waitForChat(page: Page, expected: string): Promise<void> {
  await page.getByTestId('chat-message').filter({ hasText: expected }).first().waitFor({ timeout: 5000 });
}

function roomCount(page: Page, room: string) {
  return page.getByTestId('room-item').filter({ has: page.getByTestId('room-name').getByText(room, { exact: true }) }).getByTestId('room-count');
}

describe('chat through the UI', () => {
  it('two people see each other, their messages as text, and the list counts 1 → 2 → 1', async () => {
    const watcher = await person(browser);
    const mina = await person(browser);
    const jun = await person(browser);

    await watcher.page.goto(server.url);
    await expect.poll(() => watcher.page.getByTestId('room-item').filter({ hasText: 'standup' }).count()).toBe(0);

    await joinThroughHome(mina.page, 'Mina', 'standup');
    // Meetings are unlisted until their host lists them (she started it: she is the host).
    await mina.page.getByTestId('people-button').click();
    await mina.page.getByTestId('list-switch').click();
    await mina.page.getByTestId('people-button').click();
    await expect.poll(() => roomCount(watcher.page, 'standup').textContent()).toBe('1');
    expect(await mina.page.getByTestId('participant-count').textContent()).toBe('1');
    expect(new URL(mina.page.url()).pathname).toBe('/r/standup');

    await joinThroughHome(jun.page, 'Jun', 'standup');
    await waitForChat(mina.page, 'Jun joined (2)');
    await expect.poll(() => mina.page.getByTestId('participant-count').textContent()).toBe('2');
    expect(await jun.page.getByTestId('participant-count').textContent()).toBe('2');
    await expect.poll(() => roomCount(watcher.page, 'standup').textContent()).toBe('2');

    // Markup in a message stays text on both sides.
    const text = 'hello <b>there</b> <img src=x onerror="window.pwned=1">';
    await mina.page.getByTestId('chat-input').fill(text);
    await mina.page.getByTestId('chat-send').click();
    await waitForChat(mina.page, `You: ${text}`);
    await waitForChat(jun.page, `Mina: ${text}`);
    for (const page of [mina.page, jun.page]) {
      expect(await page.locator('[data-testid="chat-message"] b, [data-testid="chat-message"] img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    }

    // Enter sends too.
    await jun.page.getByTestId('chat-input').fill('hi Mina');
    await jun.page.getByTestId('chat-input').press('Enter');
    await waitForChat(mina.page, 'Jun: hi Mina');
    await waitForChat(jun.page, 'You: hi Mina');

    await jun.page.getByTestId('leave-button').click();
    await jun.page.getByTestId('leave-confirm').click(); // Mina is still there: asked first
    await waitForChat(mina.page, 'Jun left (1)');
    await expect.poll(() => mina.page.getByTestId('participant-count').textContent()).toBe('1');
    await expect.poll(() => roomCount(watcher.page, 'standup').textContent()).toBe('1');
    expect(new URL(jun.page.url()).pathname).toBe('/');

    // Clicking a room in the list joins it.
    await watcher.page.getByTestId('nickname-input').fill('Ara');
    await watcher.page.getByTestId('room-item').filter({ hasText: 'standup' }).click();
    expect(await watcher.page.getByTestId('room-input').inputValue()).toBe('standup');
    await enterCall(watcher.page);
    await waitForChat(mina.page, 'Ara joined (2)');

    // Closing the tab counts as leaving.
    await watcher.context.close();
    await waitForChat(mina.page, 'Ara left (1)');

    await mina.context.close();
    await jun.context.close();
  });

  it('speaks Korean to a Korean browser, and switches to English on request', async () => {
    const { context, page } = await person(browser, 'ko-KR');
    await page.goto(server.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ko');
    const korean = await page.getByTestId('join-button').textContent();
    expect(korean).toMatch(/[가-힣]/);
    await page.getByTestId('lang-select').selectOption('en');
    await expect.poll(() => page.getByTestId('join-button').textContent()).toBe('Join');
    // The choice sticks across a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('join-button').textContent()).toBe('Join');
    await context.close();
  });

  it('opens /r/<room> with the room filled in', async () => {
    const { context, page } = await person(browser);
    await page.goto(`${server.url}/r/${encodeURIComponent('가족 모임')}`);
    expect(await page.getByTestId('room-input').inputValue()).toBe('가족 모임');
    await context.close();
  });
});
