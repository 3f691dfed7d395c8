/**
 * SparePeer: one `RTCPeerConnection` made while the person is still on the
 * pre-join screen, handed to the call's first connection (the first mesh
 * peer, or the SFU link) when the call begins — work done before "Join now"
 * instead of after it (issue 21, `bench/full-join.mjs`).
 *
 * It is made with what may be known before joining: the page's certificate
 * (`CallEnv.warmUp`), the bundle and transport policies every connection of
 * the call uses, and the STUN servers `ice-servers` gives anyone. Only where
 * the join brings no other ICE servers: where it brings TURN credentials
 * (`relayOnJoin`: participants alone get them, docs/protocol.md) the spare
 * would need `setConfiguration`, and after that Chromium refuses the next
 * remote offer ("max-bundle configured but session description has no
 * BUNDLE group"; tests/e2e/reach.test.ts). So a spare is taken only as it
 * was made, and there is none on a server with a relay.
 * `iceCandidatePoolSize: 1` lets the browser gather candidates ahead, so the
 * first answer or offer has them at once.
 *
 * A spare nobody took is closed when the person leaves the pre-join screen
 * without joining, and when the call ends.
 */
import { mark } from '../marks';
import type { IceServer } from '../protocol';
import type { CallEnv } from './env';
import { callPeerConfig } from './peerConfig';

/** How many candidates' worth the spare gathers ahead (one transport: everything is bundled). */
export const SPARE_POOL_SIZE = 1;

export class SparePeer {
  private pc: RTCPeerConnection | null = null;
  /** What `pc` was made with. */
  private config: RTCConfiguration | null = null;

  constructor(private readonly create: (config: RTCConfiguration) => RTCPeerConnection) {}

  /** A spare is waiting to be taken. */
  get ready(): boolean {
    return this.pc !== null;
  }

  /** Makes the spare with `config`, unless there is one already. */
  prepare(config: RTCConfiguration): void {
    if (this.pc) return;
    try {
      this.pc = this.create({ ...config, iceCandidatePoolSize: SPARE_POOL_SIZE });
      this.config = config;
    } catch {
      // No spare: the call makes its connections as usual.
      this.pc = this.config = null;
    }
  }

  /**
   * The spare, when the call's connection is to be made with the very
   * configuration it was made with (ICE servers and policies; the
   * certificate is the page's one for both), or null (then it is closed):
   * it is never reconfigured (see the file's comment).
   */
  take(config: RTCConfiguration): RTCPeerConnection | null {
    const pc = this.pc;
    const made = this.config;
    this.pc = this.config = null;
    if (!pc || pc.signalingState === 'closed') return null;
    if (!made || !sameConnection(made, config)) {
      pc.close();
      return null;
    }
    return pc;
  }

  /** No call will take it: closed. */
  close(): void {
    this.pc?.close();
    this.pc = this.config = null;
  }
}

/**
 * Two configurations make the same connection: the same ICE servers (in
 * order) and policies, an unset policy being the browser's default.
 */
export function sameConnection(a: RTCConfiguration, b: RTCConfiguration): boolean {
  return (
    JSON.stringify(a.iceServers ?? []) === JSON.stringify(b.iceServers ?? []) &&
    (a.iceTransportPolicy ?? 'all') === (b.iceTransportPolicy ?? 'all') &&
    (a.bundlePolicy ?? 'balanced') === (b.bundlePolicy ?? 'balanced')
  );
}

export interface PrewarmOptions {
  env: Pick<CallEnv, 'warmUp' | 'createPeerConnection'>;
  /**
   * The server's ICE configuration before joining (`ice-servers`: STUN
   * alone), or null when the join brings others (a relay's credentials) or
   * the server did not say: then no spare is made.
   */
  iceServers(): Promise<readonly IceServer[] | null>;
  /** Still worth making the spare (not once the join is on its way). */
  mayPrepare(): boolean;
}

/**
 * What the call readies on the pre-join screen: WebRTC warmed up and the
 * page's certificate (`CallEnv.warmUp`), then the spare connection. Only
 * where the environment warms up at all (the browser; unit tests opt in).
 */
export class CallPrewarm {
  private certificateValue: RTCCertificate | null = null;
  private warming: Promise<void> | null = null;
  private readonly spare: SparePeer;
  /** Between `start` and `stop`: a spare made now is still wanted. */
  private on = false;

  constructor(private readonly options: PrewarmOptions) {
    this.spare = new SparePeer((config) => options.env.createPeerConnection(config));
  }

  /** The certificate for every connection of the call, once made. */
  get certificate(): RTCCertificate | null {
    return this.certificateValue;
  }

  /** A spare connection is waiting. */
  get spareReady(): boolean {
    return this.spare.ready;
  }

  /**
   * WebRTC started and the certificate made, once per page: the home page
   * does it when idle, so even a quick "Join" → "Join now" finds it done.
   * Resolves when done (at once where the environment does not warm up).
   */
  warm(): Promise<void> {
    const warmUp = this.options.env.warmUp;
    if (!warmUp) return Promise.resolve();
    this.warming ??= warmUp().then((cert) => {
      this.certificateValue = cert;
      mark('warm-done');
    });
    return this.warming;
  }

  /** The pre-join (or lobby) screen opened: warmed up, then the spare made. */
  start(): void {
    this.on = true;
    if (!this.options.env.warmUp) return;
    void this.warm();
    void this.prepareSpare();
  }

  /** Left without joining, or the call ended: the spare is closed. */
  stop(): void {
    this.on = false;
    this.spare.close();
  }

  /** For the call's connections: the spare first, then new ones. */
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection {
    return this.spare.take(config) ?? this.options.env.createPeerConnection(config);
  }

  private async prepareSpare(): Promise<void> {
    const [iceServers] = await Promise.all([this.options.iceServers(), this.warming]);
    if (!iceServers || !this.on || !this.options.mayPrepare()) return;
    this.spare.prepare(callPeerConfig(iceServers, this.certificateValue));
    mark('spare-ready');
  }
}
