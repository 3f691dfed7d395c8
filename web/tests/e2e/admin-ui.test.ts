/**
 * The Socket.IO Admin UI (the npm package's own page, served by moim at
 * `/admin/`) logs in and lists the sockets of two people chatting; moim's
 * operator page (`/ops`) shows their room. Debian's Chromium, driven as a
 * person would.
 */
import bcrypt from 'bcryptjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, person } from '../support/browser';
import { startServer, type MoimServer } from '../support/server';

const PASSWORD = 'open sesame';

let server: MoimServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ args: ['--admin-user', 'ops', '--admin-password-hash', bcrypt.hashSync(PASSWORD, 8)] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function joinAndSay(page: Page, name: string, room: string, text: string): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('room-input').fill(room);
  await page.getByTestId('join-button').click();
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor();
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
  await page.getByTestId('chat-message').filter({ hasText: `You: ${text}` }).waitFor();
}

describe('operating moim from the browser', () => {
  it('the Admin UI logs in and lists the sockets of two chatting pages, live', async () => {
    const mina = await person(browser);
    const jun = await person(browser);
    await joinAndSay(mina.page, 'Mina', 'standup', 'hello');
    await joinAndSay(jun.page, 'Jun', 'standup', 'hi Mina');

    const admin = await person(browser);
    const page = admin.page;
    await page.goto(`${server.url}/admin/`);
    // moim fills in its own address; the first try has no session yet.
    await expect.poll(() => page.getByLabel('Server URL').inputValue()).toBe(server.url);
    await page.getByLabel('Username').fill('ops');
    await page.getByLabel('Password').fill('not it');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Invalid credentials').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Connect' }).click();
    // Logged in: the connection dialog goes away.
    await page.getByLabel('Username').waitFor({ state: 'hidden' });

    await page.goto(`${server.url}/admin/#/sockets/`);
    await page.locator('.v-select').filter({ hasText: 'Select namespace' }).click();
    await page.getByRole('option', { name: '/moim' }).click();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.filter({ hasText: '127.0.0.1' }).count()).toBe(2);
    // The UI's sockets upgrade from long-polling; the Admin UI hears of it.
    await expect.poll(() => rows.filter({ hasText: 'WebSocket' }).count(), { timeout: 10_000 }).toBe(2);

    // The room, with both.
    await page.goto(`${server.url}/admin/#/rooms/`);
    const room = page.locator('tbody tr').filter({ hasText: 'standup' });
    await expect.poll(() => room.count()).toBe(1);
    await expect.poll(() => room.textContent()).toContain('2');

    // A closed tab disappears from the list at once.
    await jun.context.close();
    await page.goto(`${server.url}/admin/#/sockets/`);
    await expect.poll(() => page.locator('tbody tr').filter({ hasText: '127.0.0.1' }).count()).toBe(1);

    await mina.context.close();
    await admin.context.close();
  });

  it('the operator page shows rooms, people, mode, node and uptime behind the same login', async () => {
    const ara = await person(browser);
    const bo = await person(browser);
    await joinAndSay(ara.page, 'Ara', 'retro', 'morning');
    await joinAndSay(bo.page, 'Bo', 'retro', 'hey');

    const { context, page } = await person(browser);
    await page.goto(`${server.url}/ops`);
    await page.getByTestId('ops-user').fill('ops');
    await page.getByTestId('ops-password').fill('wrong');
    await page.getByTestId('ops-login').click();
    await page.getByTestId('ops-error').waitFor();
    expect(await page.getByTestId('ops-error').textContent()).toBe('Wrong user or password.');
    expect(await page.getByTestId('ops-user').inputValue(), 'a refusal keeps what was typed').toBe('ops');

    await page.getByTestId('ops-password').fill(PASSWORD);
    await page.getByTestId('ops-login').click();
    const retro = page.locator('[data-testid="ops-namespace"][data-name="/moim"] [data-testid="ops-room"][data-name="retro"]');
    await retro.waitFor();
    await expect.poll(() => retro.getByTestId('ops-room-count').textContent()).toBe('2');
    expect(await retro.textContent()).toContain('Ara');
    expect(await retro.textContent()).toContain('Bo');
    expect(await retro.getByTestId('ops-room-mode').textContent()).toBe('mesh');
    expect((await page.getByTestId('ops-node').textContent())?.length).toBeGreaterThan(0);
    expect(await page.getByTestId('ops-uptime').textContent()).toMatch(/\d+ s$/);
    // No TURN on this server: the operator is told what that costs (guests are not).
    expect(await page.getByTestId('ops-relay').getAttribute('data-relay')).toBe('false');
    expect(await page.getByTestId('ops-relay').textContent()).toContain('block direct calls');

    // Live: someone leaves, the count follows; a reload keeps the login.
    await bo.context.close();
    await expect.poll(() => retro.getByTestId('ops-room-count').textContent(), { timeout: 10_000 }).toBe('1');
    await page.reload();
    await expect.poll(() => retro.getByTestId('ops-room-count').textContent()).toBe('1');

    // New meeting: the admin gets a host link; whoever opens it is that meeting's host.
    await page.getByTestId('ops-meeting-room').fill('board');
    await page.getByTestId('ops-meeting-passcode').fill('4821');
    await page.getByTestId('ops-create-meeting').click();
    const hostLink = await page.getByTestId('ops-host-link').inputValue();
    expect(hostLink).toMatch(new RegExp(`^${server.url}/r/board\\?invite=`));
    expect(await page.getByTestId('ops-guest-link').inputValue()).toMatch(/\/r\/board\?invite=/);
    const host = await person(browser);
    await host.page.goto(hostLink);
    await host.page.getByTestId('nickname-input').fill('Dana');
    await host.page.getByTestId('enter-button').click();
    await host.page.getByTestId('people-button').click();
    await expect.poll(() => host.page.locator('[data-testid="person-item"][data-name="Dana"]').getAttribute('data-role')).toBe('host');
    await page.getByTestId('ops-create-meeting').click();
    await page.getByTestId('ops-create-error').waitFor();

    await host.context.close();
    await ara.context.close();
    await context.close();
  });
});
