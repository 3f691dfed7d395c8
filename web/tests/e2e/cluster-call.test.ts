/**
 * Two people on two different nodes of a cluster (one Redis) join one
 * meeting in Debian's Chromium: signaling crosses the nodes through Redis,
 * media goes peer-to-peer, and each sees the other's live video, mute and
 * leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { liveCount } from '../support/media';
import { startRedis, type TempRedis } from '../support/redis';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { useStage } from '../support/stage';

const stage = useStage();
let redis: TempRedis;
let postgres: TempPostgres;
let nodes: MoimServer[] = [];

beforeAll(async () => {
  redis = startRedis();
  postgres = startPostgres();
  nodes = await Promise.all([0, 1].map(() => startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url] })));
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  redis?.stop();
  postgres?.stop();
});

const enter = stage.enter;

const tileOf = (page: Page, name: string) => page.locator(`[data-testid="tile"][data-kind="camera"][data-name="${name}"]`);

describe('a call across two nodes', () => {
  it('shows each person the other one live, their mute, and their leaving', async () => {
    const [nodeA, nodeB] = nodes;
    const mina = await enter(nodeA!.url, 'cross-node', 'Mina');
    const jun = await enter(nodeB!.url, 'cross-node', 'Jun');
    for (const { page } of [mina, jun]) {
      const videos = page.getByTestId('remote-video');
      await expect
        .poll(async () => ((await videos.count()) === 1 ? liveCount(videos) : -1), { timeout: 20_000, interval: 250 })
        .toBe(1);
      await expect.poll(() => page.getByTestId('participant-count').textContent()).toBe('2');
    }
    expect(await jun.page.getByTestId('remote-video').evaluateAll((vs) => vs.map((v) => v.dataset.name))).toEqual(['Mina']);

    await mina.page.getByTestId('mute-button').click();
    await tileOf(jun.page, 'Mina').getByTestId('muted-indicator').waitFor();

    await jun.context.close();
    await tileOf(mina.page, 'Jun').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => mina.page.getByTestId('participant-count').textContent()).toBe('1');
  });
});
