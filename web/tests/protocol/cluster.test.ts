/**
 * Cluster mode (`--redis-url`): two moim nodes on one real Redis act as one
 * service. Sockets on different nodes chat in one room, see each other's
 * names and states, get counts and room lists summed over the nodes, and
 * relay the course's offer/ice and moim's targeted signaling across nodes.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startRedis, type TempRedis } from '../support/redis';
import { startPostgres, type TempPostgres } from '../support/postgres';
import { startServer, type MoimServer } from '../support/server';
import { connect, next, nextMatching, record, request } from '../support/sio';
import { hasCount, isDone, isError, listMeeting, listsNone, listsRooms, uniqueRoom, joinMeet as join } from './harness';

let redis: TempRedis;
let postgres: TempPostgres;
let nodeA: MoimServer;
let nodeB: MoimServer;
const open: Socket[] = [];

beforeAll(async () => {
  redis = startRedis();
  postgres = startPostgres();
  [nodeA, nodeB] = await Promise.all([
    startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url, '--mesh-limit', '3', '--sfu', 'never'] }),
    startServer({ args: ['--redis-url', redis.url, '--database-url', postgres.url, '--mesh-limit', '3', '--sfu', 'never'] }),
  ]);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    console.error(`node A log:\n${nodeA.log().slice(-3000)}\nnode B log:\n${nodeB.log().slice(-3000)}`);
  }
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  redis?.stop();
  postgres?.stop();
});

async function on(node: MoimServer, namespace = '/'): Promise<Socket> {
  const socket = await connect(node.url, namespace);
  open.push(socket);
  return socket;
}

/** Connects while already listening to `event` (what is sent on connecting). */
async function onRecording(node: MoimServer, namespace: string, event: string) {
  const socket = io(node.url + namespace, { transports: ['websocket'], forceNew: true, reconnection: false, autoConnect: false });
  open.push(socket);
  const { events } = record(socket, event);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return { socket, events };
}

const NS = '/moim';

describe('course namespace across two nodes', () => {
  it('welcomes with the count of both nodes and delivers chat across them', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA);
    const b = await on(nodeB);
    const c = await on(nodeA);
    expect(isDone(await request(a, 'nickname', 'Mina'))).toBe(true);
    expect(isDone(await request(b, 'nickname', 'Jun'))).toBe(true);
    expect(isDone(await request(a, 'enter_room', room))).toBe(true);
    const welcomedOnA = next(a, 'welcome');
    expect(isDone(await request(b, 'enter_room', room))).toBe(true);
    expect(await welcomedOnA).toEqual(['Jun', 2]);

    const atA = next(a, 'welcome');
    const atB = next(b, 'welcome');
    await request(c, 'enter_room', room);
    expect(await atA).toEqual(['Anon', 3]);
    expect(await atB).toEqual(['Anon', 3]);

    const toB = next(b, 'new_message');
    const toC = next(c, 'new_message');
    expect(isDone(await request(a, 'new_message', 'hello from A', room))).toBe(true);
    expect(await toB).toEqual(['Mina: hello from A']);
    expect(await toC).toEqual(['Mina: hello from A']);
    const back = next(a, 'new_message');
    expect(isDone(await request(b, 'new_message', 'hi from B', room))).toBe(true);
    expect(await back).toEqual(['Jun: hi from B']);
  });

  it('tells both nodes bye with the remaining count, and lists rooms of both nodes', async () => {
    const room = uniqueRoom();
    const idleOnB = await on(nodeB);
    const listed = nextMatching(idleOnB, 'room_change', listsRooms(room));
    const a = await on(nodeA);
    expect(isDone(await request(a, 'nickname', 'Mina'))).toBe(true);
    await request(a, 'enter_room', room);
    await listed;
    const b = await on(nodeB);
    await request(b, 'enter_room', room);
    // A fresh socket on B is sent the cluster's list on connecting.
    const fresh = await onRecording(nodeB, '/', 'room_change');
    const [list] = fresh.events[0] ?? (await next(fresh.socket, 'room_change'));
    expect(list).toContain(room);

    const bye = next(b, 'bye');
    const gone = nextMatching(idleOnB, 'room_change', listsNone(room));
    a.disconnect();
    expect(await bye).toEqual(['Mina', 1]);
    b.disconnect();
    await gone;
  });

  it('relays offer and ice to the other node', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA);
    const b = await on(nodeB);
    await request(a, 'join_room', room);
    await request(b, 'join_room', room);
    const description = { type: 'offer', sdp: 'v=0\r\n' };
    const offered = next(b, 'offer');
    a.emit('offer', description, room);
    expect(await offered).toEqual([description]);
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    const iced = next(a, 'ice');
    b.emit('ice', candidate, room);
    expect(await iced).toEqual([candidate]);
  });
});

