/**
 * An SFU meeting of five people in Debian's Chromium, split over two nodes
 * of a cluster by the nginx of docs/deploy.md (issue 20): its media is
 * hosted by one node, whichever node a page's signaling is on, and every
 * page sees the four others live. When that node is killed (`kill -9`) or
 * drained for an upgrade (SIGTERM), the meeting moves to the other node and
 * the pages there show live video again without a click.
 *
 * The documented nginx sends one client address to one node, and every page
 * here comes from 127.0.0.1; so this nginx is told each person's address by
 * `X-Forwarded-For`, as a load balancer in front of it would, and says which
 * node answered, which is how the test picks addresses that split the
 * meeting over both nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { keepPeerConnections, modeOf, selectedPairs, waitForLiveRemotes } from '../support/media';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startRedis, type TempRedis } from '../support/redis';
import { startNginx, type Nginx } from '../support/nginx';
import type { MoimServer } from '../support/server';
import { useStage } from '../support/stage';

const stage = useStage();
let postgres: TempPostgres;
const redises: TempRedis[] = [];
const proxies: Nginx[] = [];

beforeAll(() => {
  postgres = startPostgres();
});

afterAll(async () => {
  for (const nginx of proxies) await nginx.stop();
  for (const redis of redises) redis.stop();
  postgres?.stop();
});

/**
 * A cluster of two nodes on a Redis of its own, so that it is two nodes and
 * not also the last test's (the stage stops those after it; their records
 * would still be in a shared Redis). Their logs are printed if the test fails.
 */
async function twoNodes(extra: [string[], string[]] = [[], []]): Promise<[MoimServer, MoimServer]> {
  const redis = startRedis();
  redises.push(redis);
  // As docs/deploy.md starts them: every connection comes from nginx.
  const args = ['--redis-url', redis.url, '--database-url', postgres.url, '--sfu', 'always', '--metrics-addr', '127.0.0.1:0', '--max-conns-per-ip', '0'];
  const nodes = await Promise.all(extra.map((more) => stage.server({ args: [...args, ...more] })));
  return [nodes[0]!, nodes[1]!];
}

