/**
 * An SFU meeting of five people in Debian's Chromium, split over two nodes
 * of a cluster (issue 20): its media is hosted by one node, whichever node a
 * page's signaling is on, and every page sees the four others live. When
 * that node is killed (`kill -9`) or drained for an upgrade (SIGTERM), the
 * meeting moves to the other node and the pages there show live video again
 * without a click.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { modeOf, waitForLiveRemotes } from '../support/media';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startRedis, type TempRedis } from '../support/redis';
import { startServer, type MoimServer } from '../support/server';
import { useStage } from '../support/stage';

const stage = useStage();
let redis: TempRedis;
let postgres: TempPostgres;
const started: MoimServer[] = [];

beforeAll(() => {
  redis = startRedis();
  postgres = startPostgres();
});

afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
  redis?.stop();
  postgres?.stop();
});

async function twoNodes(): Promise<[MoimServer, MoimServer]> {
  const args = ['--redis-url', redis.url, '--database-url', postgres.url, '--sfu', 'always', '--metrics-addr', '127.0.0.1:0'];
  const nodes = await Promise.all([0, 1].map(() => startServer({ args })));
  started.push(...nodes);
  return [nodes[0]!, nodes[1]!];
}

/** Meetings whose media `node` hosts (`moim_sfu_meetings`). */
async function hosted(node: MoimServer): Promise<number> {
  const text = await (await fetch(node.metricsUrl!)).text();
  return Number(/^moim_sfu_meetings (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** `names.length` people, every other one on `b`, each seeing all the others live. */
async function meeting(a: MoimServer, b: MoimServer, room: string, names: string[]): Promise<Map<MoimServer, Page[]>> {
  const pages = new Map<MoimServer, Page[]>([
    [a, []],
    [b, []],
  ]);
  for (const [i, name] of names.entries()) {
    const node = i % 2 === 0 ? a : b;
    pages.get(node)!.push((await stage.enter(node.url, room, name)).page);
  }
  for (const page of [...pages.values()].flat()) {
    await expect.poll(() => modeOf(page)).toBe('sfu');
    await waitForLiveRemotes(page, names.length - 1, 60_000);
  }
  return pages;
}

/** The node hosting the meeting's media, and the other one. */
async function owner(a: MoimServer, b: MoimServer): Promise<[MoimServer, MoimServer]> {
  const [onA, onB] = [await hosted(a), await hosted(b)];
  expect([onA, onB].sort()).toEqual([0, 1]);
  return onA === 1 ? [a, b] : [b, a];
}

describe('an SFU meeting across two nodes', () => {
  it('shows everyone live from one node, and again from the other after that node is killed', async () => {
    const [a, b] = await twoNodes();
    const pages = await meeting(a, b, 'cluster-killed', ['Mina', 'Jun', 'Ara', 'Seo', 'Hana']);
    const [host, survivor] = await owner(a, b);

    await host.kill();
    // The people on the surviving node see each other live again, without a
    // click; the people of the killed node leave the meeting for them.
    const left = pages.get(survivor)!;
    for (const page of left) await waitForLiveRemotes(page, left.length - 1, 30_000);
    expect(await hosted(survivor)).toBe(1);
  }, 240_000);

  it('moves the meeting to the other node when its node drains for an upgrade (SIGTERM)', async () => {
    const [a, b] = await twoNodes();
    // Two on each node: whichever hosts, two people stay to see each other.
    const pages = await meeting(a, b, 'cluster-drained', ['Mina', 'Jun', 'Ara', 'Seo']);
    const [host, survivor] = await owner(a, b);

    await host.stop();
    expect(host.log()).toMatch(/meeting moved: this node is draining/);
    const left = pages.get(survivor)!;
    for (const page of left) await waitForLiveRemotes(page, left.length - 1, 30_000);
    expect(await hosted(survivor)).toBe(1);
  }, 240_000);
});
