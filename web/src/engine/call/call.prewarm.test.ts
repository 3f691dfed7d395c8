/**
 * The work the call does while the person is still on the pre-join screen
 * (issue 21, "Faster start"): the spare connection is made there, with the
 * STUN servers anyone may have and the page's certificate, and the call's
 * first connection is that one, as it was made; going back home without
 * joining closes it. A server whose join brings TURN credentials gets no
 * spare: Chromium breaks a connection given other ICE servers before its
 * first offer (spare.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IceServer, JoinIn, Participant, SignalIn } from '../protocol';
import { RoomSession } from '../session';
import { SignalClient } from '../signal';
import { FakeSocket } from '../testing/fakeSocket';
import { Call } from './call';
import type { CallEnv } from './env';
import { Peer } from './peer';
import { SPARE_POOL_SIZE } from './spare';
import { FakeMediaDevices, FakeTrack, asTrack, createStream } from './testing/fakeMedia';
import { FakeRtc, type FakePeerConnection } from './testing/fakeRtc';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
async function settle(n = 40): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 1000 };
const jun: Participant = {
  id: 'p_jun',
  name: 'Jun',
  audio: true,
  video: true,
  screen: false,
  joined: 1,
  role: 'guest',
  hand: null,
  audioLocked: false,
};
/** What `ice-servers` gives before joining: STUN only. */
const STUN: IceServer[] = [{ urls: ['stun:stun.example.org:3478'] }];
/** What the join gives a participant: the TURN server with credentials. */
const TURN: IceServer[] = [...STUN, { urls: ['turn:turn.example.org:3478'], username: '1700000000:p_1', credential: 'secret' }];
const certificate = { expires: 0 } as unknown as RTCCertificate;

