/**
 * Connection quality, from `RTCPeerConnection.getStats()`.
 *
 * Two readings are made from the same reports:
 * - **per remote person** (`inboundSample` → `inboundQuality`): how well their
 *   media reaches us — packet loss, round-trip time and the frame rate we
 *   decode — boiled down to a level (good / fair / poor) for the tile's bars;
 * - **our own link** (`ownSample` → `ownLink`): what we send — bitrate,
 *   round-trip time, the loss the other side reports, frame rate, resolution
 *   and whether it goes through a relay (TURN) or directly — for the stats panel.
 *
 * Counters in the reports are totals since the connection started, so a
 * level is computed from the difference between two samples (what happened
 * in the last ~2 s, not an average over the whole call). Before a second
 * sample exists the totals are used, so the indicator shows at once.
 *
 * In a mesh each person has their own connection, so all of its inbound-rtp
 * streams are theirs. Through the SFU everyone comes down one connection:
 * the caller picks a person's inbound-rtp streams by `mid` (the server's
 * offer says whose track each mid carries) or by track id.
 *
 * Pure functions over plain objects, so the tests feed recorded-shaped
 * stats; `QualityMonitor` only adds the polling.
 */
import { Emitter } from '../emitter';

/** One entry of an `RTCStatsReport`, as far as this module reads it. */
export interface StatLike {
  type: string;
  id: string;
  timestamp: number;
  [key: string]: unknown;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/** The entries of a report (an `RTCStatsReport` is a read-only Map). */
export function statsList(report: { forEach(cb: (value: unknown) => void): void }): StatLike[] {
  const out: StatLike[] = [];
  report.forEach((value) => out.push(value as StatLike));
  return out;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The candidate pair media flows over: the one the transport names, else a
 * nominated succeeded pair (Firefox has no `transport` entry).
 */
export function selectedPair(stats: readonly StatLike[]): StatLike | null {
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const s of stats) {
    if (s.type !== 'transport' || typeof s.selectedCandidatePairId !== 'string') continue;
    const pair = byId.get(s.selectedCandidatePairId);
    if (pair) return pair;
  }
  return stats.find((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated === true || s.selected === true)) ?? null;
}

/** Round-trip time to the other end of the connection, in ms. */
function pairRttMs(stats: readonly StatLike[]): number | null {
  const rtt = num(selectedPair(stats)?.currentRoundTripTime);
  return rtt === null ? null : rtt * 1000;
}

/** `relay` when our side of the pair is a TURN candidate, else `direct`. */
export function candidateKind(stats: readonly StatLike[]): 'relay' | 'direct' | null {
  const pair = selectedPair(stats);
  if (!pair) return null;
  const local = stats.find((s) => s.id === pair.localCandidateId);
  if (!local) return null;
  return local.candidateType === 'relay' ? 'relay' : 'direct';
}

// ---- remote people ----

/** Totals of what we received from one person at one moment. */
export interface InboundSample {
  /** ms, from the reports' clock. */
  at: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  /** The decoder's own frame rate, when the browser reports it. */
  fps: number | null;
  rttMs: number | null;
  /** A video stream is among them (no frame rate is expected of audio alone). */
  video: boolean;
}

export interface Quality {
  level: QualityLevel;
  /** Packets lost in the interval, percent of those expected. */
  lossPct: number;
  rttMs: number | null;
  /** Frames per second of their camera as decoded here; null without video. */
  fps: number | null;
}

/**
 * Sums the inbound-rtp streams `pick` accepts (all by default) of one
 * connection's report; null when there is none (nothing received yet).
 */
export function inboundSample(stats: readonly StatLike[], pick: (s: StatLike) => boolean = () => true): InboundSample | null {
  const inbound = stats.filter((s) => s.type === 'inbound-rtp' && pick(s));
  if (inbound.length === 0) return null;
  const sample: InboundSample = {
    at: 0,
    packetsReceived: 0,
    packetsLost: 0,
    framesDecoded: 0,
    fps: null,
    rttMs: pairRttMs(stats),
    video: false,
  };
  for (const s of inbound) {
    sample.at = Math.max(sample.at, s.timestamp);
    sample.packetsReceived += num(s.packetsReceived) ?? 0;
    sample.packetsLost += Math.max(0, num(s.packetsLost) ?? 0);
    if (s.kind !== 'video') continue;
    sample.video = true;
    sample.framesDecoded += num(s.framesDecoded) ?? 0;
    const fps = num(s.framesPerSecond);
    if (fps !== null) sample.fps = Math.max(sample.fps ?? 0, fps);
  }
  return sample;
}

/** Thresholds, after what calls commonly count as noticeable (loss) and annoying (delay). */
export const LIMITS = {
  fair: { lossPct: 2, rttMs: 300, fps: 12 },
  poor: { lossPct: 8, rttMs: 600, fps: 5 },
} as const;

/**
 * The level for these numbers. A frame rate of 0 is not counted against the
 * link: their camera may be off or their tile hidden (the SFU then sends
 * nothing), which says nothing about the connection.
 */
export function levelOf(lossPct: number, rttMs: number | null, fps: number | null): QualityLevel {
  const slow = (limit: number) => fps !== null && fps > 0 && fps < limit;
  const rtt = rttMs ?? 0;
  if (lossPct >= LIMITS.poor.lossPct || rtt >= LIMITS.poor.rttMs || slow(LIMITS.poor.fps)) return 'poor';
  if (lossPct >= LIMITS.fair.lossPct || rtt >= LIMITS.fair.rttMs || slow(LIMITS.fair.fps)) return 'fair';
  return 'good';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Quality over the interval between two samples (or since the start, without `prev`). */
export function inboundQuality(prev: InboundSample | null, cur: InboundSample): Quality {
  // A counter that went backwards is a new connection: count from its start.
  const base = prev && prev.at < cur.at && prev.packetsReceived <= cur.packetsReceived ? prev : null;
  const received = cur.packetsReceived - (base?.packetsReceived ?? 0);
  const lost = Math.max(0, cur.packetsLost - (base?.packetsLost ?? 0));
  const lossPct = received + lost > 0 ? round1((100 * lost) / (received + lost)) : 0;
  let fps: number | null = null;
  if (cur.video) {
    fps = base ? round1(((cur.framesDecoded - base.framesDecoded) * 1000) / (cur.at - base.at)) : (cur.fps ?? null);
    if (fps !== null) fps = Math.max(0, fps);
  }
  const rttMs = cur.rttMs === null ? null : Math.round(cur.rttMs);
  return { level: levelOf(lossPct, rttMs, fps), lossPct, rttMs, fps };
}

// ---- our own link ----

/** Totals of what we send, over all our connections, at one moment. */
export interface OwnSample {
  at: number;
  bytesSent: number;
  /** Packets we sent and the other ends report lost (remote-inbound-rtp). */
  packetsSent: number;
  packetsLost: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  rttMs: number | null;
  candidate: 'relay' | 'direct' | null;
}

export interface OwnLink {
  /** Upload, kbit/s. */
  bitrateKbps: number;
  rttMs: number | null;
  lossPct: number;
  fps: number | null;
  width: number | null;
  height: number | null;
  candidate: 'relay' | 'direct' | null;
  level: QualityLevel;
}

/**
 * Sums what we send over `reports` (one per connection: the SFU link, or
 * every mesh peer). Resolution and frame rate are the camera's largest
 * encoding (the top simulcast layer); the round-trip time is the worst
 * connection's, since that is the one people notice.
 */
export function ownSample(reports: ReadonlyArray<readonly StatLike[]>): OwnSample | null {
  let sample: OwnSample | null = null;
  for (const stats of reports) {
    const s: OwnSample = sample ?? {
      at: 0,
      bytesSent: 0,
      packetsSent: 0,
      packetsLost: 0,
      fps: null,
      width: null,
      height: null,
      rttMs: null,
      candidate: null,
    };
    sample = s;
    let outbound = false;
    for (const e of stats) {
      if (e.type === 'outbound-rtp') {
        outbound = true;
        s.at = Math.max(s.at, e.timestamp);
        s.bytesSent += num(e.bytesSent) ?? 0;
        s.packetsSent += num(e.packetsSent) ?? 0;
        const height = num(e.frameHeight);
        if (e.kind === 'video' && height !== null && height >= (s.height ?? 0)) {
          s.height = height;
          s.width = num(e.frameWidth);
          s.fps = num(e.framesPerSecond) ?? s.fps;
        }
      } else if (e.type === 'remote-inbound-rtp') {
        s.packetsLost += Math.max(0, num(e.packetsLost) ?? 0);
      }
    }
    if (!outbound) continue;
    const rtt = pairRttMs(stats);
    if (rtt !== null) s.rttMs = Math.max(s.rttMs ?? 0, rtt);
    const kind = candidateKind(stats);
    if (kind === 'relay' || s.candidate === null) s.candidate = kind;
  }
  return sample && sample.at > 0 ? sample : null;
}

/** Our link over the interval between two samples (rates need two). */
export function ownLink(prev: OwnSample | null, cur: OwnSample): OwnLink {
  const base = prev && prev.at < cur.at && prev.bytesSent <= cur.bytesSent ? prev : null;
  const seconds = base ? (cur.at - base.at) / 1000 : 0;
  const bitrateKbps = base && seconds > 0 ? Math.round(((cur.bytesSent - base.bytesSent) * 8) / 1000 / seconds) : 0;
  const sent = cur.packetsSent - (base?.packetsSent ?? 0);
  const lost = Math.max(0, cur.packetsLost - (base?.packetsLost ?? 0));
  const lossPct = sent > 0 ? round1((100 * Math.min(lost, sent)) / sent) : 0;
  const rttMs = cur.rttMs === null ? null : Math.round(cur.rttMs);
  return {
    bitrateKbps,
    rttMs,
    lossPct,
    fps: cur.fps,
    width: cur.width,
    height: cur.height,
    candidate: cur.candidate,
    level: levelOf(lossPct, rttMs, cur.fps),
  };
}

// ---- polling ----

/** One reading of every connection: per remote person, and our own link. */
export interface QualityReading {
  remote: ReadonlyMap<string, InboundSample>;
  own: OwnSample | null;
}

export interface QualitySnapshot {
  /** By participant id. */
  remote: ReadonlyMap<string, Quality>;
  own: OwnLink | null;
}

export const NO_QUALITY: QualitySnapshot = { remote: new Map(), own: null };

/**
 * Reads the stats every `intervalMs` while someone looks (`start` / `stop`;
 * the UI stops it when the page is hidden, the call stops it on leaving) and
 * keeps the last sample of each person to compute the next level from.
 */
export class QualityMonitor {
  private readonly events = new Emitter<{ change: QualitySnapshot }>();
  private snap: QualitySnapshot = NO_QUALITY;
  private prevRemote = new Map<string, InboundSample>();
  private prevOwn: OwnSample | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private reading = false;

  constructor(
    private readonly read: () => Promise<QualityReading | null>,
    private readonly intervalMs = 2000,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  getSnapshot = (): QualitySnapshot => this.snap;

  subscribe = (listener: () => void): (() => void) => this.events.on('change', () => listener());

  /** Reads now and then every interval; a second call does nothing. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    void this.poll();
  }

  /** Stops polling; `clear` also forgets what was measured (leaving the call). */
  stop(clear = false): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (!clear) return;
    this.prevRemote = new Map();
    this.prevOwn = null;
    this.set(NO_QUALITY);
  }

  /** One reading (while started); public so a test can wait for it. */
  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const reading = await this.read();
      // Stopped while reading: nothing to show any more.
      if (!reading || this.timer === null) return;
      const remote = new Map<string, Quality>();
      for (const [id, sample] of reading.remote) remote.set(id, inboundQuality(this.prevRemote.get(id) ?? null, sample));
      this.prevRemote = new Map(reading.remote);
      const own = reading.own ? ownLink(this.prevOwn, reading.own) : null;
      this.prevOwn = reading.own;
      this.set({ remote, own });
    } catch {
      // A connection closed while being read: the next reading will do.
    } finally {
      this.reading = false;
    }
  }

  private set(snap: QualitySnapshot): void {
    this.snap = snap;
    this.events.emit('change', snap);
  }
}
