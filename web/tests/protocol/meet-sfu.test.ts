/**
 * Meetings through moim's SFU on `/moim`: the room's mode in the join ack and
 * in every membership event (mesh below `--sfu-threshold`, SFU from it on,
 * back to mesh when it shrinks), `sfu-offer` answered by the SFU with an
 * ICE-lite description on the media port, and typed refusals.
 */
import { describe, expect, it } from 'vitest';

import type { ParticipantEvent } from '../../src/engine/protocol';
import { BROWSER_OFFER as OFFER, OFFER_RECEIVING_AUDIO } from '../support/sdp';
import { connect, next, request } from '../support/sio';
import { isError, joinMeet, uniqueRoom, useHarness } from './harness';

const h = useHarness(['--sfu-threshold', '3', '--public-ip', '203.0.113.9']);
const NS = '/moim';


describe('meetings through the SFU', () => {
  it('tells the mode in the ack and in every membership event, and falls back to mesh when the room shrinks', async () => {
    const [a, b, c] = await h.sockets(3, NS);
    const room = uniqueRoom();
    expect((await joinMeet(a!, room, 'A')).mode).toBe('mesh');
    const joinedB = next(a!, 'participant-joined');
    expect((await joinMeet(b!, room, 'B')).mode).toBe('mesh');
    expect(((await joinedB)[0] as ParticipantEvent).mode).toBe('mesh');

    const joinedC = [next(a!, 'participant-joined'), next(b!, 'participant-joined')];
    expect((await joinMeet(c!, room, 'C')).mode).toBe('sfu');
    for (const event of await Promise.all(joinedC)) expect((event[0] as ParticipantEvent).mode).toBe('sfu');

    const left = [next(a!, 'participant-left'), next(b!, 'participant-left')];
    c!.disconnect();
    for (const event of await Promise.all(left)) {
      expect(event[0]).toMatchObject({ count: 2, mode: 'mesh' });
    }
  });

  it('answers an offer in an SFU room as an ICE-lite server on the media port', async () => {
    const [a, b, c] = await h.sockets(3, NS);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'A');
    await joinMeet(b!, room, 'B');
    await joinMeet(c!, room, 'C');
    const [reply] = await request(a!, 'sfu-offer', { sdp: OFFER });
    const sdp = (reply as { ok: { sdp: string } }).ok.sdp;
    expect(sdp).toContain('a=ice-lite');
    // The --public-ip, with the media port.
    expect(sdp).toMatch(/a=candidate:\S+ 1 udp \d+ 203\.0\.113\.9 \d+ typ host/);
    // The SFU receives what the browser sends: its m-lines are answered recvonly.
    expect(sdp).toContain('a=recvonly');
  });

  it('answers a receive line with nothing to carry inactive, and the rest of the offer as always', async () => {
    // Nobody here connects media (no browser), so no track is published yet:
    // the line finds none. Binding a line to a track is the SFU core's test
    // (moim-sfu late_join.rs) and the browser test's late sixth.
    const [a, b, c] = await h.sockets(3, NS);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'A');
    await joinMeet(b!, room, 'B');
    await joinMeet(c!, room, 'C');
    await request(a!, 'sfu-offer', { sdp: OFFER });
    const [reply] = await request(c!, 'sfu-offer', { sdp: OFFER_RECEIVING_AUDIO });
    const sections = (reply as { ok: { sdp: string } }).ok.sdp.split('\r\nm=');
    const line = (mid: string) => sections.find((section) => section.includes(`a=mid:${mid}\r\n`)) ?? '';
    expect(line('2')).toContain('a=inactive');
    expect(line('0')).toContain('a=recvonly');
    expect(line('1')).toContain('a=recvonly');
  });

  it('refuses SFU requests in a mesh room, bad descriptions and stray answers, changing nothing', async () => {
    const [a, b, c] = await h.sockets(3, NS);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'A');
    expect(isError((await request(a!, 'sfu-offer', { sdp: OFFER }))[0], 'not_sfu')).toBe(true);
    expect(isError((await request(b!, 'sfu-offer', { sdp: OFFER }))[0], 'not_in_room')).toBe(true);
    await joinMeet(b!, room, 'B');
    await joinMeet(c!, room, 'C');
    for (const [payload, code] of [
      [{ sdp: 'v=0 this is not a session description' }, 'invalid_sdp'],
      [{ sdp: 42 }, 'invalid_payload'],
      ['offer', 'invalid_payload'],
      [{ sdp: 'x'.repeat(70_000) }, 'too_large'],
    ] as const) {
      const [reply] = await request(a!, 'sfu-offer', payload);
      expect(isError(reply, code), JSON.stringify(payload).slice(0, 60)).toBe(true);
    }
    expect(isError((await request(a!, 'sfu-answer', { sdp: OFFER }))[0], 'no_sfu_session')).toBe(true);
    // After all that, a good offer still works.
    const [reply] = await request(a!, 'sfu-offer', { sdp: OFFER });
    expect(reply).toMatchObject({ ok: { sdp: expect.stringContaining('a=ice-lite') } });
    expect(isError((await request(a!, 'sfu-answer', { sdp: OFFER }))[0], 'no_offer_pending')).toBe(true);
  });

  it('takes sfu-tile heights for people of the meeting, and refuses the rest with a typed code', async () => {
    const [a, b, c, d] = await h.sockets(4, NS);
    const room = uniqueRoom();
    const me = (await joinMeet(a!, room, 'A')).you.id;
    const bob = (await joinMeet(b!, room, 'B')).you.id;
    // Two people: peer to peer, nothing for the SFU to choose.
    expect(isError((await request(a!, 'sfu-tile', { participant: bob, height: 180 }))[0], 'not_sfu')).toBe(true);
    const carol = (await joinMeet(c!, room, 'C')).you.id;
    const dan = (await joinMeet(d!, uniqueRoom(), 'D')).you.id;
    // An SFU meeting, but A has no SFU connection yet.
    expect(isError((await request(a!, 'sfu-tile', { participant: bob, height: 180 }))[0], 'no_sfu_session')).toBe(true);
    expect((await request(a!, 'sfu-offer', { sdp: OFFER }))[0]).toMatchObject({ ok: {} });

    for (const [payload, code] of [
      [{ participant: bob, height: -1 }, 'invalid_payload'],
      [{ participant: bob, height: 360.5 }, 'invalid_payload'],
      [{ participant: bob, height: '360' }, 'invalid_payload'],
      [{ participant: bob, height: 4321 }, 'invalid_payload'],
      [{ participant: bob }, 'invalid_payload'],
      ['360', 'invalid_payload'],
      [{ participant: 'nobody', height: 360 }, 'not_in_room'],
      [{ participant: dan, height: 360 }, 'not_in_room'],
      [{ participant: me, height: 360 }, 'not_in_room'],
    ] as const) {
      const [reply] = await request(a!, 'sfu-tile', payload);
      expect(isError(reply, code), JSON.stringify(payload)).toBe(true);
    }
    // People who do not publish to the SFU yet are fine: their height waits for their camera.
    expect((await request(a!, 'sfu-tile', { participant: bob, height: 0 }))[0]).toEqual({ ok: {} });
    expect((await request(a!, 'sfu-tile', { participant: carol, height: 4320 }))[0]).toEqual({ ok: {} });
    // Outside any meeting.
    await request(d!, 'leave', {});
    expect(isError((await request(d!, 'sfu-tile', { participant: bob, height: 180 }))[0], 'not_in_room')).toBe(true);
  });

  it('keeps every room peer to peer with --sfu never, and puts even two people on the SFU with --sfu always', async () => {
    for (const [mode, expected] of [
      ['never', 'mesh'],
      ['always', 'sfu'],
    ] as const) {
      const server = await h.extraServer(['--sfu', mode, '--sfu-threshold', '2']);
      const sockets = await Promise.all([0, 1, 2].map(() => connect(server.url, NS)));
      try {
        const room = uniqueRoom();
        const modes = [];
        for (const [i, s] of sockets.entries()) modes.push((await joinMeet(s, room, `p${i}`)).mode);
        expect(modes).toEqual([expected, expected, expected]);
        const [reply] = await request(sockets[0]!, 'sfu-offer', { sdp: OFFER });
        if (mode === 'never') expect(isError(reply, 'not_sfu')).toBe(true);
        else expect(reply).toMatchObject({ ok: { sdp: expect.stringContaining('a=ice-lite') } });
      } finally {
        for (const s of sockets) s.disconnect();
      }
    }
  });
});
