/**
 * SfuLink: this browser's one connection to moim's SFU, for rooms whose mode
 * is `sfu` (docs/sfu.md). Everything we send goes up once; everyone else's
 * tracks come down on the same connection.
 *
 * Fixed publishing layout, like a mesh peer's: three `sendonly` transceivers
 * made before the first offer — microphone, camera, screen (mids 0, 1, 2) —
 * so mute, camera and screen changes are `replaceTrack` and the browser never
 * renegotiates. The camera is sent as three simulcast layers (`simulcast.ts`)
 * the SFU chooses from per receiver; microphone and screen as one stream
 * each (a shared screen is read at its full size or not at all, see
 * docs/sfu.md). Its one offer (`sfu-offer`) joins; from then on the server
 * offers (the `sfu-offer` event) whenever someone's tracks come or go, and
 * this side answers (`sfu-answer`). All negotiation steps run one after
 * another, so a server offer that overtakes the answer to ours waits.
 *
 * Joining late, the first offer also carries one `recvonly` line per track
 * the others publish (as many as `receiving()` expects): the server answers
 * them with those tracks, so joining takes one negotiation, not two
 * (`join_lines.rs` in moim-sfu). Whose track is which comes from the server's
 * offers and that answer (`sfuSdp.ts`); tracks are grouped per participant
 * into the same `RemoteStreams` a mesh peer gives.
 * The server is ICE-lite and tells its address in its answer: no candidates
 * are trickled, and no STUN or TURN server is needed.
 *
 * `ready` tells when the media is set up (connected, no negotiation
 * waiting), so the call can hold back lesser work — the file mesh — until
 * then instead of competing with it for the browser's WebRTC thread.
 */
import { Emitter } from '../emitter';
import type { IceServer } from '../protocol';
import { callPeerConfig } from './peerConfig';
import { receiverLevel } from './level';
import type { LocalTracks, TrackRole } from './local';
import { NO_STREAMS, StreamAssembler, type RemoteStreams } from './streams';
import { iceUfrag, trackLabels, type TrackLabel } from './sfuSdp';
import { cameraEncodings } from './simulcast';

/** The two requests of the SFU's signaling, as the call makes them. */
export interface SfuSignaling {
  /** Sends our offer; resolves with the server's answer. */
  offer(sdp: string): Promise<string>;
  /** Sends our answer to a server offer. */
  answer(sdp: string): Promise<void>;
}

export interface SfuLinkOptions {
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  createStream(tracks: MediaStreamTrack[]): MediaStream;
  signaling: SfuSignaling;
  /** What to send when the connection is made. */
  tracks(): LocalTracks;
  /**
   * How many audio and video tracks the others publish on the SFU now, as
   * far as this side knows: that many receive lines go into the first offer.
   * None (the default) when nobody publishes there yet.
   */
  receiving?(): { audio: number; video: number };
  certificate?(): RTCCertificate | null;
  /**
   * The participant's ICE servers, TURN with their credentials (none by
   * default): see `callPeerConfig`.
   */
  iceServers?(): readonly IceServer[];
  /** How long to wait before reconnecting after a failure, in ms. */
  retryMs?: number;
}

export interface SfuLinkEvents {
  /** A participant's streams appeared or changed; `NO_STREAMS` when they went. */
  streams: { id: string; streams: RemoteStreams };
  state: RTCPeerConnectionState;
  /** Connected with every negotiation so far done; once per connection. */
  ready: void;
  /** The media path to the SFU was lost (true) or is back (false); see `interrupted`. */
  interrupted: boolean;
  error: Error;
}

const ROLES: readonly TrackRole[] = ['audio', 'camera', 'screen'];

/**
 * At most this many receive lines in the first offer: each is up to ~1 KB of
 * SDP, and an offer may be 64 KiB. Tracks beyond come in the server's offer.
 */
export const MAX_RECEIVE_LINES = 32;

/** The one codec the SFU forwards of each kind. */
const SFU_CODEC = { audio: 'audio/opus', video: 'video/vp8' } as const;

/**
 * Offers only what the SFU forwards (Opus, VP8 and its retransmissions) on a
 * receive line: Chromium's full list is some 25 payload types per video line,
 * all of it SDP for both sides to write and read. Where the browser cannot
 * say its codecs, the line keeps them all: the server picks its own.
 */
