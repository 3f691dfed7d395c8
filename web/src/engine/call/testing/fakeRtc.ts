/**
 * A small in-memory WebRTC for unit tests: `RTCPeerConnection`s that do
 * offer/answer, implicit rollback on glare, negotiation-needed, trickled
 * candidates, ICE restarts and negotiated data channels, well enough to drive
 * the engine's `Peer` through real sequences. Not used by the app.
 *
 * The "SDP" is JSON: the sender's fake id, its ICE ufrag and its m-sections.
 * A connection counts as connected once it is stable with both descriptions
 * and has been given a candidate of the other side's current ufrag; two
 * connected partners then open their data channels of the same id.
 */
import { FakeDataChannel } from './fakeChannel';
import { FakeTrack, asTrack } from './fakeMedia';

export { FakeDataChannel };

interface Section {
  mid: string;
  kind: 'audio' | 'video' | 'application';
  direction: RTCRtpTransceiverDirection;
}

interface FakeSdp {
  pc: number;
  ufrag: string;
  sections: Section[];
}

type Desc = { type: RTCSdpType; sdp: string };

function domError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** Makes the fakes and finds partners by id (the `pc` field of the SDP). */
export class FakeRtc {
  readonly pcs: FakePeerConnection[] = [];
  private nextId = 1;

  create = (config: RTCConfiguration): RTCPeerConnection => {
    const pc = new FakePeerConnection(this, this.nextId++, config);
    this.pcs.push(pc);
    return pc as unknown as RTCPeerConnection;
  };

  byId(id: number): FakePeerConnection | undefined {
    return this.pcs.find((p) => p.fakeId === id);
  }
}

export class FakeSender {
  readonly replaced: Array<MediaStreamTrack | null> = [];
  constructor(public track: MediaStreamTrack | null) {}
  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    this.replaced.push(track);
    this.track = track;
  }
}

export class FakeTransceiver {
  mid: string | null;
  direction: RTCRtpTransceiverDirection;
  currentDirection: RTCRtpTransceiverDirection | null = null;
  readonly sender: FakeSender;
  readonly receiver: { track: MediaStreamTrack; getSynchronizationSources: () => RTCRtpSynchronizationSource[] };
  /** Set by tests: what the other side's audio level looks like. */
  audioLevel = 0;
  trackFired = false;

  constructor(
    private readonly owner: FakePeerConnection,
    kind: 'audio' | 'video',
    direction: RTCRtpTransceiverDirection,
    track: MediaStreamTrack | null,
    mid: string | null = null,
  ) {
    this.direction = direction;
    this.mid = mid;
    this.sender = new FakeSender(track);
    this.receiver = {
      track: asTrack(new FakeTrack(kind)),
      getSynchronizationSources: () => [{ audioLevel: this.audioLevel, source: 1, timestamp: 0, rtpTimestamp: 0 }],
    };
    // Changing the direction may need a negotiation, like the real thing.
    return new Proxy(this, {
      set: (target, prop, value) => {
        (target as unknown as Record<string | symbol, unknown>)[prop] = value;
        if (prop === 'direction') target.owner.checkNegotiation();
        return true;
      },
    });
  }
}

export class FakePeerConnection {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: Desc | null = null;
  remoteDescription: Desc | null = null;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  ontrack: ((e: { track: MediaStreamTrack; transceiver: FakeTransceiver }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  readonly transceivers: FakeTransceiver[] = [];
  readonly channels: FakeDataChannel[] = [];
  readonly added: RTCIceCandidateInit[] = [];
  /** What happened, in order: `offer`, `answer`, `rollback`. */
  readonly log: string[] = [];
  closed = false;
  private currentLocal: Desc | null = null;
  private currentRemote: Desc | null = null;
  private ops: Promise<unknown> = Promise.resolve();
  private nextMid = 0;
  private ufragGen = 1;
  private ufrag: string;
  private restartPending = false;
  private appNegotiated = false;
  private negotiationQueued = false;
  /** Mids given by the pending local offer: a rollback takes them back. */
  private offeredMids: FakeTransceiver[] = [];
  private partnerId: number | null = null;
  private remoteUfrag: string | null = null;
  private heardRemoteUfrag = false;

  constructor(
    private readonly rtc: FakeRtc,
    readonly fakeId: number,
    public config: RTCConfiguration,
  ) {
    this.ufrag = `u${fakeId}-1`;
  }

  getConfiguration(): RTCConfiguration {
    return this.config;
  }

  /** How many times `setConfiguration` was called. */
  reconfigured = 0;

  setConfiguration(config: RTCConfiguration): void {
    this.reconfigured++;
    // As Chromium: the certificates are fixed at construction, and leaving them out is a change too.
    const [was, now] = [this.config.certificates ?? [], config.certificates ?? []];
    if (was.length !== now.length || was.some((c, i) => c !== now[i])) {
      throw domError('InvalidModificationError', 'certificates changed');
    }
    this.config = config;
  }

  addTransceiver(trackOrKind: MediaStreamTrack | string, init: RTCRtpTransceiverInit = {}): FakeTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = (typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind) as 'audio' | 'video';
    const t = new FakeTransceiver(this, kind, init.direction ?? 'sendrecv', track);
    this.transceivers.push(t);
    this.checkNegotiation();
    return t;
  }

  getTransceivers(): FakeTransceiver[] {
    return [...this.transceivers];
  }

  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    const channel = new FakeDataChannel(label, init.id ?? null);
    this.channels.push(channel);
    this.checkNegotiation();
    this.linkChannels();
    return channel;
  }

