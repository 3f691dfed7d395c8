/**
 * Who can speak as whom, and who can hear what, on `/moim`
 * (`docs/security.md`): a participant id that everyone in a meeting sees must
 * grant nothing, and signaling meant for one person reaches that person alone.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { next, record, request } from '../support/sio';
import { isError, joinMeet, uniqueRoom, useHarness } from './harness';

const h = useHarness();
const NS = '/moim';

describe('participant ids grant nothing', () => {
  it('a participant id is not the Engine.IO session: a forged long-polling POST with it speaks as nobody', async () => {
    const [victim, listener] = await h.sockets(2, NS, 'polling');
    const room = uniqueRoom();
    const V = await joinMeet(victim!, room, 'Victim');
    await joinMeet(listener!, room, 'Listener');
    const heard = record(listener!, 'chat');

    const url = `${h.server().url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(V.you.id)}`;
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: `42${NS},["chat",{"text":"forged"}]`,
    });

    // Fence: the victim's own next message arrives, and it is the first.
    const real = next(listener!, 'chat');
    await request(victim!, 'chat', { text: 'really me' });
    await real;
    expect(heard.events.map(([m]) => (m as { text: string }).text)).toEqual(['really me']);
    expect(forged.status).toBe(400);
    expect(V.you.id).not.toBe(victim!.id);
    expect(V.you.id).not.toBe((victim!.io.engine as unknown as { id: string }).id);
  });

  it('a WebSocket upgrade with a participant id takes over no session', async () => {
    const [victim, other] = await h.sockets(2, NS, 'polling');
    const room = uniqueRoom();
    const V = await joinMeet(victim!, room, 'Victim');
    await joinMeet(other!, room, 'Other');
    const url = `${h.server().url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(V.you.id)}`;
    const ws = new WebSocket(url);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => {
        ws.send('2probe');
        ws.once('message', (data) => resolve(`answered ${String(data)}`));
        ws.once('close', () => resolve('closed'));
      });
      ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      ws.once('error', () => resolve('error'));
    });
    ws.terminate();
    expect(outcome).not.toBe('answered 3probe');
    expect(outcome).toMatch(/^(refused 400|closed|error)$/);
    // The victim's session is untouched: it still talks.
    const [ack] = await request(victim!, 'chat', { text: 'still me' });
    expect(ack).toMatchObject({ ok: {} });
  });
});

describe('signaling goes to its addressee alone', () => {
  it('a meeting named after someone\'s participant id hears none of their signaling', async () => {
    const [a, b, spy, spyMate] = await h.sockets(4, NS);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'A');
    const B = await joinMeet(b!, room, 'B');
    // Every form of B's id as a meeting name: plain, and the inbox's own form.
    for (const name of [`\u0001inbox:${B.you.id}`, `\u0001${B.you.id}`]) {
      const [refused] = await request(spy!, 'join', { room: name, name: 'Spy' });
      expect(isError(refused, 'invalid_room')).toBe(true);
    }
    await joinMeet(spy!, B.you.id, 'Spy');
    await joinMeet(spyMate!, B.you.id, 'Mate');
    const overheard = record(spy!, 'signal');

    const atB = next(b!, 'signal');
    const offer = { type: 'offer', sdp: 'v=0\r\n' };
    expect(await request(a!, 'signal', { to: B.you.id, description: offer })).toEqual([{ ok: {} }]);
    await atB;
    // Fence: a chat to the spy's meeting, sent after the signal, arrives first.
    const marker = next(spy!, 'chat');
    await request(spyMate!, 'chat', { text: 'marker' });
    await marker;
    expect(overheard.events).toEqual([]);
    // And the spy is no ghost in B's meeting.
    const [C] = await request((await h.sockets(1, NS))[0]!, 'join', { room, name: 'C' });
    expect((C as { ok: { participants: { name: string }[] } }).ok.participants.map((p) => p.name)).toEqual(['A', 'B']);
  });
});

describe('names in a meeting', () => {
  it('two people with one name are told apart', async () => {
    const [a, b, c] = await h.sockets(3, NS);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'Mina');
    const second = await joinMeet(b!, room, 'mina');
    expect(second.you.name).toBe('mina (2)');
    const third = await joinMeet(c!, room, 'Mina');
    expect(third.you.name).toBe('Mina (3)');
    expect(third.participants.map((p) => p.name)).toEqual(['Mina', 'mina (2)']);
    // A rename into a taken name is told apart too.
    const [renamed] = await request(c!, 'state', { name: 'MINA' });
    expect(renamed).toMatchObject({ ok: { participant: { name: 'MINA (3)' } } });
  });
});
