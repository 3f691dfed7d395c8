/**
 * Chat history through the UI, across a server crash: what was said before
 * the SIGKILL is there for the next person, with names and times, older
 * pages on request, in Debian's Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, person } from '../support/browser';
import { startServer, type MoimServer } from '../support/server';
import { connect, request } from '../support/sio';

const ARGS = ['--rate-limit', '1000', '--rate-burst', '1000'];
let dataDir: string;
let server: MoimServer;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'moim-e2e-history-'));
  server = await startServer({ dataDir, args: ARGS });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function enterRoom(page: Page, name: string, room: string): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('room-input').fill(room);
  await page.getByTestId('join-button').click();
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor();
}

const chatTexts = (page: Page) => page.getByTestId('chat-message').locator('.text').allTextContents();

describe('chat history in the UI', () => {
  it('shows what was said before a server crash, with names and times, and older pages on request', async () => {
    const room = 'history-room';
    // 120 earlier messages, from a plain client.
    const seeder = await connect(server.url, '/moim');
    await request(seeder, 'join', { room, name: 'Seeder' });
    for (let i = 0; i < 120; i++) await request(seeder, 'chat', { text: `seed ${i}` });
    seeder.disconnect();

    const mina = await person(browser);
    await enterRoom(mina.page, 'Mina', room);
    // Mina sees the newest page at once, before anything else.
    await expect.poll(() => chatTexts(mina.page).then((t) => t.at(-1))).toBe('seed 119');
    await mina.page.getByTestId('chat-input').fill('said before the crash');
    await mina.page.getByTestId('chat-send').click();
    await mina.page.getByTestId('chat-message').filter({ hasText: 'You: said before the crash' }).waitFor();
    await mina.context.close();

    // The ack came back, so it is stored: a SIGKILL does not lose it.
    await server.kill();
    server = await startServer({ dataDir, args: ARGS });

    const jun = await person(browser);
    await enterRoom(jun.page, 'Jun', room);
    const expectedNewest = [...Array.from({ length: 99 }, (_, i) => `seed ${i + 21}`), 'said before the crash'];
    await expect.poll(() => chatTexts(jun.page)).toEqual(expectedNewest);
    const last = jun.page.getByTestId('chat-message').last();
    expect(await last.getAttribute('data-history')).toBe('true');
    expect(await last.locator('.who').textContent()).toBe('Mina');
    expect(await last.locator('time').textContent()).toMatch(/\d{1,2}:\d{2}/);

    // Older messages on request, on top, in order; then there are no more.
    await jun.page.getByTestId('chat-older').click();
    const all = [...Array.from({ length: 120 }, (_, i) => `seed ${i}`), 'said before the crash'];
    await expect.poll(() => chatTexts(jun.page)).toEqual(all);
    await expect.poll(() => jun.page.getByTestId('chat-older').count()).toBe(0);

    // Live chat goes on after the history, and is stored too.
    await jun.page.getByTestId('chat-input').fill('after the restart');
    await jun.page.getByTestId('chat-send').click();
    await jun.page.getByTestId('chat-message').filter({ hasText: 'You: after the restart' }).waitFor();
    await jun.context.close();

    const ara = await person(browser);
    await enterRoom(ara.page, 'Ara', room);
    await expect.poll(() => chatTexts(ara.page).then((t) => t.slice(-2))).toEqual(['said before the crash', 'after the restart']);
    await ara.context.close();
  });
});
