/**
 * The SFU in cluster mode (issue 20): each meeting's media is hosted by one
 * node, whichever node its people's signaling landed on. Each node announces
 * its own `--public-ip`, so the candidate in an SFU answer says which node's
 * SFU made it. Real Redis, PostgreSQL and moim binaries.
 */
import bcrypt from 'bcryptjs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { BROWSER_OFFER as OFFER } from '../support/sdp';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startRedis, type TempRedis } from '../support/redis';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, request } from '../support/sio';
import { isError, joinMeet, uniqueRoom } from './harness';

const NS = '/moim';
const ADMIN = ['--admin-user', 'ops', '--admin-password-hash', bcrypt.hashSync('ops password', 4)];

let redis: TempRedis;
let postgres: TempPostgres;
const open: Socket[] = [];
const servers: MoimServer[] = [];

beforeAll(() => {
  redis = startRedis();
  postgres = startPostgres();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const s of servers) console.error(`node log:\n${s.log().slice(-4000)}`);
  }
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  redis?.stop();
  postgres?.stop();
});

/** Each node its own documentation address, to tell its SFU's answers apart. */
const ipOf = new Map<MoimServer, string>();
let nodes = 0;

async function node(sfu: 'always' | 'auto' = 'always'): Promise<MoimServer> {
  const ip = `203.0.113.${++nodes}`;
  const server = await startServer({
    args: ['--redis-url', redis.url, '--database-url', postgres.url, '--sfu', sfu, '--public-ip', ip, '--metrics-addr', '127.0.0.1:0', ...ADMIN],
  });
  servers.push(server);
  ipOf.set(server, ip);
  return server;
}

async function on(server: MoimServer): Promise<Socket> {
  const socket = await connect(server.url, NS);
  open.push(socket);
  return socket;
}

/** The SFU's answer to `socket`'s offer, or the refusal's code. */
async function offer(socket: Socket, sdp = OFFER): Promise<{ sdp: string } | { code: string }> {
  const [reply] = await request(socket, 'sfu-offer', { sdp });
  const r = reply as { ok?: { sdp: string }; error?: { code: string } };
  return r.ok ?? { code: r.error?.code ?? 'none' };
}

/** Which node's SFU answered: the one whose address is in its candidate. */
function hostOf(answer: { sdp: string } | { code: string }): MoimServer {
  if (!('sdp' in answer)) throw new Error(`refused: ${answer.code}`);
  const match = / udp \d+ (\d+\.\d+\.\d+\.\d+) \d+ typ host/.exec(answer.sdp);
  const host = [...ipOf].find(([, ip]) => ip === match?.[1])?.[0];
  if (!host) throw new Error(`no node's candidate in ${answer.sdp}`);
  return host;
}

interface OpsRoom {
  name: string;
  mode: string;
  mediaNode?: string;
}

