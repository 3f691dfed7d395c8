/**
 * An address with no page shows "page not found" (not the home page), in
 * the browser's language, and its link leads home.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, person } from '../support/browser';
import { startServer, type MoimServer } from '../support/server';

let browser: Browser;
let server: MoimServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a page that does not exist', () => {
  it('says so, and leads home', async () => {
    const { context, page } = await person(browser);
    const response = await page.goto(`${server.url}/nonexistent/page`);
    expect(response?.status()).toBe(404);
    const notFound = page.getByTestId('not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain('Page not found');
    expect(await page.getByTestId('join-button').count()).toBe(0);

    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByTestId('join-button').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('speaks Korean to a Korean browser', async () => {
    const { context, page } = await person(browser, 'ko-KR');
    await page.goto(`${server.url}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
    expect(await page.getByTestId('not-found').textContent()).toContain('페이지를 찾을 수 없습니다');
    await context.close();
  });
});