  restartIce(): void {
    this.restartPending = true;
    this.checkNegotiation();
  }

  /** For callers that create descriptions first (the SFU link): the SDP comes with `setLocalDescription`. */
  async createOffer(): Promise<{ type: RTCSdpType; sdp: string }> {
    return { type: 'offer', sdp: '' };
  }

  async createAnswer(): Promise<{ type: RTCSdpType; sdp: string }> {
    return { type: 'answer', sdp: '' };
  }

  setLocalDescription(desc?: { type: RTCSdpType }): Promise<void> {
    return this.op(() => {
      if (desc?.type === 'rollback') return this.rollback();
      if (this.signalingState === 'have-remote-offer') return this.answer();
      return this.offer();
    });
  }

  setRemoteDescription(desc: Desc): Promise<void> {
    return this.op(() => {
      if (desc.type === 'offer') {
        if (this.signalingState === 'have-local-offer') this.rollback();
        if (this.signalingState !== 'stable') throw domError('InvalidStateError', 'offer in ' + this.signalingState);
        this.applyRemote(desc);
        this.signalingState = 'have-remote-offer';
        return;
      }
      if (desc.type !== 'answer') throw domError('InvalidStateError', 'unsupported ' + desc.type);
      if (this.signalingState !== 'have-local-offer') throw domError('InvalidStateError', 'answer in ' + this.signalingState);
      this.applyRemote(desc);
      this.currentLocal = this.localDescription;
      this.currentRemote = desc;
      this.settle();
    });
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return this.op(() => {
      if (!this.remoteDescription) throw domError('InvalidStateError', 'no remote description');
      if (!candidate) return;
      if (candidate.usernameFragment && candidate.usernameFragment !== this.remoteUfrag) {
        throw domError('OperationError', 'unknown ufrag');
      }
      this.added.push(candidate);
      this.heardRemoteUfrag = true;
      this.checkConnected();
    });
  }

  close(): void {
    this.closed = true;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    for (const c of this.channels) c.close();
  }

  /** The network broke: ICE and the connection fail. */
  fail(): void {
    this.iceConnectionState = 'failed';
    this.connectionState = 'failed';
    this.heardRemoteUfrag = false;
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }

  /** Negotiation-needed is checked when stable, in a task of its own, like the spec. */
  checkNegotiation(): void {
    if (this.closed || this.negotiationQueued) return;
    this.negotiationQueued = true;
    setTimeout(() => {
      this.negotiationQueued = false;
      if (this.closed || this.signalingState !== 'stable' || !this.needsNegotiation()) return;
      this.onnegotiationneeded?.();
    }, 0);
  }

  // ---- internals ----

  private op(fn: () => void): Promise<void> {
    const run = this.ops.then(async () => {
      await Promise.resolve();
      if (this.closed) throw domError('InvalidStateError', 'closed');
      fn();
    });
    this.ops = run.catch(() => undefined);
    return run;
  }

  private needsNegotiation(): boolean {
    return (
      this.restartPending ||
      this.transceivers.some((t) => t.mid === null || t.direction !== t.currentDirection) ||
      (this.channels.length > 0 && !this.appNegotiated)
    );
  }

