/**
 * Peer: the connection to one other participant, one `RTCPeerConnection`.
 *
 * Negotiation follows the "perfect negotiation" pattern: either side may
 * offer at any time; on a collision the polite side (the one who joined the
 * room later) rolls back its own offer and the impolite side ignores the other's.
 *
 * Fixed layout, so that nothing but an ICE restart ever renegotiates: three
 * transceivers, all `sendrecv` from the start — microphone (audio), camera
 * (video), screen (video) — plus the negotiated `files` data channel
 * (`negotiated: true, id: 0`). Mute, camera off/on, device switches and screen
 * share only `replaceTrack` on the right sender; whether the screen tile is
 * shown follows the participant's `screen` state from the server.
 *
 * Only the impolite side creates the transceivers and the channel, so the
 * first offer never collides. The polite side adopts the ones the offer
 * creates. Both sides tell the roles apart the same way: in
 * `getTransceivers()` order (the m-line order), the first audio is the
 * microphone, the first video the camera, the second video the screen.
 */
import type { IceServer } from '../protocol';
import { Emitter } from '../emitter';
import type { LocalTracks, TrackRole } from './local';
import { mark } from '../marks';
import { receiverLevel } from './level';
import { NO_STREAMS, StreamAssembler, type RemoteStreams } from './streams';

export type { RemoteStreams } from './streams';

/** What goes to the other side through the server's `signal`. */
export interface PeerSignal {
  description?: RTCSessionDescriptionInit;
  candidate?: RTCIceCandidateInit | null;
}

export interface PeerEvents {
  /** Send this to the other side. */
  signal: PeerSignal;
  streams: RemoteStreams;
  state: RTCPeerConnectionState;
  /** The `files` data channel was created (it opens with the connection). */
  channel: RTCDataChannel;
  /** Something went wrong that the connection may survive (for logs and tests). */
  error: Error;
}

export interface PeerOptions {
  remoteId: string;
  polite: boolean;
  pc: RTCPeerConnection;
  tracks: LocalTracks;
  createStream(tracks: MediaStreamTrack[]): MediaStream;
}

export const FILES_CHANNEL: RTCDataChannelInit & { label: string } = {
  label: 'files',
  negotiated: true,
  id: 0,
  ordered: true,
};

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

export class Peer {
  readonly remoteId: string;
  readonly polite: boolean;
  private readonly pc: RTCPeerConnection;
  private readonly events = new Emitter<PeerEvents>();
  private readonly tracks: LocalTracks;
  private readonly assembler: StreamAssembler;
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;
  /** Candidates that came before any remote description. */
  private pendingCandidates: RTCIceCandidateInit[] = [];
  /** Incoming signals are handled one at a time, in order. */
  private inbox: Promise<void> = Promise.resolve();
  private hasLayout = false;
  private channelValue: RTCDataChannel | null = null;
  private streamsQueued = false;
  private closed = false;

