/**
 * Event order and all-or-nothing refusals: cases that once failed.
 *
 * Socket.IO hands one socket's events to the server in the order they were
 * sent, and the course's client relies on it: it sends `offer` and then its ICE
 * candidates, and a nickname before what it writes next. moim must keep that order.
 */
import { describe, expect, it } from 'vitest';

import { connect, next, record, request } from '../support/sio';
import { TRANSPORTS, collect, uniqueRoom, useHarness } from './harness';

const h = useHarness();

describe.each(TRANSPORTS)('event order over %s', (transport) => {
  it('relays an offer and then its ice candidates in the order sent', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'join_room', room);
    await request(b!, 'join_room', room);
    const offer = next(b!, 'offer');
    const candidates = collect(b!, 'ice', 20);
    a!.emit('offer', { type: 'offer', sdp: 'v=0' }, room);
    for (let i = 1; i <= 20; i += 1) a!.emit('ice', { candidate: `c${i}` }, room);
    await offer;
    expect((await candidates).map(([c]) => c)).toEqual(Array.from({ length: 20 }, (_, i) => ({ candidate: `c${i + 1}` })));
  });

  it('applies a nickname to the message sent right after it', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'enter_room', room);
    await request(b!, 'enter_room', room);
    const messages = collect(a!, 'new_message', 10);
    for (let i = 1; i <= 10; i += 1) {
      b!.emit('nickname', `n${i}`);
      await request(b!, 'new_message', `m${i}`, room);
    }
    expect(await messages).toEqual(Array.from({ length: 10 }, (_, i) => [`n${i + 1}: m${i + 1}`]));
  });
});

describe.each(TRANSPORTS)('error events over %s', (transport) => {
  it('names join_room, not enter_room, when a join_room without callback is refused', async () => {
    const [a] = await h.sockets(1, '/', transport);
    const refused = next(a!, 'error');
    a!.emit('join_room', '');
    expect(await refused).toEqual([{ event: 'join_room', code: 'invalid_room', message: expect.any(String) }]);
  });
});

describe('/moim refusals change nothing', () => {
  it('keeps a socket in its room when its join to a full room is refused', async () => {
    const server = await h.extraServer(['--room-size', '2']);
    const [a, mate, b, c] = await Promise.all(
      Array.from({ length: 4 }, async () => h.track(await connect(server.url, '/moim'))),
    );
    const home = uniqueRoom();
    const full = uniqueRoom();
    await request(a!, 'join', { room: home, name: 'Mina' });
    await request(mate!, 'join', { room: home, name: 'Jun' });
    await request(b!, 'join', { room: full, name: 'B' });
    await request(c!, 'join', { room: full, name: 'C' });
    const left = record(mate!, 'participant-left');

    expect(await request(a!, 'join', { room: full, name: 'Mina' })).toEqual([
      { error: { code: 'room_full', message: expect.any(String) } },
    ]);
    // Still at home: a's chat reaches its room-mate, who saw no one leave.
    const arrived = next(mate!, 'chat');
    expect(await request(a!, 'chat', { text: 'still here' })).toEqual([{ ok: { ts: expect.any(Number), id: expect.any(Number) } }]);
    expect(await arrived).toEqual([expect.objectContaining({ text: 'still here' })]);
    expect(left.events).toEqual([]);
  });
});

