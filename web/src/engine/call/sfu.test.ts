/**
 * SfuLink against a small fake RTCPeerConnection that reads the m-lines of
 * the offers it is given: one connection, one offer of ours, the server's
 * offers answered in order, tracks grouped by participant, leavers dropped.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVE_LINES, SfuLink } from './sfu';
import { NO_STREAMS, type RemoteStreams } from './streams';
import { FakeTrack, asTrack, createStream } from './testing/fakeMedia';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
async function settle(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

class FakeSender {
  readonly replaced: Array<MediaStreamTrack | null> = [];
  constructor(public track: MediaStreamTrack | null) {}
  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    this.replaced.push(track);
    this.track = track;
  }
}

class FakeTransceiver {
  currentDirection: string | null = null;
  sendEncodings: RTCRtpEncodingParameters[] | undefined;
  readonly sender: FakeSender;
  readonly receiver: { track: MediaStreamTrack; getSynchronizationSources: () => Array<{ audioLevel: number }> };
  constructor(
    public mid: string | null,
    readonly kind: 'audio' | 'video',
    public direction: string,
    track: MediaStreamTrack | null,
  ) {
    this.sender = new FakeSender(track);
    this.receiver = { track: asTrack(new FakeTrack(kind)), getSynchronizationSources: () => [{ audioLevel: 0.5 }] };
  }
}

class FakeSfuPc {
  readonly transceivers: FakeTransceiver[] = [];
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  ontrack: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  readonly log: string[] = [];
  closed = false;
  /** Leaves `setLocalDescription` pending for good, as Chromium does for an
   * operation on a connection closed while it ran (the spec's operations
   * chain is abandoned on close: the promise never settles). */
  hangLocal = false;

  constructor(readonly config: RTCConfiguration) {}

  addTransceiver(trackOrKind: MediaStreamTrack | string, init: RTCRtpTransceiverInit): FakeTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = (typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind) as 'audio' | 'video';
    const t = new FakeTransceiver(null, kind, init.direction ?? 'sendrecv', track);
    t.sendEncodings = init.sendEncodings;
    this.transceivers.push(t);
    return t;
  }
  getTransceivers(): FakeTransceiver[] {
    return [...this.transceivers];
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: `offer with ${this.transceivers.length} m-lines` };
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit): Promise<void> {
    if (this.hangLocal) return new Promise<void>(() => undefined);
    this.transceivers.forEach((t, i) => (t.mid ??= String(i)));
    this.localDescription = d;
    this.log.push(`local ${d.type}`);
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    if (d.type === 'offer' && this.localDescription?.type === 'offer' && !this.remoteDescription) {
      throw new Error('offer while our own offer is unanswered');
    }
    this.remoteDescription = d;
    this.log.push(`remote ${d.type}`);
    if (d.type !== 'offer') return;
    let added = false;
    for (const section of (d.sdp ?? '').split('\r\nm=').slice(1)) {
      const [kind, port] = section.split(' ');
      const mid = /a=mid:(\S+)/.exec(section)?.[1] ?? '';
      let t = this.transceivers.find((x) => x.mid === mid);
      if (!t) {
        t = new FakeTransceiver(mid, kind === 'audio' ? 'audio' : 'video', 'recvonly', null);
        this.transceivers.push(t);
        added = true;
      }
      t.currentDirection = port === '0' ? 'stopped' : t.direction;
    }
    if (added) this.ontrack?.();
  }
  close(): void {
    this.closed = true;
  }
}

/** A server offer: our three published lines, then the forwarded ones. */
function serverOffer(
  forwarded: Array<{ mid: string; kind: 'audio' | 'video'; from: string; senderMid: string; stopped?: boolean }>,
  session = 'sfu1',
): string {
  const ours = ['0', '1', '2'].map((mid, i) => `m=${i === 0 ? 'audio' : 'video'} 9 X\r\na=mid:${mid}\r\na=recvonly`);
  const theirs = forwarded.map(
    (f) => `m=${f.kind} ${f.stopped ? 0 : 9} X\r\na=mid:${f.mid}\r\na=sendonly\r\na=msid:${f.from} 7-${f.senderMid}`,
  );
  return ['v=0', `a=ice-ufrag:${session}`, ...ours, ...theirs, ''].join('\r\n');
}