describe('/moim across two nodes', () => {
  it('shows names and states of people on the other node and counts both nodes', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA, NS);
    const b = await on(nodeB, NS);
    const idle = await on(nodeA, NS);
    const A = await join(a, room, 'Mina', { video: false });
    await listMeeting(a);
    const joined = next(a, 'participant-joined');
    const counted = nextMatching(idle, 'rooms', hasCount(room, 2));
    const B = await join(b, room, 'Jun');
    expect(B.participants).toEqual([{ id: A.you.id, name: 'Mina', audio: true, video: false, screen: false, joined: 1, role: 'host', hand: null, audioLocked: false }]);
    expect(B.you).toMatchObject({ role: 'guest' });
    expect(B.you).toMatchObject({ joined: 2 });
    // A participant id is never the socket's (Engine.IO session) id.
    expect(B.you.id).not.toBe(b.id);
    expect(B.seq).toBe(2);
    expect(await joined).toEqual([
      { participant: { id: B.you.id, name: 'Jun', audio: true, video: true, screen: false, joined: 2, role: 'guest', hand: null, audioLocked: false }, count: 2, seq: 2, mode: 'mesh' },
    ]);
    await counted;

    const updated = next(a, 'participant-updated');
    expect(await request(b, 'state', { audio: false, name: 'Jun K' })).toEqual([
      { ok: { participant: { id: B.you.id, name: 'Jun K', audio: false, video: true, screen: false, joined: 2, role: 'guest', hand: null, audioLocked: false } } },
    ]);
    expect(await updated).toEqual([
      { participant: { id: B.you.id, name: 'Jun K', audio: false, video: true, screen: false, joined: 2, role: 'guest', hand: null, audioLocked: false } },
    ]);
    // A third joiner, on A, is shown B's new state.
    const c = await on(nodeA, NS);
    const C = await join(c, room, 'Sora');
    expect(C.participants.map((p) => [p.name, p.audio])).toEqual([
      ['Mina', true],
      ['Jun K', false],
    ]);
    expect(A.seq).toBe(1);
  });

  it('relays targeted signaling across nodes, to the addressee only', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA, NS);
    const b = await on(nodeB, NS);
    const bystander = await on(nodeB, NS);
    const A = await join(a, room, 'A');
    const B = await join(b, room, 'B');
    await join(bystander, room, 'C');
    const notC = record(bystander, 'signal');
    const offer = { type: 'offer', sdp: 'v=0\r\n' };
    const atB = next(b, 'signal');
    expect(await request(a, 'signal', { to: B.you.id, description: offer })).toEqual([{ ok: {} }]);
    expect(await atB).toEqual([{ from: A.you.id, description: offer }]);
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    const atA = next(a, 'signal');
    expect(await request(b, 'signal', { to: A.you.id, candidate })).toEqual([{ ok: {} }]);
    expect(await atA).toEqual([{ from: B.you.id, candidate }]);
    expect(notC.events).toEqual([]);

    // Someone on the other node but in another room is out of reach.
    const elsewhere = await on(nodeB, NS);
    const D = await join(elsewhere, uniqueRoom('other'), 'D');
    const [refused] = await request(a, 'signal', { to: D.you.id, description: offer });
    expect(isError(refused, 'not_in_room')).toBe(true);
  });

  it('delivers no signaling to a meeting named after the addressee, on either node', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA, NS);
    const b = await on(nodeB, NS);
    const spies = [await on(nodeA, NS), await on(nodeB, NS)];
    const mate = await on(nodeA, NS);
    await join(a, room, 'A');
    const B = await join(b, room, 'B');
    for (const [i, spy] of spies.entries()) await join(spy, B.you.id, `Spy${i}`);
    await join(mate, B.you.id, 'Mate');
    const overheard = spies.map((spy) => record(spy, 'signal'));
    const atB = next(b, 'signal');
    expect(await request(a, 'signal', { to: B.you.id, description: { type: 'offer', sdp: 'v=0\r\n' } })).toEqual([{ ok: {} }]);
    await atB;
    // Fence: a chat in the spies' meeting, sent after the signal, reaches both.
    const markers = spies.map((spy) => next(spy, 'chat'));
    await request(mate, 'chat', { text: 'marker' });
    await Promise.all(markers);
    expect(overheard.map((r) => r.events)).toEqual([[], []]);
  });

  it('delivers chat across nodes and tells the other node who left', async () => {
    const room = uniqueRoom();
    const a = await on(nodeA, NS);
    const b = await on(nodeB, NS);
    await join(a, room, 'Mina');
    const J = await join(b, room, 'Jun');
    const chat = next(b, 'chat');
    const [ack] = await request(a, 'chat', { text: 'across' });
    expect(ack).toMatchObject({ ok: {} });
    expect(await chat).toEqual([expect.objectContaining({ text: 'across', from: expect.objectContaining({ name: 'Mina' }) })]);
    const left = next(a, 'participant-left');
    const jun = J.you.id;
    b.disconnect();
    expect(await left).toEqual([
      { participant: expect.objectContaining({ id: jun, name: 'Jun' }), count: 1, seq: 3, mode: 'mesh' },
    ]);
  });

  it('applies the mesh limit to the whole cluster', async () => {
    const room = uniqueRoom();
    const sockets = [await on(nodeA, NS), await on(nodeB, NS), await on(nodeA, NS)];
    for (const [i, s] of sockets.entries()) await join(s, room, `P${i}`);
    await listMeeting(sockets[0]!);
    const late = await on(nodeB, NS);
    const [reply] = await request(late, 'join', { room, name: 'Late' });
    expect(isError(reply, 'room_full')).toBe(true);
    // Refused on B, the room on A did not change.
    const counted = nextMatching(sockets[0]!, 'rooms', hasCount(room, 2));
    sockets[2]!.disconnect();
    await counted;
  });
});

