/**
 * The course contract on `/`, video stage: join_room with and without done, and
 * the offer / answer / ice relay between the two people of a call.
 */
import { describe, expect, it } from 'vitest';

import { next, record, request } from '../support/sio';
import { TRANSPORTS, isDone, uniqueRoom, useHarness } from './harness';

const h = useHarness();

const description = { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const answer = { type: 'answer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 };

describe.each(TRANSPORTS)('course video stage over %s', (transport) => {
  it('welcomes a join_room with done and one without', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    expect(isDone(await request(a!, 'join_room', room))).toBe(true);
    const welcome = next(a!, 'welcome');
    // The course's client sends join_room without a callback.
    b!.emit('join_room', room);
    expect(await welcome).toEqual(['Anon', 2]);
  });

  it('relays offer, answer and ice to the other person unchanged', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'join_room', room);
    const welcome = next(a!, 'welcome');
    b!.emit('join_room', room);
    await welcome;

    // The course's flow: the first person offers when welcomed, the second answers.
    const offered = next(b!, 'offer');
    a!.emit('offer', description, room);
    expect(await offered).toEqual([description]);

    const answered = next(a!, 'answer');
    b!.emit('answer', answer, room);
    expect(await answered).toEqual([answer]);

    const iceAtB = next(b!, 'ice');
    a!.emit('ice', candidate, room);
    expect(await iceAtB).toEqual([candidate]);
    const iceAtA = next(a!, 'ice');
    b!.emit('ice', candidate, room);
    expect(await iceAtA).toEqual([candidate]);
  });

  it('relays only into the named room, and not back to the sender', async () => {
    const [a, b, c, d] = await h.sockets(4, '/', transport);
    const room = uniqueRoom();
    const otherRoom = uniqueRoom();
    for (const s of [a!, b!]) await request(s, 'join_room', room);
    for (const s of [c!, d!]) await request(s, 'join_room', otherRoom);
    const atSender = record(a!, 'offer');
    const elsewhere = record(c!, 'offer');

    const offered = next(b!, 'offer');
    a!.emit('offer', description, room);
    expect(await offered).toEqual([description]);

    // Markers: an offer back to a, and one inside the other room to c.
    const back = next(a!, 'offer');
    b!.emit('offer', answer, room);
    expect(await back).toEqual([answer]);
    expect(atSender.events).toEqual([[answer]]);
    const marker = next(c!, 'offer');
    d!.emit('offer', answer, otherRoom);
    expect(await marker).toEqual([answer]);
    expect(elsewhere.events).toEqual([[answer]]);
  });

  it('lets a caller hang up: bye reaches the other person', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'join_room', room);
    await request(b!, 'join_room', room);
    const bye = next(a!, 'bye');
    b!.disconnect();
    expect(await bye).toEqual(['Anon', 1]);
  });
});