describe('Call on the pre-join screen', () => {
  let rtc: FakeRtc;
  let socket: FakeSocket;
  let session: RoomSession;
  let call: Call;
  /** The warm-up, resolved by the test. */
  let warmed: (cert: RTCCertificate | null) => void;
  let participants: Participant[];
  let warmUps: number;
  /** The ICE servers the join gives (STUN, as `ice-servers` does, unless a test says otherwise). */
  let joinIceServers: IceServer[];
  let relayOnJoin: boolean;

  beforeEach(() => {
    rtc = new FakeRtc();
    const env: CallEnv = {
      media: new FakeMediaDevices(),
      createPeerConnection: rtc.create,
      createStream,
      createMeter: () => null,
      speakerSelectable: false,
      warmUp: () => {
        warmUps++;
        return new Promise((resolve) => (warmed = resolve));
      },
    };
    socket = new FakeSocket();
    const signal = new SignalClient(socket, { timeoutMs: 1000 });
    session = new RoomSession(signal);
    call = new Call(session, signal, env);
    participants = [jun];
    warmUps = 0;
    joinIceServers = STUN;
    relayOnJoin = false;
    socket.autoReply('ice-servers', () => ({ ok: { iceServers: STUN, relayOnJoin } }));
    socket.autoReply('join', (p) => {
      const { room, name, audio = true, video = true } = p as JoinIn;
      const you = { ...jun, id: 'p_1', name, audio, video, joined: 2 };
      return { ok: { room, you, participants, seq: 2, iceServers: joinIceServers, limits, history: { messages: [], more: false }, mode: 'mesh', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
    });
    socket.open();
  });

  /** Jun's browser: answers our connection through the socket. */
  function junsBrowser(): Peer {
    const tracks = { audio: asTrack(new FakeTrack('audio')), camera: asTrack(new FakeTrack('video')), screen: null };
    const peer = new Peer({ remoteId: 'p_1', polite: false, pc: rtc.create({}), tracks, createStream });
    peer.on('signal', (s) => setTimeout(() => socket.push('signal', { from: 'p_jun', ...s }), 0));
    socket.autoReply('signal', (p) => {
      const { to, ...s } = p as SignalIn;
      if (to === 'p_jun') setTimeout(() => void peer.receive(s), 0);
      return { ok: {} };
    });
    return peer;
  }

  it('makes a connection while the person looks at themselves, and the call uses it for its first peer', async () => {
    const preview = call.preview();
    warmed(certificate);
    await preview;
    await settle();
    // Made before joining, with what anyone may have: STUN, the certificate, candidates gathered ahead.
    expect(rtc.pcs).toHaveLength(1);
    const spare = rtc.pcs[0] as FakePeerConnection;
    expect(spare.config).toMatchObject({ iceServers: STUN, bundlePolicy: 'max-bundle', certificates: [certificate], iceCandidatePoolSize: SPARE_POOL_SIZE });
    expect(socket.sentOf('join')).toEqual([]);

    expect(await call.join('standup', 'Mina')).toBe(true);
    // The first peer is the spare, as it was made: no new connection, no change to it.
    expect(rtc.pcs).toHaveLength(1);
    expect(spare.config.iceServers).toEqual(STUN);
    expect(spare.reconfigured).toBe(0);
    expect(spare.closed).toBe(false);
    junsBrowser();
    await settle();
    expect(spare.connectionState).toBe('connected');
    expect(call.getSnapshot().tiles.find((t) => t.key === 'p_jun')?.stream?.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
  });

  it('warms up once, from the home page: the pre-join reuses it and makes the spare at once', async () => {
    const warm = call.warmUp();
    expect(warmUps).toBe(1);
    warmed(certificate);
    await warm;
    // Nothing else on the home page: no connection kept, no camera.
    expect(rtc.pcs).toHaveLength(0);
    expect(call.local.snapshot.tracks.camera).toBeNull();
    await call.preview();
    await settle();
    expect(warmUps).toBe(1);
    expect((rtc.pcs[0] as FakePeerConnection).config.certificates).toEqual([certificate]);
  });

  it('closes the spare when the person goes back home without joining', async () => {
    const preview = call.preview();
    warmed(certificate);
    await preview;
    await settle();
    const spare = rtc.pcs[0] as FakePeerConnection;
    expect(spare.closed).toBe(false);
    call.stopPreview();
    expect(spare.closed).toBe(true);
    expect(call.local.snapshot.tracks.camera).toBeNull();
    // Back on the pre-join screen later: a fresh spare.
    await call.preview();
    await settle();
    expect(rtc.pcs).toHaveLength(2);
    expect((rtc.pcs[1] as FakePeerConnection).closed).toBe(false);
  });

  it('makes no spare once the join is on its way: the call makes its own connection', async () => {
    const preview = call.preview();
    await preview;
    // "Join now" before the warm-up is done.
    expect(await call.join('standup', 'Mina')).toBe(true);
    expect(rtc.pcs).toHaveLength(1);
    warmed(certificate);
    await settle();
    expect(rtc.pcs).toHaveLength(1);
    expect((rtc.pcs[0] as FakePeerConnection).config.iceCandidatePoolSize).toBeUndefined();
  });

  it('keeps the spare while alone in the call for the first person who comes, and closes it on leaving', async () => {
    participants = [];
    const preview = call.preview();
    warmed(certificate);
    await preview;
    await settle();
    expect(await call.join('standup', 'Mina')).toBe(true);
    const spare = rtc.pcs[0] as FakePeerConnection;
    expect(spare.closed).toBe(false);
    call.leave();
    expect(spare.closed).toBe(true);
  });

  it('makes no spare where the join brings a relay: the call makes its connections with the credentials', async () => {
    relayOnJoin = true;
    joinIceServers = TURN;
    const preview = call.preview();
    warmed(certificate);
    await preview;
    await settle();
    expect(rtc.pcs).toHaveLength(0);
    expect(await call.join('standup', 'Mina')).toBe(true);
    junsBrowser();
    await settle();
    const first = rtc.pcs[0] as FakePeerConnection;
    expect(first.config.iceServers).toEqual(TURN);
    expect(first.config.iceCandidatePoolSize).toBeUndefined();
    expect(first.reconfigured).toBe(0);
    expect(first.connectionState).toBe('connected');
  });

  it('closes the spare, never reconfigures it, when the join brings other ICE servers than it was made with', async () => {
    joinIceServers = TURN;
    const preview = call.preview();
    warmed(certificate);
    await preview;
    await settle();
    const spare = rtc.pcs[0] as FakePeerConnection;
    expect(await call.join('standup', 'Mina')).toBe(true);
    expect(spare.closed).toBe(true);
    expect(spare.reconfigured).toBe(0);
    const first = rtc.pcs[1] as FakePeerConnection;
    expect(first.config.iceServers).toEqual(TURN);
    expect(first.closed).toBe(false);
  });
});