describe('hosts across two nodes', () => {
  const newKey = () => Math.random().toString(36).slice(2).padEnd(12, 'x') + Math.random().toString(36).slice(2).padEnd(12, 'y');

  it('lets a host on one node lock, admit, mute and remove people on the other, for good', async () => {
    const room = uniqueRoom();
    const host = await on(nodeA, NS);
    const H = await join(host, room, 'Mina', { key: newKey() });
    expect(H.you.role).toBe('host');
    const guest = await on(nodeB, NS);
    const guestKey = newKey();
    const G = await join(guest, room, 'Jun', { key: guestKey });
    expect(G.you.role).toBe('guest');

    // Muted from node A, held (no unmuting) on node B.
    await request(host, 'settings', { allowUnmute: false });
    const muted = next(guest, 'moderated');
    expect(await request(host, 'moderate', { action: 'mute', participant: G.you.id })).toEqual([{ ok: {} }]);
    expect((await muted)[0]).toEqual({ action: 'mute', by: 'Mina' });
    const [unmute] = await request(guest, 'state', { audio: true });
    expect(isError(unmute, 'muted_by_host')).toBe(true);

    // Locked on A: a newcomer on B waits, and the host on A sees and admits them.
    await request(host, 'settings', { locked: true });
    const eun = await on(nodeB, NS);
    const eunKey = newKey();
    const [locked] = await request(eun, 'join', { room, name: 'Eun', key: eunKey });
    expect(isError(locked, 'locked')).toBe(true);
    const lobby = nextMatching(host, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 1);
    expect(await request(eun, 'knock', { room, name: 'Eun', key: eunKey })).toEqual([{ ok: {} }]);
    const [list] = await lobby;
    const knocker = (list as { waiting: { id: string; name: string }[] }).waiting[0]!;
    expect(knocker.name).toBe('Eun');
    const admitted = next(eun, 'admitted');
    await request(host, 'admit', { participant: knocker.id });
    await admitted;
    const [inside] = await request(eun, 'join', { room, name: 'Eun', key: eunKey });
    expect(inside).toMatchObject({ ok: { room } });

    // Removed from A: gone from the meeting, and refused through either node.
    const removed = next(guest, 'removed');
    const left = nextMatching(host, 'participant-left', (e) => (e as { participant: { id: string } }).participant.id === G.you.id);
    expect(await request(host, 'moderate', { action: 'remove', participant: G.you.id })).toEqual([{ ok: {} }]);
    expect((await removed)[0]).toEqual({ room, by: 'Mina' });
    await left;
    for (const node of [nodeA, nodeB]) {
      const again = await on(node, NS);
      const [refused] = await request(again, 'join', { room, name: 'Someone', key: guestKey });
      expect(isError(refused, 'removed')).toBe(true);
    }
  });
});
