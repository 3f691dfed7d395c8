/**
 * Mesh: one `Peer` per other participant, kept in step with the room.
 *
 * `sync` is given the room as the session last saw it: peers of people who
 * left are closed at once (their tiles go with them), newcomers get a peer.
 * When our own id changes (a rejoin after a reconnect: the server knows us
 * under a new id, and after a server restart everyone else too), every peer
 * is closed and made again, because the other side does the same.
 *
 * A `signal` can arrive from someone the session does not list yet (their
 * join and our view of it race); it is kept, a little while and a little of
 * it, and replayed when their peer is made.
 */
import { Emitter } from '../emitter';
import type { IceServer, Participant } from '../protocol';
import type { CallEnv } from './env';
import type { LocalTracks, TrackRole } from './local';
import { Peer, type PeerSignal } from './peer';
import type { RemoteStreams } from './streams';
import { callPeerConfig } from './peerConfig';
import { mark } from '../marks';

export interface MeshOptions {
  env: Pick<CallEnv, 'createPeerConnection' | 'createStream'>;
  /** Delivers a signal to participant `to` (through the server). */
  send(to: string, signal: PeerSignal): void;
  /** What to send to a new peer. */
  tracks(): LocalTracks;
  /** A certificate made in advance (`CallEnv.warmUp`), if any. */
  certificate?(): RTCCertificate | null;
}

export interface MeshEvents {
  added: Peer;
  removed: string;
  streams: { id: string; streams: RemoteStreams };
}

/** What the mesh needs of a participant: who, and when they joined. */
export type Ordered = Pick<Participant, 'id' | 'joined'>;

/** Signals kept for participants not known yet: this many senders, this many each. */
const EARLY_SENDERS = 16;
const EARLY_PER_SENDER = 64;

export class Mesh {
  private readonly events = new Emitter<MeshEvents>();
  private readonly peers = new Map<string, Peer>();
  private readonly early = new Map<string, PeerSignal[]>();
  private myId: string | null = null;
  private myJoined = 0;
  /** The ICE servers the peers were last given. */
  private iceServers: readonly IceServer[] = [];

  constructor(private readonly options: MeshOptions) {}

  on<K extends keyof MeshEvents>(event: K, listener: (value: MeshEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get(id: string): Peer | undefined {
    return this.peers.get(id);
  }

  get size(): number {
    return this.peers.size;
  }

  ids(): string[] {
    return [...this.peers.keys()];
  }

  /** Makes the peers match the room: `me` is us, `others` everyone else. */
  sync(me: Ordered, others: readonly Ordered[], iceServers: readonly IceServer[]): void {
    if (me.id !== this.myId) {
      this.closePeers();
      this.myId = me.id;
      this.myJoined = me.joined;
    }
    const wanted = new Set(others.map((p) => p.id));
    for (const id of [...this.peers.keys()]) if (!wanted.has(id)) this.remove(id);
    // Fresh TURN credentials (they live minutes): for the peers' next ICE restart.
    if (iceServers !== this.iceServers) {
      this.iceServers = iceServers;
      for (const peer of this.peers.values()) peer.setIceServers(iceServers);
    }
    for (const p of others) if (!this.peers.has(p.id) && p.id !== me.id) this.add(p, iceServers);
  }

  /** A `signal` from participant `from`. */
  deliver(from: string, signal: PeerSignal): void {
    const peer = this.peers.get(from);
    if (peer) {
      void peer.receive(signal);
      return;
    }
    let kept = this.early.get(from);
    if (!kept) {
      if (this.early.size >= EARLY_SENDERS) {
        const oldest = this.early.keys().next().value;
        if (oldest !== undefined) this.early.delete(oldest);
      }
      this.early.set(from, (kept = []));
    }
    if (kept.length < EARLY_PER_SENDER) kept.push(signal);
  }

  /** Sends `track` for `role` to everyone (no renegotiation). */
  setTrack(role: TrackRole, track: MediaStreamTrack | null): void {
    for (const peer of this.peers.values()) void peer.setTrack(role, track);
  }

  /** Leaving the room: every peer closed, nothing kept. */
  close(): void {
    this.closePeers();
    this.early.clear();
    this.myId = null;
  }

  private closePeers(): void {
    for (const id of [...this.peers.keys()]) this.remove(id);
  }

  private add({ id, joined }: Ordered, iceServers: readonly IceServer[]): void {
    const { env, send, tracks } = this.options;
    mark('peer-create');
    const pc = env.createPeerConnection(callPeerConfig(iceServers, this.options.certificate?.() ?? null));
    // Who was in the room first offers at once: they hear of the newcomer
    // before the newcomer's join is even answered (docs/protocol.md).
    const polite = this.myJoined > joined;
    const peer = new Peer({ remoteId: id, polite, pc, tracks: tracks(), createStream: env.createStream });
    this.peers.set(id, peer);
    peer.on('signal', (signal) => send(id, signal));
    peer.on('streams', (streams) => this.events.emit('streams', { id, streams }));
    this.events.emit('added', peer);
    const kept = this.early.get(id);
    this.early.delete(id);
    for (const signal of kept ?? []) void peer.receive(signal);
  }

  private remove(id: string): void {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.close();
    this.events.emit('removed', id);
  }
}