  private offer(): void {
    this.offeredMids = [];
    for (const t of this.transceivers) {
      if (t.mid === null) {
        t.mid = String(this.nextMid++);
        this.offeredMids.push(t);
      }
    }
    if (this.restartPending || !this.currentLocal) this.newUfrag();
    this.log.push('offer');
    this.localDescription = { type: 'offer', sdp: this.sdp() };
    this.signalingState = 'have-local-offer';
    this.trickle();
  }

  private answer(): void {
    const remote = this.remoteSdp();
    const restarted = remote.ufrag !== this.lastAnsweredUfrag;
    if (restarted || this.restartPending) this.newUfrag();
    this.lastAnsweredUfrag = remote.ufrag;
    this.log.push('answer');
    this.localDescription = { type: 'answer', sdp: this.sdp() };
    this.currentLocal = this.localDescription;
    this.currentRemote = this.remoteDescription;
    this.settle();
    this.trickle();
  }

  private lastAnsweredUfrag: string | null = null;

  private rollback(): void {
    if (this.signalingState !== 'have-local-offer') return;
    this.log.push('rollback');
    for (const t of this.offeredMids) t.mid = null;
    this.offeredMids = [];
    this.localDescription = this.currentLocal;
    this.signalingState = 'stable';
  }

  private newUfrag(): void {
    this.ufrag = `u${this.fakeId}-${++this.ufragGen}`;
    this.restartPending = false;
  }

  /** Back to stable after a completed exchange. */
  private settle(): void {
    this.signalingState = 'stable';
    for (const t of this.transceivers) t.currentDirection = t.direction;
    if (this.channels.length > 0 && this.remoteSdp().sections.some((s) => s.kind === 'application')) {
      this.appNegotiated = true;
    }
    this.offeredMids = [];
    this.checkConnected();
    this.checkNegotiation();
  }

  private applyRemote(desc: Desc): void {
    const sdp = JSON.parse(desc.sdp) as FakeSdp;
    this.remoteDescription = desc;
    this.partnerId = sdp.pc;
    if (sdp.ufrag !== this.remoteUfrag) this.heardRemoteUfrag = false;
    this.remoteUfrag = sdp.ufrag;
    for (const s of sdp.sections) {
      if (s.kind === 'application') continue;
      let t = this.transceivers.find((x) => x.mid === s.mid);
      if (!t) {
        t = new FakeTransceiver(this, s.kind, 'recvonly', null, s.mid);
        this.transceivers.push(t);
      }
      const sends = s.direction === 'sendrecv' || s.direction === 'sendonly';
      if (sends && !t.trackFired) {
        t.trackFired = true;
        this.ontrack?.({ track: t.receiver.track, transceiver: t });
      }
    }
  }

  private sdp(): string {
    const sections: Section[] = this.transceivers
      .filter((t) => t.mid !== null)
      .map((t) => ({ mid: t.mid ?? '', kind: t.receiver.track.kind as 'audio' | 'video', direction: t.direction }));
    if (this.channels.length > 0) sections.push({ mid: 'data', kind: 'application', direction: 'sendrecv' });
    const sdp: FakeSdp = { pc: this.fakeId, ufrag: this.ufrag, sections };
    return JSON.stringify(sdp);
  }

  private remoteSdp(): FakeSdp {
    return JSON.parse(this.remoteDescription?.sdp ?? '{"sections":[]}') as FakeSdp;
  }

  private trickle(): void {
    const ufrag = this.ufrag;
    void tick().then(() => {
      if (this.closed) return;
      const candidate = { candidate: `candidate:${ufrag}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag };
      this.onicecandidate?.({ candidate: { ...candidate, toJSON: () => candidate } });
      this.onicecandidate?.({ candidate: null });
    });
  }

  private checkConnected(): void {
    const ready = this.signalingState === 'stable' && this.currentLocal && this.currentRemote && this.heardRemoteUfrag;
    if (!ready || this.connectionState === 'connected') return;
    this.iceConnectionState = 'connected';
    this.connectionState = 'connected';
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
    this.linkChannels();
  }

  private linkChannels(): void {
    const partner = this.partnerId === null ? undefined : this.rtc.byId(this.partnerId);
    if (!partner || this.connectionState !== 'connected' || partner.connectionState !== 'connected') return;
    for (const c of this.channels) {
      const other = partner.channels.find((x) => x.id === c.id && !x.remote);
      if (!c.remote && other) c.link(other);
    }
  }
}