  constructor(options: PeerOptions) {
    this.remoteId = options.remoteId;
    this.polite = options.polite;
    this.pc = options.pc;
    this.tracks = { ...options.tracks };
    this.assembler = new StreamAssembler(options.createStream);
    const pc = this.pc;
    // Browsers fire it only in `stable`; the first offer is made without it (below).
    pc.onnegotiationneeded = () => {
      if (!this.makingOffer && pc.signalingState === 'stable') void this.offer();
    };
    // End-of-candidates (null) is not sent: trickle ICE does not need it.
    pc.onicecandidate = (e) => {
      if (e.candidate) this.events.emit('signal', { candidate: e.candidate.toJSON() });
    };
    // One `track` event per transceiver, all in one go: build the streams
    // once after them, so a tile gets one stream object, not three.
    pc.ontrack = () => {
      mark('peer-track');
      if (this.streamsQueued) return;
      this.streamsQueued = true;
      queueMicrotask(() => {
        this.streamsQueued = false;
        this.refreshStreams();
      });
    };
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'failed') this.restart();
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.restart();
      mark(`peer-${pc.connectionState}`);
      this.events.emit('state', pc.connectionState);
    };
    // The first offer starts now rather than at `negotiationneeded`: that
    // event is a task of its own, queued behind whatever the page does next
    // (the call screen drawing the newcomer's tile); the browser makes the
    // offer on its own thread meanwhile.
    if (!this.polite) {
      this.createLayout();
      void this.offer();
    }
  }

  on<K extends keyof PeerEvents>(event: K, listener: (value: PeerEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /** The connection's statistics, for the quality indicator (`quality.ts`). */
  stats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  get signalingState(): RTCSignalingState {
    return this.pc.signalingState;
  }

  /** The `files` data channel, once created. */
  get channel(): RTCDataChannel | null {
    return this.channelValue;
  }

  get remoteStreams(): RemoteStreams {
    return this.assembler.streams;
  }

  /** How loud the other side's microphone is now, 0..1. */
  audioLevel(): number {
    const t = this.transceiver('audio');
    return t ? receiverLevel(t.receiver) : 0;
  }

  /** Handles a `signal` from the other side. */
  receive(signal: PeerSignal): Promise<void> {
    this.inbox = this.inbox.then(() => this.handle(signal)).catch((err) => this.fail(err));
    return this.inbox;
  }

  /** Sends `track` for `role` from now on; never renegotiates. */
  async setTrack(role: TrackRole, track: MediaStreamTrack | null): Promise<void> {
    this.tracks[role] = track;
    const t = this.transceiver(role);
    if (!t || this.closed) return; // the polite side applies it when adopting
    try {
      await t.sender.replaceTrack(track);
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * New ICE servers (fresh TURN credentials): used by the next gathering (an
   * ICE restart); the candidates already found keep working.
   */
  setIceServers(iceServers: readonly IceServer[]): void {
    if (this.closed) return;
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: iceServers.map((s) => ({ ...s })) });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Starts an ICE restart: a new offer with new credentials. */
  restart(): void {
    if (!this.closed) this.pc.restartIce();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const pc = this.pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = null;
    pc.oniceconnectionstatechange = pc.onconnectionstatechange = null;
    this.channelValue?.close();
    pc.close();
    if (this.assembler.streams !== NO_STREAMS) this.events.emit('streams', NO_STREAMS);
    this.events.clear();
  }

  // ---- negotiation ----

  private async offer(): Promise<void> {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      mark('peer-offer-sent');
      this.sendDescription();
    } catch (err) {
      this.fail(err);
    } finally {
      this.makingOffer = false;
    }
  }

  private async handle({ description, candidate }: PeerSignal): Promise<void> {
    if (this.closed) return;
    if (description) {
      const pc = this.pc;
      const readyForOffer =
        !this.makingOffer && (pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.isSettingRemoteAnswerPending = description.type === 'answer';
      mark(`peer-${description.type}-received`);
      try {
        // On a collision this rolls our own offer back (we are polite).
        await pc.setRemoteDescription(description);
      } finally {
        this.isSettingRemoteAnswerPending = false;
      }
      await this.flushCandidates();
      if (description.type === 'offer') {
        if (!this.hasLayout) await this.adoptLayout();
        await pc.setLocalDescription();
        mark('peer-answer-sent');
        this.sendDescription();
      }
      return;
    }
    if (!candidate) return;
    if (!this.pc.remoteDescription) {
      // Early (the description is still on its way): keep it. Part of an
      // offer we ignored: drop it.
      if (!this.ignoreOffer) this.pendingCandidates.push(candidate);
      return;
    }
    await this.addCandidate(candidate);
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (err) {
      // Candidates of an offer we ignored cannot be added: expected.
      if (!this.ignoreOffer) this.fail(err);
    }
  }

  private async flushCandidates(): Promise<void> {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of pending) await this.addCandidate(c);
  }

  private sendDescription(): void {
    const d = this.pc.localDescription;
    if (d && !this.closed) this.events.emit('signal', { description: { type: d.type, sdp: d.sdp } });
  }

  // ---- layout ----

  /** The impolite side: three transceivers and the channel, before any offer. */
  private createLayout(): void {
    this.hasLayout = true;
    this.pc.addTransceiver(this.tracks.audio ?? 'audio', { direction: 'sendrecv' });
    this.pc.addTransceiver(this.tracks.camera ?? 'video', { direction: 'sendrecv' });
    this.pc.addTransceiver(this.tracks.screen ?? 'video', { direction: 'sendrecv' });
    this.openChannel();
  }

  /**
   * The polite side, inside the first offer: the transceivers the offer
   * created become ours (sending too); the channel is created now, when the
   * offer already has its m-line, so it asks for no negotiation of its own.
   */
  private async adoptLayout(): Promise<void> {
    this.hasLayout = true;
    const roles = ['audio', 'camera', 'screen'] as const;
    const adopt = roles.map((role) => {
      const t = this.transceiver(role);
      if (!t) return undefined;
      t.direction = 'sendrecv';
      return t.sender.replaceTrack(this.tracks[role]);
    });
    this.openChannel();
    await Promise.all(adopt);
  }

  private openChannel(): void {
    const { label, ...init } = FILES_CHANNEL;
    const channel = this.pc.createDataChannel(label, init);
    channel.binaryType = 'arraybuffer';
    this.channelValue = channel;
    this.events.emit('channel', channel);
  }

  /** The transceiver of `role`, by kind and m-line order (see the file's comment). */
  private transceiver(role: TrackRole): RTCRtpTransceiver | undefined {
    const kind = role === 'audio' ? 'audio' : 'video';
    const index = role === 'screen' ? 1 : 0;
    return this.pc.getTransceivers().filter((t) => t.receiver.track.kind === kind)[index];
  }

  // ---- remote media ----

  /** The camera stream (camera + mic) and the screen stream, once their tracks exist. */
  private refreshStreams(): void {
    if (this.closed) return;
    const track = (role: TrackRole) => this.transceiver(role)?.receiver.track;
    const changed = this.assembler.update(track('audio'), track('camera'), track('screen'));
    if (changed) this.events.emit('streams', changed);
  }

  private fail(err: unknown): void {
    if (!this.closed) this.events.emit('error', asError(err));
  }
}
