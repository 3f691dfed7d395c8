/**
 * Reach: two people on HTTPS with moim's self-signed certificate, forced
 * through moim's own TURN server (`?ice=relay` sets `iceTransportPolicy:
 * "relay"`), see each other's video; the pre-join check says a relay comes with joining;
 * the selected candidate pair in each browser is `relay` on both ends.
 *
 * Chromium trusts the certificate through `--ignore-certificate-errors-spki-list`
 * with this certificate's key hash only: any other certificate still fails.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { keepPeerConnections, liveCount, selectedPairs } from '../support/media';
import { startServer, type MoimServer } from '../support/server';
import { serveWebDist } from '../support/webDist';

let browser: Browser | undefined;
const servers: MoimServer[] = [];
const contexts: BrowserContext[] = [];

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await browser?.close();
});

/** base64(SHA-256(SubjectPublicKeyInfo)) of the server's certificate. */
function spkiHash(dataDir: string): string {
  const cert = new X509Certificate(readFileSync(join(dataDir, 'tls', 'cert.pem')));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

function launchTrusting(spki: string): Promise<Browser> {
  return launchBrowser([`--ignore-certificate-errors-spki-list=${spki}`]);
}

async function enter(url: string, room: string, name: string): Promise<Page> {
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
  contexts.push(context);
  await serveWebDist(context);
  await keepPeerConnections(context);
  const page = await context.newPage();
  await page.goto(`${url}/r/${encodeURIComponent(room)}?ice=relay`);
  // The pre-join check knows there is a relay, but only participants get its
  // credentials: the call itself proves it works (the candidate pairs below).
  const check = page.getByTestId('connectivity');
  await expect.poll(() => check.getAttribute('data-phase'), { timeout: 20_000 }).toBe('done');
  expect(await check.getAttribute('data-relay')).toBe('later');
  expect(await check.getByTestId('connectivity-verdict').textContent()).toBe('Your connection is ready for calls.');
  await page.getByTestId('nickname-input').fill(name);
  await page.getByTestId('enter-button').click();
  await page.getByTestId('participant-count').waitFor();
  return page;
}

describe('reach: HTTPS and TURN', () => {
  it('two people on HTTPS see each other through moim’s TURN relay', async () => {
    const server = await startServer({
      args: ['--tls', 'self-signed', '--turn-port', '0', '--public-ip', '127.0.0.1', '--turn-relay-ports', '45000-45199'],
    });
    servers.push(server);
    expect(server.url).toMatch(/^https:\/\//);
    expect(server.log()).toMatch(/certificate SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(server.log()).toMatch(/TURN server on UDP port \d+/);
    expect(server.log()).not.toContain('no TURN relay');
    browser = await launchTrusting(spkiHash(server.dataDir));

    const mina = await enter(server.url, 'faraway', 'Mina');
    const jun = await enter(server.url, 'faraway', 'Jun');
    for (const page of [mina, jun]) {
      const videos = page.getByTestId('remote-video');
      await expect
        .poll(async () => ((await videos.count()) === 1 ? liveCount(videos) : -1), { timeout: 30_000, interval: 250 })
        .toBe(1);
      const pairs = await selectedPairs(page);
      expect(pairs.length).toBeGreaterThanOrEqual(1);
      for (const pair of pairs) expect(pair).toEqual({ local: 'relay', remote: 'relay', policy: 'relay' });
    }
  });
});