/** `room` as `server`'s operator snapshot (`moim:ops`) shows it, once it names a media node. */
async function opsRoomOn(server: MoimServer, room: string): Promise<OpsRoom> {
  const admin = io(`${server.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { username: 'ops', password: 'ops password' } });
  open.push(admin);
  interface Ops { namespaces: Array<{ name: string; rooms: OpsRoom[] }> }
  return new Promise((resolve, reject) => {
    admin.once('connect_error', reject);
    admin.on('moim:ops', (ops: Ops) => {
      const found = ops.namespaces.find((n) => n.name === NS)?.rooms.find((r) => r.name === room);
      if (found?.mediaNode) resolve(found);
    });
  });
}

/** The media node `server`'s operator snapshot names for `room`. */
const mediaNodeOn = async (server: MoimServer, room: string) => (await opsRoomOn(server, room)).mediaNode;

async function metric(server: MoimServer, name: string): Promise<number> {
  const text = await (await fetch(server.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

describe('the SFU of a cluster', () => {
  let a: MoimServer;
  let b: MoimServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([node(), node()]);
  });
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('hosts a meeting on one node: offers from both nodes are answered by its SFU, typed refusals cross too', async () => {
    const room = uniqueRoom();
    const [mina, jun] = [await on(a), await on(b)];
    await joinMeet(mina, room, 'Mina');
    await joinMeet(jun, room, 'Jun');
    const owner = hostOf(await offer(mina));
    expect(hostOf(await offer(jun))).toBe(owner);
    // One of the two offers crossed to the other node; its SFU has both sessions.
    const other = owner === a ? b : a;
    expect(await metric(owner, 'moim_sfu_sessions')).toBe(2);
    expect(await metric(owner, 'moim_sfu_meetings')).toBe(1);
    expect(await metric(other, 'moim_sfu_sessions')).toBe(0);
    expect(await metric(other, 'moim_sfu_meetings')).toBe(0);
    // Both nodes' operator pages name the one media node.
    const [seenOnOwner, seenOnOther] = await Promise.all([mediaNodeOn(owner, room), mediaNodeOn(other, room)]);
    expect(seenOnOther).toBe(seenOnOwner);
    expect(owner.log()).toContain(`node=${seenOnOwner}`);

    // The owner's refusals come back typed to whichever node asked.
    const remote = owner === a ? jun : mina;
    expect(isError((await request(remote, 'sfu-answer', { sdp: OFFER }))[0], 'no_offer_pending')).toBe(true);
    expect(await offer(remote, 'v=0 not a description')).toEqual({ code: 'invalid_sdp' });

    // Leaving ends the session on the owner, from either node.
    mina.disconnect();
    jun.disconnect();
    await expect.poll(() => metric(owner, 'moim_sfu_sessions')).toBe(0);
  });

  it('gives a meeting one owner when both nodes place it at the same moment', async () => {
    const rooms = Array.from({ length: 6 }, () => uniqueRoom('race'));
    const pairs: Array<[Socket, Socket]> = [];
    for (const room of rooms) {
      const pair: [Socket, Socket] = [await on(a), await on(b)];
      await joinMeet(pair[0], room, 'Mina');
      await joinMeet(pair[1], room, 'Jun');
      pairs.push(pair);
    }
    const answers = await Promise.all(pairs.map(([x, y]) => Promise.all([offer(x), offer(y)])));
    for (const [x, y] of answers) expect(hostOf(y)).toBe(hostOf(x));
  });

  it('shows a meeting through the SFU as such on every node, one with fewer people than --sfu-threshold too', async () => {
    const [x, y] = await Promise.all([node('auto'), node('auto')]);
    const room = uniqueRoom('threshold');
    // Four (the default threshold): three on x, one on y.
    const people = [await on(x), await on(x), await on(x), await on(y)];
    for (const [i, socket] of people.entries()) await joinMeet(socket, room, `P${i}`);
    const owner = hostOf(await offer(people[0]!));
    expect(hostOf(await offer(people[3]!))).toBe(owner);
    const [onX, onY] = await Promise.all([opsRoomOn(x, room), opsRoomOn(y, room)]);
    expect(onY).toMatchObject({ mode: 'sfu', mediaNode: onX.mediaNode });
    expect(onX.mode).toBe('sfu');
    await Promise.all([x.stop(), y.stop()]);
  });

  it('places new meetings on the node hosting the fewest', async () => {
    // Earlier tests' meetings may still count on one node (a lease outlives
    // its last session by some seconds): place until both nodes got one.
    const hosts = new Set<MoimServer>();
    for (let i = 0; i < 12 && hosts.size < 2; i++) {
      const socket = await on(i % 2 === 0 ? a : b);
      await joinMeet(socket, uniqueRoom('spread'), 'Ara');
      hosts.add(hostOf(await offer(socket)));
    }
    expect(hosts).toEqual(new Set([a, b]));
  });
});

/**
 * A fresh two-node cluster with one SFU meeting, Mina on one node and Jun on
 * the other, both connected to the one node hosting it: that node, the other
 * one, and the person on the other one.
 */
async function hostedMeeting(prefix: string) {
  const [x, y] = await Promise.all([node(), node()]);
  const room = uniqueRoom(prefix);
  const [mina, jun] = [await on(x), await on(y)];
  await joinMeet(mina, room, 'Mina');
  await joinMeet(jun, room, 'Jun');
  const owner = hostOf(await offer(mina));
  expect(hostOf(await offer(jun))).toBe(owner);
  const [other, onOther] = owner === x ? [y, jun] : [x, mina];
  return { owner, other, onOther, onOwner: owner === x ? mina : jun };
}

describe('a meeting whose media node goes away', () => {
  it('is placed again when its owner is killed: refused at once meanwhile, then told to reconnect', async () => {
    const { owner, other: survivor, onOther: stays } = await hostedMeeting('killed');
    const told = next(stays, 'sfu-reconnect', 15_000);

    await owner.kill();
    // A request for the dead owner is refused, typed and soon, never a hang:
    // `media_unavailable` while this node still counts on the owner, or
    // `no_sfu_session` once it noticed the death (its session is gone).
    const asked = Date.now();
    const [reply] = await request(stays, 'sfu-answer', { sdp: OFFER });
    expect(isError(reply, 'media_unavailable') || isError(reply, 'no_sfu_session')).toBe(true);
    expect(Date.now() - asked).toBeLessThan(5_000);
    // The browser is told to connect again, and its offer lands on the survivor.
    await told;
    expect(hostOf(await offer(stays))).toBe(survivor);
    expect(await metric(survivor, 'moim_sfu_meetings')).toBe(1);
    await survivor.stop();
  }, 30_000);

  it('moves to another node when its owner drains for an upgrade (SIGTERM)', async () => {
    const { owner, other: survivor, onOther: stays } = await hostedMeeting('drained');
    const told = next(stays, 'sfu-reconnect', 10_000);

    await owner.stop();
    await told;
    expect(owner.log()).toMatch(/meeting moved: this node is draining/);
    expect(hostOf(await offer(stays))).toBe(survivor);
    await survivor.stop();
  }, 30_000);

  it('keeps its media on its node while Redis is down, and no second node takes it when Redis returns empty', async () => {
    const { owner, other, onOther, onOwner } = await hostedMeeting('outage');

    redis.down();
    await logged(owner, 'redis is unreachable: meetings keep their media here');
    // The SFU keeps both sessions (and forwards their media) meanwhile.
    expect(await metric(owner, 'moim_sfu_sessions')).toBe(2);

    redis.up();
    for (const n of [owner, other]) await logged(n, "redis is back: this node's meetings keep their media here");
    // Offers from either node still reach the one owner.
    for (const socket of [onOther, onOwner]) expect(hostOf(await offer(socket))).toBe(owner);
    expect(await metric(owner, 'moim_sfu_sessions')).toBe(2);
    expect(await metric(other, 'moim_sfu_meetings')).toBe(0);
    await Promise.all([owner.stop(), other.stop()]);
  }, 40_000);
});

/** Resolves once `server`'s log contains `text`. */
async function logged(server: MoimServer, text: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!server.log().includes(text)) {
    if (Date.now() > until) throw new Error(`"${text}" not logged within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