function setup(
  options: {
    refuseFirstOffer?: boolean;
    hangFirstLocal?: boolean;
    receiving?: { audio: number; video: number };
    answer?: string;
  } = {},
) {
  const pcs: FakeSfuPc[] = [];
  const offers: string[] = [];
  const answers: string[] = [];
  let releaseAnswer: () => void = () => undefined;
  const answerHeld = new Promise<void>((r) => (releaseAnswer = r));
  let refuse = options.refuseFirstOffer ?? false;
  const mic = asTrack(new FakeTrack('audio'));
  const camera = asTrack(new FakeTrack('video'));
  const link = new SfuLink({
    createPeerConnection: (config) => {
      const pc = new FakeSfuPc(config);
      pc.hangLocal = pcs.length === 0 && (options.hangFirstLocal ?? false);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    createStream,
    tracks: () => ({ audio: mic, camera, screen: null }),
    ...(options.receiving ? { receiving: () => options.receiving! } : {}),
    retryMs: 5,
    signaling: {
      offer: async (sdp) => {
        offers.push(sdp);
        if (refuse) {
          refuse = false;
          throw new Error('sfu-offer: invalid_sdp');
        }
        await answerHeld;
        return options.answer ?? 'server answer\r\na=ice-ufrag:sfu1\r\n';
      },
      answer: async (sdp) => void answers.push(sdp),
    },
  });
  const streams = new Map<string, RemoteStreams>();
  link.on('streams', ({ id, streams: s }) => (s === NO_STREAMS ? streams.delete(id) : streams.set(id, s)));
  return { link, pcs, offers, answers, releaseAnswer, streams, mic, camera };
}

describe('SfuLink', () => {
  it('publishes microphone, camera and screen on one connection with one offer, no ICE servers', async () => {
    const { link, pcs, offers, releaseAnswer, mic, camera } = setup();
    link.open('me');
    releaseAnswer();
    await settle();
    expect(pcs).toHaveLength(1);
    const pc = pcs[0]!;
    expect(pc.config.iceServers).toEqual([]);
    expect(pc.transceivers.map((t) => [t.mid, t.kind, t.direction, t.sender.track])).toEqual([
      ['0', 'audio', 'sendonly', mic],
      ['1', 'video', 'sendonly', camera],
      ['2', 'video', 'sendonly', null],
    ]);
    expect(offers).toEqual(['offer with 3 m-lines']);
    // The camera goes up as three simulcast layers, microphone and screen as one stream.
    expect(pc.transceivers.map((t) => t.sendEncodings?.map((e) => [e.rid, e.scaleResolutionDownBy]))).toEqual([
      undefined,
      [
        ['q', 4],
        ['h', 2],
        ['f', 1],
      ],
      undefined,
    ]);
    expect(pc.log).toEqual(['local offer', 'remote answer']);

    // Screen share and camera switches: replaceTrack, never another offer.
    const screen = asTrack(new FakeTrack('video'));
    link.setTrack('screen', screen);
    await settle();
    expect(pc.transceivers[2]!.sender.replaced).toEqual([screen]);
    expect(offers).toHaveLength(1);
  });

  it('joining late, offers a receive line per track the others publish and shows them from the answer', async () => {
    // Ara publishes microphone and camera; two video lines were expected (a
    // screen still starting): the server answers the spare one inactive.
    const answer = serverOffer([
      { mid: '3', kind: 'audio', from: 'ara', senderMid: '0' },
      { mid: '4', kind: 'video', from: 'ara', senderMid: '1' },
    ]).replace(/\r\n$/, '\r\nm=video 9 X\r\na=mid:5\r\na=inactive\r\n');
    const { link, pcs, offers, answers, releaseAnswer, streams } = setup({ receiving: { audio: 1, video: 2 }, answer });
    link.open('me');
    releaseAnswer();
    await settle();
    const pc = pcs[0]!;
    expect(pc.transceivers.map((t) => [t.mid, t.kind, t.direction])).toEqual([
      ['0', 'audio', 'sendonly'],
      ['1', 'video', 'sendonly'],
      ['2', 'video', 'sendonly'],
      ['3', 'audio', 'recvonly'],
      ['4', 'video', 'recvonly'],
      ['5', 'video', 'recvonly'],
    ]);
    expect(offers).toEqual(['offer with 6 m-lines']);
    // One negotiation: Ara's streams from the answer alone, nothing answered.
    expect(answers).toEqual([]);
    expect([...streams.keys()]).toEqual(['ara']);
    const ara = streams.get('ara')!;
    expect(ara.camera?.getTracks().map((t) => t.id)).toEqual([
      pc.transceivers[3]!.receiver.track.id,
      pc.transceivers[4]!.receiver.track.id,
    ]);
  });

  it('never offers more receive lines than an offer can hold', async () => {
    const { link, pcs, releaseAnswer } = setup({ receiving: { audio: 30, video: 30 } });
    link.open('me');
    releaseAnswer();
    await settle();
    const receiving = pcs[0]!.transceivers.filter((t) => t.direction === 'recvonly');
    expect(receiving).toHaveLength(MAX_RECEIVE_LINES);
    expect(receiving.filter((t) => t.kind === 'audio')).toHaveLength(30);
  });

  it('answers a server offer that overtook the answer to ours only after it, and groups tracks by participant', async () => {
    const { link, pcs, answers, releaseAnswer, streams } = setup();
    link.open('me');
    await settle();
    link.deliver(
      serverOffer([
        { mid: '3', kind: 'audio', from: 'ara', senderMid: '0' },
        { mid: '4', kind: 'video', from: 'ara', senderMid: '1' },
        { mid: '5', kind: 'video', from: 'ara', senderMid: '2' },
        { mid: '6', kind: 'video', from: 'jun', senderMid: '1' },
      ]),
    );
    await settle();
    expect(pcs[0]!.log).toEqual(['local offer']);
    releaseAnswer();
    await settle();
    expect(pcs[0]!.log).toEqual(['local offer', 'remote answer', 'remote offer', 'local answer']);
    expect(answers).toEqual(['answer']);

    const pc = pcs[0]!;
    const receiverOf = (mid: string) => pc.transceivers.find((t) => t.mid === mid)!.receiver.track;
    expect([...streams.keys()].sort()).toEqual(['ara', 'jun']);
    expect(streams.get('ara')!.camera!.getTracks()).toEqual([receiverOf('3'), receiverOf('4')]);
    expect(streams.get('ara')!.screen!.getTracks()).toEqual([receiverOf('5')]);
    expect(streams.get('jun')!.camera!.getTracks()).toEqual([receiverOf('6')]);
    expect(link.audioLevel('ara')).toBe(0.5);
    expect(link.audioLevel('jun')).toBe(0);

    // Jun leaves: his line is stopped in the next offer, and his streams go.
    link.deliver(
      serverOffer([
        { mid: '3', kind: 'audio', from: 'ara', senderMid: '0' },
        { mid: '4', kind: 'video', from: 'ara', senderMid: '1' },
        { mid: '5', kind: 'video', from: 'ara', senderMid: '2' },
        { mid: '6', kind: 'video', from: 'jun', senderMid: '1', stopped: true },
      ]),
    );
    await settle();
    expect([...streams.keys()]).toEqual(['ara']);
  });

  it('is ready once connected with no negotiation waiting, once per connection', async () => {
    const { link, pcs, releaseAnswer } = setup();
    const ready: string[] = [];
    link.on('ready', () => ready.push(link.connectionState));
    link.open('me');
    await settle();
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }]));
    const pc = pcs[0]!;
    // ICE and DTLS may be up before the answer to our offer is in: not ready yet.
    pc.connectionState = 'connected';
    pc.onconnectionstatechange?.();
    await settle();
    expect(ready).toEqual([]);
    expect(link.ready).toBe(false);
    releaseAnswer();
    await settle();
    expect(pc.log).toEqual(['local offer', 'remote answer', 'remote offer', 'local answer']);
    expect(ready).toEqual(['connected']);
    expect(link.ready).toBe(true);

    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }, { mid: '4', kind: 'audio', from: 'ara', senderMid: '0' }]));
    await settle();
    expect(ready).toHaveLength(1);
    link.close();
    expect(link.ready).toBe(false);
  });

  it('says the media path is interrupted from a lost connection until one is up again', async () => {
    const { link, pcs, releaseAnswer } = setup();
    const told: boolean[] = [];
    link.on('interrupted', (v) => told.push(v));
    releaseAnswer();
    link.open('me');
    await settle();
    const first = pcs[0]!;
    first.connectionState = 'connected';
    first.onconnectionstatechange?.();
    expect(link.interrupted).toBe(false);
    // The server stopped answering: disconnected, then failed and replaced.
    first.connectionState = 'disconnected';
    first.onconnectionstatechange?.();
    expect(link.interrupted).toBe(true);
    first.connectionState = 'failed';
    first.onconnectionstatechange?.();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(pcs).toHaveLength(2);
    // Still interrupted while the new connection is on its way.
    expect(link.interrupted).toBe(true);
    const second = pcs[1]!;
    second.connectionState = 'connected';
    second.onconnectionstatechange?.();
    expect(link.interrupted).toBe(false);
    expect(told).toEqual([true, false]);
    // Leaving ends any interruption.
    second.connectionState = 'disconnected';
    second.onconnectionstatechange?.();
    link.close();
    expect(link.interrupted).toBe(false);
    expect(told).toEqual([true, false, true, false]);
  });

  it('opens a new connection at once when the server says its session is gone, and not after leaving', async () => {
    const { link, pcs, offers, releaseAnswer, streams } = setup();
    const told: boolean[] = [];
    link.on('interrupted', (v) => told.push(v));
    releaseAnswer();
    link.reconnect(); // not connected yet: nothing to replace
    expect(pcs).toHaveLength(0);
    link.open('me');
    await settle();
    const first = pcs[0]!;
    first.connectionState = 'connected';
    first.onconnectionstatechange?.();
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }]));
    await settle();
    expect(streams.has('ara')).toBe(true);

    // The meeting moved to another node: the old connection still looks up.
    link.reconnect();
    await settle();
    expect(first.closed).toBe(true);
    expect(pcs).toHaveLength(2);
    expect(offers).toHaveLength(2);
    // Its streams went with it; the stage says the video is reconnecting.
    expect(streams.has('ara')).toBe(false);
    expect(link.interrupted).toBe(true);
    pcs[1]!.connectionState = 'connected';
    pcs[1]!.onconnectionstatechange?.();
    expect(told).toEqual([true, false]);

    link.close();
    link.reconnect();
    expect(pcs).toHaveLength(2);
  });

  it('makes a new connection when its offer is refused, and drops everything on close', async () => {
    const { link, pcs, offers, releaseAnswer, streams } = setup({ refuseFirstOffer: true });
    const errors: string[] = [];
    link.on('error', (e) => errors.push(e.message));
    releaseAnswer();
    link.open('me');
    await settle();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(errors).toEqual(['sfu-offer: invalid_sdp']);
    expect(pcs).toHaveLength(2);
    expect(pcs[0]!.closed).toBe(true);
    expect(offers).toHaveLength(2);
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }]));
    await settle();
    expect(streams.has('ara')).toBe(true);

    link.close();
    expect(pcs[1]!.closed).toBe(true);
    expect(streams.size).toBe(0);
    expect(link.connectionState).toBe('closed');
  });

  it('negotiates a new connection even when the old one was closed in the middle of a step', async () => {
    // A rejoin (after a signaling reconnect) reopens the link while the old
    // connection is still applying its offer; Chromium never settles that
    // step once the connection is closed. The new connection must not wait
    // behind it: it was stuck with no media until the page was reloaded.
    const { link, pcs, offers, releaseAnswer } = setup({ hangFirstLocal: true });
    const ready: string[] = [];
    link.on('ready', () => ready.push(link.connectionState));
    link.open('me');
    await settle();
    expect(pcs).toHaveLength(1);
    expect(offers).toEqual([]);

    link.open('me-again');
    releaseAnswer();
    await settle();
    expect(pcs).toHaveLength(2);
    expect(pcs[0]!.closed).toBe(true);
    expect(offers).toEqual(['offer with 3 m-lines']);
    const pc = pcs[1]!;
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }]));
    await settle();
    expect(pc.log).toEqual(['local offer', 'remote answer', 'remote offer', 'local answer']);
    pc.connectionState = 'connected';
    pc.onconnectionstatechange?.();
    await settle();
    expect(ready).toEqual(['connected']);
  });

  it('leaves out an offer of the SFU session it replaced, which would be taken for an ICE restart', async () => {
    const { link, pcs, answers, releaseAnswer, streams } = setup();
    link.open('me');
    // On its way from the session before this connection: other credentials.
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'jun', senderMid: '1' }], 'sfu0'));
    link.deliver(serverOffer([{ mid: '3', kind: 'video', from: 'ara', senderMid: '1' }]));
    releaseAnswer();
    await settle();
    expect(pcs[0]!.log).toEqual(['local offer', 'remote answer', 'remote offer', 'local answer']);
    expect(answers).toHaveLength(1);
    expect([...streams.keys()]).toEqual(['ara']);
  });
});