/** Socket.IO connections `node` holds on `/moim`, over any transport. */
async function sockets(node: MoimServer): Promise<number> {
  const text = await (await fetch(node.metricsUrl!)).text();
  return [...text.matchAll(/^moim_sockets\{namespace="\/moim",[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** `page`'s person sends `text` to the meeting's chat. */
async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** How many lines of `page`'s chat say `text`. */
const chatLines = (page: Page, text: string) => page.getByTestId('chat-message').filter({ hasText: text }).count();

/** Meetings whose media `node` hosts (`moim_sfu_meetings`). */
async function hosted(node: MoimServer): Promise<number> {
  const text = await (await fetch(node.metricsUrl!)).text();
  return Number(/^moim_sfu_meetings (\d+)/m.exec(text)?.[1] ?? NaN);
}

/** What the test adds in front of the documented site: see the file's comment. */
const TOLD_WHO_AND_TELLING_WHERE = ['set_real_ip_from 127.0.0.1;', 'real_ip_header X-Forwarded-For;', 'add_header X-Moim-Upstream $upstream_addr always;']
  .map((line) => `  ${line}`)
  .join('\n');

/** nginx in front of `a` and `b`, and a client address it sends to each. */
async function proxy(a: MoimServer, b: MoimServer): Promise<{ url: string; addressOf: Map<MoimServer, string> }> {
  const [hostA, hostB] = [new URL(a.url).host, new URL(b.url).host];
  const nginx = await startNginx([hostA, hostB], TOLD_WHO_AND_TELLING_WHERE);
  proxies.push(nginx);
  const addressOf = new Map<MoimServer, string>();
  for (let i = 1; i < 255 && addressOf.size < 2; i += 1) {
    const address = `198.51.100.${i}`;
    const res = await fetch(`${nginx.url}/`, { headers: { 'X-Forwarded-For': address } });
    const upstream = res.headers.get('x-moim-upstream');
    const node = upstream === hostA ? a : upstream === hostB ? b : undefined;
    if (!node) throw new Error(`nginx answered from ${upstream}, neither ${hostA} nor ${hostB}`);
    if (!addressOf.has(node)) addressOf.set(node, address);
  }
  expect(addressOf.size).toBe(2);
  return { url: nginx.url, addressOf };
}

/**
 * `names.length` people entering through nginx, every other one sent to
 * `b`, each seeing all the others live.
 */
async function meeting(a: MoimServer, b: MoimServer, room: string, names: string[]): Promise<Map<MoimServer, Page[]>> {
  const { url, addressOf } = await proxy(a, b);
  const pages = new Map<MoimServer, Page[]>([
    [a, []],
    [b, []],
  ]);
  for (const [i, name] of names.entries()) {
    const node = i % 2 === 0 ? a : b;
    const { page } = await stage.enter(url, room, name, { extraHTTPHeaders: { 'X-Forwarded-For': addressOf.get(node)! } });
    pages.get(node)!.push(page);
  }
  // Each node holds the sockets nginx sent it, none of the other's.
  for (const [node, onIt] of pages) expect(await sockets(node)).toBe(onIt.length);
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

/** The names on `page`'s videos of the others, sorted. */
const remoteNames = (page: Page) =>
  page.locator('[data-testid="remote-video"]').evaluateAll((videos) => videos.map((v) => (v as HTMLElement).dataset.name ?? '?').sort());

/**
 * After the meeting's node went: all of `names`, wherever they were, are on
 * `survivor` (nginx sent the others there when they reconnected), each
 * shows the meeting's count and sees the others live, through its SFU,
 * under the names they had: whoever reconnected took their own old place
 * (not "Mina (2)" beside the dead node's "Mina").
 */
async function everyoneBackOn(survivor: MoimServer, pages: Map<MoimServer, Page[]>, names: string[]): Promise<void> {
  const everyone = [...pages.values()].flat();
  const n = names.length;
  expect(everyone).toHaveLength(n);
  for (const page of everyone) {
    await waitForLiveRemotes(page, n - 1, 30_000);
    await expect.poll(() => page.getByTestId('participant-count').textContent()).toBe(String(n));
    expect(await modeOf(page)).toBe('sfu');
  }
  const seen = await Promise.all(everyone.map(remoteNames));
  for (const [i, others] of seen.entries()) {
    expect(new Set(others).size, `page ${i}: ${others.join(', ')}`).toBe(n - 1);
    for (const name of others) expect(names, `page ${i}`).toContain(name);
  }
  expect(await sockets(survivor)).toBe(n);
  expect(await hosted(survivor)).toBe(1);
}

describe('an SFU meeting across two nodes', () => {
  it('shows everyone live from one node, and again from the other after that node is killed, the chat untouched', async () => {
    const [a, b] = await twoNodes();
    const names = ['Mina', 'Jun', 'Ara', 'Seo', 'Hana'];
    const pages = await meeting(a, b, 'cluster-killed', names);
    const [host, survivor] = await owner(a, b);

    const everyone = [...pages.values()].flat();
    await say(pages.get(host)![0]!, 'before the outage');
    for (const page of everyone) await expect.poll(() => chatLines(page, 'before the outage')).toBe(1);

    await host.kill();
    // Without a click: the people of the killed node are back through nginx
    // on the other one, and everyone sees the four others live again.
    await everyoneBackOn(survivor, pages, names);
    // The chat is as it was, once, and goes on from someone who moved.
    for (const page of everyone) expect(await chatLines(page, 'before the outage')).toBe(1);
    await say(pages.get(host)![1]!, 'after the outage');
    for (const page of everyone) await expect.poll(() => chatLines(page, 'after the outage')).toBe(1);
  }, 240_000);

  it('carries people whose networks allow only relays through their own node’s TURN to the SFU, on that node or the other', async () => {
    // One TURN secret for the cluster: credentials minted by either node work
    // on both. The SFUs announce loopback here, which Chromium pairs only
    // with a relay (and TURN relays to loopback only when allowed): every
    // page's media goes through a relay, or not at all.
    const turn = (ports: string) => ['--turn', 'on', '--turn-port', '0', '--turn-relay-ports', ports, '--turn-secret', 'one secret for the cluster', '--public-ip', '127.0.0.1', '--turn-allow-peer', '127.0.0.1/32'];
    const [a, b] = await twoNodes([turn('45400-45449'), turn('45450-45499')]);
    const room = 'cluster-relayed';
    const relayOnly = { query: 'ice=relay', prepare: keepPeerConnections };
    const mina = (await stage.enter(a.url, room, 'Mina', relayOnly)).page;
    await expect.poll(() => modeOf(mina)).toBe('sfu');
    await expect.poll(async () => (await hosted(a)) + (await hosted(b))).toBe(1);
    const [host, other] = await owner(a, b);

    // Jun's signaling and relay are b's: his media crosses to the host only
    // if it is a, Mina's only if it is b.
    const jun = (await stage.enter(b.url, room, 'Jun', relayOnly)).page;
    for (const page of [mina, jun]) {
      await waitForLiveRemotes(page, 1, 30_000);
      const pairs = await selectedPairs(page);
      expect(pairs.length).toBeGreaterThanOrEqual(1);
      for (const pair of pairs) expect(pair).toMatchObject({ local: 'relay', policy: 'relay' });
    }
    expect(await hosted(host)).toBe(1);
    expect(await hosted(other)).toBe(0);
  }, 120_000);

  it('moves the meeting to the other node when its node drains for an upgrade (SIGTERM)', async () => {
    const [a, b] = await twoNodes();
    const names = ['Mina', 'Jun', 'Ara', 'Seo'];
    const pages = await meeting(a, b, 'cluster-drained', names);
    const [host, survivor] = await owner(a, b);

    await host.stop();
    expect(host.log()).toMatch(/meeting moved: this node is draining/);
    await everyoneBackOn(survivor, pages, names);
  }, 240_000);
});
