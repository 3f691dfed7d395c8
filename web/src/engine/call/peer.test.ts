import { describe, expect, it } from 'vitest';
import type { LocalTracks } from './local';
import { Peer, type PeerSignal, type RemoteStreams } from './peer';
import { FakeTrack, asFake, asTrack, createStream } from './testing/fakeMedia';
import { FakeRtc, type FakeDataChannel, type FakePeerConnection } from './testing/fakeRtc';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
/** Lets every queued signal, negotiation and candidate run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 40; i++) await tick();
}

function localTracks(): LocalTracks {
  return { audio: asTrack(new FakeTrack('audio')), camera: asTrack(new FakeTrack('video')), screen: null };
}

interface Side {
  peer: Peer;
  pc: FakePeerConnection;
  errors: Error[];
  streams: RemoteStreams[];
  tracks: LocalTracks;
}

function side(rtc: FakeRtc, remoteId: string, polite: boolean): Side {
  const tracks = localTracks();
  const peer = new Peer({ remoteId, polite, pc: rtc.create({}), tracks, createStream });
  const pc = rtc.pcs[rtc.pcs.length - 1] as FakePeerConnection;
  const s: Side = { peer, pc, errors: [], streams: [], tracks };
  peer.on('error', (e) => s.errors.push(e));
  peer.on('streams', (st) => s.streams.push(st));
  return s;
}

/** Two peers whose signals reach each other a task later, like a relay would. */
function pair(options: { deliver?: (to: Side, s: PeerSignal) => boolean } = {}) {
  const rtc = new FakeRtc();
  // "a" < "b": b sees a polite peer; a sees an impolite one.
  const a = side(rtc, 'b', true);
  const b = side(rtc, 'a', false);
  const route = (to: Side) => (s: PeerSignal) => {
    if (options.deliver && !options.deliver(to, s)) return;
    setTimeout(() => void to.peer.receive(s), 0);
  };
  a.peer.on('signal', route(b));
  b.peer.on('signal', route(a));
  return { rtc, a, b };
}

const kinds = (pc: FakePeerConnection) => pc.transceivers.map((t) => t.receiver.track.kind);

