/**
 * Calls on `/moim`: participant state, targeted signaling between members of
 * one room, `state` updates, ICE servers from the command line, the mesh limit.
 */
import { describe, expect, it } from 'vitest';

import { connect, next, record, request } from '../support/sio';
import { isError, joinMeet, uniqueRoom, useHarness } from './harness';

const h = useHarness(['--ice-server', 'stun:stun.example.org:3478', '--ice-server', 'turn:mina:pw@turn.example.org:3478']);
const NS = '/moim';

/** Three people: a and b in one room, c in another. */
async function threeInTwoRooms() {
  const [a, b, c] = await h.sockets(3, NS);
  const room = uniqueRoom();
  const A = await joinMeet(a!, room, 'A');
  const B = await joinMeet(b!, room, 'B');
  const C = await joinMeet(c!, uniqueRoom('other'), 'C');
  return { a: a!, b: b!, c: c!, A, B, C, room };
}

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

describe('calls on /moim', () => {
  it('joins with the camera off and muted when asked, and hands out the ICE servers', async () => {
    const [a, b] = await h.sockets(2, NS);
    const room = uniqueRoom();
    const A = await joinMeet(a!, room, 'A', { audio: false, video: false });
    expect(A.you).toMatchObject({ audio: false, video: false, screen: false });
    expect(A.iceServers).toEqual([
      { urls: ['stun:stun.example.org:3478'] },
      { urls: ['turn:turn.example.org:3478'], username: 'mina', credential: 'pw' },
    ]);
    const [reply] = await request(b!, 'join', { room, name: 'B' });
    expect((reply as { ok: { participants: unknown[] } }).ok.participants).toEqual([
      { id: A.you.id, name: 'A', audio: false, video: false, screen: false, joined: 1, role: 'host', hand: null, audioLocked: false },
    ]);
  });

  it('delivers a description, candidates and end-of-candidates to the addressee only, in order', async () => {
    const { a, b, c, A, B } = await threeInTwoRooms();
    const atC = record(c, 'signal');
    const atA = record(a, 'signal');
    const received = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      b.on('signal', (message: unknown) => {
        got.push(message);
        if (got.length === 12) resolve(got);
      });
    });
    expect(await request(a, 'signal', { to: B.you.id, description: offer })).toEqual([{ ok: {} }]);
    for (let i = 0; i < 10; i += 1) a.emit('signal', { to: B.you.id, candidate: { ...candidate, usernameFragment: `u${i}` } });
    await request(a, 'signal', { to: B.you.id, candidate: null });
    const got = await received;
    expect(got[0]).toEqual({ from: A.you.id, description: offer });
    expect(got.slice(1, 11)).toEqual(Array.from({ length: 10 }, (_, i) => ({ from: A.you.id, candidate: { ...candidate, usernameFragment: `u${i}` } })));
    expect(got[11]).toEqual({ from: A.you.id, candidate: null });
    // The answer goes back the same way.
    const answered = next(a, 'signal');
    await request(b, 'signal', { to: A.you.id, description: { type: 'answer', sdp: 'v=0\r\n' } });
    expect(await answered).toEqual([{ from: B.you.id, description: { type: 'answer', sdp: 'v=0\r\n' } }]);
    expect(atC.events).toEqual([]);
    expect(atA.events).toHaveLength(1);
  });

  it('refuses signaling outside one room and malformed signals, delivering nothing', async () => {
    const { a, b, c, A, B, C } = await threeInTwoRooms();
    const atB = record(b, 'signal');
    const atC = record(c, 'signal');
    const cases: Array<[object, string]> = [
      [{ to: C.you.id, description: offer }, 'not_in_room'],
      [{ to: 'no-such-participant', description: offer }, 'not_in_room'],
      [{ to: A.you.id, description: offer }, 'not_in_room'],
      [{ to: B.you.id, description: offer, candidate }, 'invalid_payload'],
      [{ to: B.you.id }, 'invalid_payload'],
      [{ to: B.you.id, description: { sdp: 'v=0' } }, 'invalid_payload'],
      [{ to: B.you.id, description: 'offer' }, 'invalid_payload'],
      [{ description: offer }, 'invalid_payload'],
      [{ to: B.you.id, description: { type: 'offer', sdp: 'x'.repeat(70 * 1024) } }, 'too_large'],
    ];
    for (const [payload, code] of cases) {
      const [reply] = await request(a, 'signal', payload);
      expect(isError(reply, code), `${JSON.stringify(payload).slice(0, 80)} → ${JSON.stringify(reply)}`).toBe(true);
    }
    // C, in another room, cannot reach A either.
    const [fromC] = await request(c, 'signal', { to: A.you.id, description: offer });
    expect(isError(fromC, 'not_in_room')).toBe(true);
    // A marker proves nothing refused arrived before it.
    const marker = next(b, 'signal');
    await request(a, 'signal', { to: B.you.id, candidate });
    await marker;
    expect(atB.events).toEqual([[{ from: A.you.id, candidate }]]);
    expect(atC.events).toEqual([]);
  });

  it('refuses a signal from a socket in no room', async () => {
    const { B } = await threeInTwoRooms();
    const lone = await h.socket(NS);
    const [reply] = await request(lone, 'signal', { to: B.you.id, description: offer });
    expect(isError(reply, 'not_in_room')).toBe(true);
  });

  it('does not rate-limit an ICE burst to five peers', async () => {
    const { a, b, B } = await threeInTwoRooms();
    const all = new Promise<void>((resolve) => {
      let n = 0;
      b.on('signal', () => {
        n += 1;
        if (n === 100) resolve();
      });
    });
    const acks = await Promise.all(Array.from({ length: 100 }, () => request(a, 'signal', { to: B.you.id, candidate })));
    expect(acks.filter(([r]) => isError(r, 'rate_limited'))).toEqual([]);
    await all;
  });

  it('broadcasts state changes to the others and acknowledges the new state', async () => {
    const { a, b, c, A, room } = await threeInTwoRooms();
    const atC = record(c, 'participant-updated');
    const updated = next(b, 'participant-updated');
    const [reply] = await request(a, 'state', { audio: false, screen: true });
    const expected = { id: A.you.id, name: 'A', audio: false, video: true, screen: true, joined: A.you.joined, role: A.you.role, hand: null, audioLocked: false };
    expect(reply).toEqual({ ok: { participant: expected } });
    expect(await updated).toEqual([{ participant: expected }]);
    const renamed = next(b, 'participant-updated');
    await request(a, 'state', { name: '  Mina  ' });
    expect(await renamed).toEqual([{ participant: { ...expected, name: 'Mina' } }]);
    // A newcomer sees the current state in its join ack.
    const late = await h.socket(NS);
    const [joined] = await request(late, 'join', { room, name: 'late' });
    expect((joined as { ok: { participants: unknown[] } }).ok.participants).toContainEqual({ ...expected, name: 'Mina' });
    expect(atC.events).toEqual([]);
  });

  it('refuses bad state changes', async () => {
    const { a } = await threeInTwoRooms();
    for (const [payload, code] of [
      [{ name: '' }, 'invalid_name'],
      [{ audio: 'no' }, 'invalid_payload'],
      ['muted', 'invalid_payload'],
    ] as const) {
      const [reply] = await request(a, 'state', payload);
      expect(isError(reply, code), JSON.stringify(payload)).toBe(true);
    }
    const lone = await h.socket(NS);
    const [reply] = await request(lone, 'state', { audio: false });
    expect(isError(reply, 'not_in_room')).toBe(true);
  });

  it('refuses the seventh person of a mesh call when the SFU is off', async () => {
    const server = await h.extraServer(['--sfu', 'never']);
    const room = uniqueRoom();
    const people = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(() => connect(server.url, NS)));
    try {
      for (const [i, s] of people.slice(0, 6).entries()) await joinMeet(s, room, `p${i}`);
      const [reply] = await request(people[6]!, 'join', { room, name: 'p6' });
      expect(isError(reply, 'room_full')).toBe(true);
    } finally {
      for (const s of people) s.disconnect();
    }
  });

  it('honours --mesh-limit', async () => {
    const server = await h.extraServer(['--mesh-limit', '2', '--sfu', 'never']);
    const room = uniqueRoom();
    const sockets = await Promise.all([0, 1, 2].map(() => connect(server.url, NS)));
    try {
      await joinMeet(sockets[0]!, room, 'a');
      await joinMeet(sockets[1]!, room, 'b');
      const [reply] = await request(sockets[2]!, 'join', { room, name: 'c' });
      expect(isError(reply, 'room_full')).toBe(true);
    } finally {
      for (const s of sockets) s.disconnect();
    }
  });
});