function preferSfuCodecs(transceiver: RTCRtpTransceiver, kind: 'audio' | 'video'): void {
  const codecs = globalThis.RTCRtpReceiver?.getCapabilities?.(kind)?.codecs ?? [];
  const wanted = codecs.filter((c) => [SFU_CODEC[kind], 'video/rtx'].includes(c.mimeType.toLowerCase()));
  if (!wanted.some((c) => c.mimeType.toLowerCase() === SFU_CODEC[kind])) return;
  try {
    transceiver.setCodecPreferences(wanted);
  } catch {
    // Refused: the line offers every codec, and still works.
  }
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

export class SfuLink {
  private readonly events = new Emitter<SfuLinkEvents>();
  private pc: RTCPeerConnection | null = null;
  private readonly tracks: LocalTracks = { audio: null, camera: null, screen: null };
  private senders = new Map<TrackRole, RTCRtpSender>();
  /** Receiving mid → whose track, as the last server offer said. */
  private labels = new Map<string, TrackLabel>();
  private readonly assemblers = new Map<string, StreamAssembler>();
  /**
   * This connection's negotiation steps, one after another. Each connection
   * starts a chain of its own: a step of a closed connection may never end
   * (Chromium abandons the operations of a closed `RTCPeerConnection`: their
   * promises never settle), and nothing of the next connection may wait
   * behind it.
   */
  private chain: Promise<void> = Promise.resolve();
  /** Steps of this connection queued and not finished yet. */
  private steps = 0;
  private readyValue = false;
  /** Bumped by every (re)start and close: work of an older connection stops. */
  private epoch = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private owner: string | null = null;
  private interruptedValue = false;

  constructor(private readonly options: SfuLinkOptions) {}

  on<K extends keyof SfuLinkEvents>(event: K, listener: (value: SfuLinkEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Connected (or connecting) as this participant id. */
  get participant(): string | null {
    return this.owner;
  }

  get connectionState(): RTCPeerConnectionState | 'closed' {
    return this.pc?.connectionState ?? 'closed';
  }

  /** The connection is up and no negotiation is waiting (see `ready`). */
  get ready(): boolean {
    return this.readyValue;
  }

  /**
   * The media path to the SFU is gone: the connection went `disconnected` or
   * `failed` (the server stopped answering ICE consent checks) and no
   * connection since has come back up. It stays set across the reconnects in
   * between, so the UI can say "reconnecting" instead of showing frozen or
   * black tiles with no word, as it does for a lost signaling connection.
   */
  get interrupted(): boolean {
    return this.interruptedValue;
  }

  /** Participants we receive something from. */
  ids(): string[] {
    return [...this.assemblers.keys()];
  }

  streamsOf(id: string): RemoteStreams {
    return this.assemblers.get(id)?.streams ?? NO_STREAMS;
  }

  /** The link's statistics (null when closed), for `quality.ts`. */
  async stats(): Promise<RTCStatsReport | null> {
    return this.pc ? this.pc.getStats() : null;
  }

  /**
   * Which inbound-rtp entries of `stats()` carry `id`'s media: by the mid
   * the server's offer labelled theirs, or by their receiving track's id
   * (for a browser whose stats do not name the mid).
   */
  statsPicker(id: string): (s: { [key: string]: unknown }) => boolean {
    const mids = new Set<string>();
    const trackIds = new Set<string>();
    for (const t of this.pc?.getTransceivers() ?? []) {
      const label = t.mid === null ? undefined : this.labels.get(t.mid);
      if (label?.participant !== id || t.mid === null) continue;
      mids.add(t.mid);
      trackIds.add(t.receiver.track.id);
    }
    return (s) => (typeof s.mid === 'string' && mids.has(s.mid)) || (typeof s.trackIdentifier === 'string' && trackIds.has(s.trackIdentifier));
  }

  /** How loud `id`'s microphone is now, 0..1. */
  audioLevel(id: string): number {
    const t = this.transceiverOf(id, 'audio');
    return t ? receiverLevel(t.receiver) : 0;
  }

  /** Connects as participant `me`; a different id (a rejoin) reconnects. */
  open(me: string): void {
    if (this.owner === me && this.pc) return;
    this.owner = me;
    this.connect();
  }

  /**
   * The server says this connection's SFU session is gone for good (its
   * meeting moved to another node, or that node died): a new connection now,
   * not once ICE gives up on the old one some seconds later.
   */
  reconnect(): void {
    if (this.owner === null || !this.pc) return;
    this.setInterrupted(true);
    this.connect();
  }

  /** Sends `track` for `role` from now on; never renegotiates. */
  setTrack(role: TrackRole, track: MediaStreamTrack | null): void {
    this.tracks[role] = track;
    const sender = this.senders.get(role);
    if (sender) sender.replaceTrack(track).catch((err: unknown) => this.fail(err));
  }

  /** Leaves the SFU: the connection closed, every remote stream gone. */
  close(): void {
    this.owner = null;
    this.teardown();
    this.setInterrupted(false);
  }

  private setInterrupted(value: boolean): void {
    if (value === this.interruptedValue) return;
    this.interruptedValue = value;
    this.events.emit('interrupted', value);
  }

  // ---- connection ----

  private connect(): void {
    this.teardown();
    const epoch = this.epoch;
    const pc = this.options.createPeerConnection({
      ...callPeerConfig(this.options.iceServers?.() ?? [], this.options.certificate?.() ?? null),
      rtcpMuxPolicy: 'require',
    });
    this.pc = pc;
    Object.assign(this.tracks, this.options.tracks());
    for (const role of ROLES) {
      const t = pc.addTransceiver(this.tracks[role] ?? (role === 'audio' ? 'audio' : 'video'), {
        direction: 'sendonly',
        ...(role === 'camera' ? { sendEncodings: cameraEncodings() } : {}),
      });
      this.senders.set(role, t.sender);
    }
    const expected = this.options.receiving?.() ?? { audio: 0, video: 0 };
    let left = MAX_RECEIVE_LINES;
    for (const kind of ['audio', 'video'] as const) {
      const lines = Math.min(Math.max(0, Math.floor(expected[kind])), left);
      left -= lines;
      for (let i = 0; i < lines; i++) preferSfuCodecs(pc.addTransceiver(kind, { direction: 'recvonly' }), kind);
    }
    pc.ontrack = () => this.queue(epoch, async () => this.refreshStreams());
    pc.onconnectionstatechange = () => {
      if (epoch !== this.epoch) return;
      this.events.emit('state', pc.connectionState);
      if (pc.connectionState === 'disconnected' || pc.connectionState === 'failed') this.setInterrupted(true);
      else if (pc.connectionState === 'connected') this.setInterrupted(false);
      if (pc.connectionState === 'failed') this.scheduleRetry();
      this.checkReady(epoch);
    };
    this.queue(epoch, async () => {
      await pc.setLocalDescription(await pc.createOffer());
      const sdp = pc.localDescription?.sdp ?? '';
      const answer = await this.options.signaling.offer(sdp);
      if (epoch !== this.epoch) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      // The receive lines the server gave someone's track.
      this.labels = trackLabels(answer);
      this.refreshStreams();
    });
  }

  /** A server offer (the `sfu-offer` event). */
  deliver(sdp: string): void {
    const epoch = this.epoch;
    if (!this.pc) return;
    const pc = this.pc;
    this.queue(epoch, async () => {
      // An offer of the SFU session this connection replaced (it was on its
      // way when we reconnected) has the old session's ICE credentials: taken
      // for an ICE restart, its answer would be refused and cost a reconnect.
      const session = iceUfrag(pc.remoteDescription?.sdp ?? '');
      if (session !== null && iceUfrag(sdp) !== session) return;
      await pc.setRemoteDescription({ type: 'offer', sdp });
      this.labels = trackLabels(sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      await this.options.signaling.answer(pc.localDescription?.sdp ?? '');
      if (epoch !== this.epoch) return;
      this.refreshStreams();
    });
  }

  private queue(epoch: number, step: () => Promise<void>): void {
    this.steps++;
    this.chain = this.chain.then(async () => {
      try {
        if (epoch !== this.epoch) return;
        await step();
      } catch (err) {
        if (epoch !== this.epoch) return;
        this.fail(err);
        this.scheduleRetry();
      } finally {
        if (epoch === this.epoch) this.steps--;
        this.checkReady(epoch);
      }
    });
  }

  private checkReady(epoch: number): void {
    if (epoch !== this.epoch || this.readyValue || this.steps > 0) return;
    if (this.pc?.connectionState !== 'connected') return;
    this.readyValue = true;
    this.events.emit('ready', undefined);
  }

  private scheduleRetry(): void {
    if (this.retry !== null || this.owner === null) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.owner !== null) this.connect();
    }, this.options.retryMs ?? 1000);
  }

  private teardown(): void {
    this.epoch++;
    this.chain = Promise.resolve();
    this.steps = 0;
    this.readyValue = false;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const pc = this.pc;
    this.pc = null;
    this.senders = new Map();
    this.labels = new Map();
    if (pc) {
      pc.ontrack = pc.onconnectionstatechange = null;
      pc.close();
    }
    for (const id of [...this.assemblers.keys()]) {
      this.assemblers.delete(id);
      this.events.emit('streams', { id, streams: NO_STREAMS });
    }
  }

  // ---- remote media ----

  private transceiverOf(id: string, role: TrackRole): RTCRtpTransceiver | undefined {
    for (const t of this.pc?.getTransceivers() ?? []) {
      const label = t.mid === null ? undefined : this.labels.get(t.mid);
      if (label?.participant === id && label.role === role && t.currentDirection !== 'stopped') return t;
    }
    return undefined;
  }

  /** Groups the receiving tracks by participant; emits what changed. */
  private refreshStreams(): void {
    const present = new Set<string>();
    for (const label of this.labels.values()) present.add(label.participant);
    for (const id of present) {
      let assembler = this.assemblers.get(id);
      if (!assembler) {
        assembler = new StreamAssembler(this.options.createStream);
        this.assemblers.set(id, assembler);
      }
      const track = (role: TrackRole) => this.transceiverOf(id, role)?.receiver.track;
      const changed = assembler.update(track('audio'), track('camera'), track('screen'));
      if (changed) this.events.emit('streams', { id, streams: changed });
    }
    for (const id of [...this.assemblers.keys()]) {
      if (present.has(id)) continue;
      this.assemblers.delete(id);
      this.events.emit('streams', { id, streams: NO_STREAMS });
    }
  }

  private fail(err: unknown): void {
    this.events.emit('error', asError(err));
  }
}