describe('Peer', () => {
  it('starts the first offer at once, not a task later at negotiationneeded, and makes only that one', async () => {
    const rtc = new FakeRtc();
    const pc = rtc.create({}) as unknown as FakePeerConnection;
    const calls: string[] = [];
    const set = pc.setLocalDescription.bind(pc);
    pc.setLocalDescription = (desc) => {
      calls.push(desc?.type ?? 'implicit');
      return set(desc);
    };
    const peer = new Peer({ remoteId: 'b', polite: false, pc: pc as unknown as RTCPeerConnection, tracks: localTracks(), createStream });
    // Synchronously, in the same task as the peer's creation (the page may be busy right after).
    expect(calls).toEqual(['implicit']);
    const sent: PeerSignal[] = [];
    peer.on('signal', (s) => sent.push(s));
    await settle();
    // negotiationneeded came too, and made no second offer.
    expect(pc.log).toEqual(['offer']);
    expect(sent.filter((s) => s.description?.type === 'offer')).toHaveLength(1);
  });

  it('connects with one offer from the impolite side and the fixed layout', async () => {
    const { a, b } = pair();
    await settle();
    for (const s of [a, b]) {
      expect(s.pc.signalingState).toBe('stable');
      expect(s.pc.connectionState).toBe('connected');
      expect(kinds(s.pc)).toEqual(['audio', 'video', 'video']);
      expect(s.pc.transceivers.every((t) => t.direction === 'sendrecv')).toBe(true);
      expect(s.errors).toEqual([]);
    }
    expect(b.pc.log).toEqual(['offer']);
    expect(a.pc.log).toEqual(['answer']);
    // The polite side sends its own tracks on the adopted transceivers.
    expect(a.pc.transceivers[0]?.sender.track).toBe(a.tracks.audio);
    expect(a.pc.transceivers[1]?.sender.track).toBe(a.tracks.camera);
    // Camera stream = mic + camera; the screen stream is the second video.
    const last = a.streams[a.streams.length - 1];
    expect(last?.camera?.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
    expect(last?.screen?.getTracks()).toEqual([a.pc.transceivers[2]?.receiver.track]);
    // The negotiated files channel is open on both sides.
    const channels = [a.peer.channel, b.peer.channel] as unknown as FakeDataChannel[];
    expect(channels.map((c) => [c.label, c.id, c.readyState])).toEqual([
      ['files', 0, 'open'],
      ['files', 0, 'open'],
    ]);
  });

  it('survives glare: both offer at once, the polite side rolls back, both end connected', async () => {
    const { a, b } = pair();
    await settle();
    const offersBefore = [a.pc.log.length, b.pc.log.length];
    // Both see the network fail and restart ICE at the same moment.
    a.pc.fail();
    b.pc.fail();
    await settle();
    expect(a.pc.log.slice(offersBefore[0])).toContain('rollback');
    expect(b.pc.log.slice(offersBefore[1])).not.toContain('rollback');
    expect(a.pc.log.slice(offersBefore[0])[0]).toBe('offer');
    expect(b.pc.log.slice(offersBefore[1])[0]).toBe('offer');
    for (const s of [a, b]) {
      expect(s.pc.signalingState).toBe('stable');
      expect(s.pc.connectionState).toBe('connected');
      expect(s.errors).toEqual([]);
    }
  });

  it('restarts ICE when the connection fails', async () => {
    const { a, b } = pair();
    await settle();
    const before = a.pc.log.length;
    a.pc.fail();
    await settle();
    expect(a.pc.log.slice(before)).toEqual(['offer']);
    expect(a.pc.connectionState).toBe('connected');
    expect(b.pc.connectionState).toBe('connected');
  });

  it('keeps candidates that arrive before the description and adds them after it', async () => {
    const held: PeerSignal[] = [];
    // Hold everything the impolite side sends; deliver it candidates first.
    const { a, b } = pair({ deliver: (to, s) => (to.peer.remoteId === 'b' ? (held.push(s), false) : true) });
    await settle();
    const candidates = held.filter((s) => s.candidate);
    const offer = held.find((s) => s.description?.type === 'offer');
    expect(candidates.length).toBeGreaterThan(0);
    for (const s of candidates) await a.peer.receive(s);
    expect(a.pc.added).toEqual([]);
    await a.peer.receive(offer as PeerSignal);
    await settle();
    expect(a.pc.added.map((c) => c.candidate)).toEqual(candidates.map((s) => s.candidate?.candidate));
    expect(a.errors).toEqual([]);
    expect(a.pc.connectionState).toBe('connected');
    expect(b.pc.connectionState).toBe('connected');
  });

  it('switches tracks with replaceTrack and never renegotiates', async () => {
    const { a, b } = pair();
    await settle();
    const logs = [a.pc.log.length, b.pc.log.length];
    const camera = asTrack(new FakeTrack('video', 'cam-2'));
    const mic = asTrack(new FakeTrack('audio', 'mic-2'));
    const screen = asTrack(new FakeTrack('video', 'screen'));
    await a.peer.setTrack('camera', camera);
    await a.peer.setTrack('audio', mic);
    await a.peer.setTrack('screen', screen);
    await a.peer.setTrack('camera', null);
    await settle();
    const [audioT, cameraT, screenT] = a.pc.transceivers;
    expect(cameraT?.sender.replaced.slice(-2)).toEqual([camera, null]);
    expect(audioT?.sender.track).toBe(mic);
    expect(screenT?.sender.track).toBe(screen);
    expect([a.pc.log.length, b.pc.log.length]).toEqual(logs);
  });

  it('sends a track set before the first offer once it adopts the layout', async () => {
    const { a } = pair();
    const early = asTrack(new FakeTrack('video', 'screen'));
    await a.peer.setTrack('screen', early);
    await settle();
    expect(a.pc.transceivers[2]?.sender.track).toBe(early);
  });

  it('reports the remote audio level from the receiver', async () => {
    const { a } = pair();
    await settle();
    const t = a.pc.transceivers[0];
    if (t) t.audioLevel = 0.3;
    expect(a.peer.audioLevel()).toBeCloseTo(0.3);
  });

  it('closes its connection and channel, and drops its streams', async () => {
    const { a, b } = pair();
    await settle();
    a.peer.close();
    expect(a.pc.closed).toBe(true);
    expect(a.streams[a.streams.length - 1]).toEqual({ camera: null, screen: null });
    expect((b.peer.channel as unknown as FakeDataChannel).readyState).toBe('closed');
    // Late signals to a closed peer are ignored.
    await a.peer.receive({ candidate: { candidate: 'x' } });
    expect(a.errors).toEqual([]);
  });

  it('lays out transceivers on the impolite side only, before any signal', () => {
    const rtc = new FakeRtc();
    const impolite = side(rtc, 'a', false);
    const polite = side(rtc, 'z', true);
    expect(kinds(impolite.pc)).toEqual(['audio', 'video', 'video']);
    expect(asFake(impolite.pc.transceivers[0]?.sender.track)).toBe(asFake(impolite.tracks.audio));
    expect(impolite.pc.channels).toHaveLength(1);
    expect(polite.pc.transceivers).toEqual([]);
    expect(polite.pc.channels).toEqual([]);
  });
});
