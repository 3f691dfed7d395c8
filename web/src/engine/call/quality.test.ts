import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCallQuality } from './callQuality';
import {
  candidateKind,
  inboundQuality,
  inboundSample,
  levelOf,
  ownLink,
  ownSample,
  QualityMonitor,
  statsList,
  type QualityReading,
  type StatLike,
} from './quality';

/**
 * Shaped like Chromium's `getStats()` entries (trimmed to the fields read):
 * a selected candidate pair via the transport, one audio and one video
 * inbound-rtp per person.
 */
function pair(rtt: number, localType = 'host'): StatLike[] {
  return [
    { type: 'transport', id: 'T01', timestamp: 0, selectedCandidatePairId: 'CP1' },
    { type: 'candidate-pair', id: 'CP1', timestamp: 0, state: 'succeeded', nominated: true, currentRoundTripTime: rtt, localCandidateId: 'IL1', remoteCandidateId: 'IR1' },
    { type: 'candidate-pair', id: 'CP2', timestamp: 0, state: 'failed', nominated: false, currentRoundTripTime: 9, localCandidateId: 'IL2' },
    { type: 'local-candidate', id: 'IL1', timestamp: 0, candidateType: localType, protocol: 'udp' },
    { type: 'local-candidate', id: 'IL2', timestamp: 0, candidateType: 'relay' },
  ];
}

function inbound(at: number, mid: string, kind: 'audio' | 'video', received: number, lost: number, frames = 0): StatLike {
  return {
    type: 'inbound-rtp',
    id: `IT01${kind[0]}${mid}`,
    timestamp: at,
    kind,
    mid,
    trackIdentifier: `track-${mid}`,
    packetsReceived: received,
    packetsLost: lost,
    ...(kind === 'video' ? { framesDecoded: frames, framesPerSecond: 30 } : {}),
  };
}

describe('remote quality', () => {
  it('is good on a clean link, from the totals before a second sample', () => {
    const s = inboundSample([...pair(0.04), inbound(1000, '0', 'audio', 100, 0), inbound(1000, '1', 'video', 300, 0, 30)]);
    expect(s).not.toBeNull();
    expect(inboundQuality(null, s!)).toEqual({ level: 'good', lossPct: 0, rttMs: 40, fps: 30 });
  });

  it('takes loss and frame rate from the difference between two samples', () => {
    const a = inboundSample([...pair(0.05), inbound(1000, '0', 'audio', 1000, 0), inbound(1000, '1', 'video', 3000, 0, 300)])!;
    // 2 s later: 190 + 10 lost out of 200 (5 %), 30 frames in 2 s (15 fps).
    const b = inboundSample([...pair(0.05), inbound(3000, '0', 'audio', 1095, 5), inbound(3000, '1', 'video', 3095, 5, 330)])!;
    expect(inboundQuality(a, b)).toEqual({ level: 'fair', lossPct: 5, rttMs: 50, fps: 15 });
  });

  it('is poor with heavy loss or a long round trip, whatever else', () => {
    const a = inboundSample([...pair(0.05), inbound(0, '0', 'audio', 0, 0)])!;
    const lossy = inboundSample([...pair(0.05), inbound(2000, '0', 'audio', 80, 20)])!;
    expect(inboundQuality(a, lossy).level).toBe('poor');
    const far = inboundSample([...pair(0.9), inbound(2000, '0', 'audio', 100, 0)])!;
    expect(inboundQuality(a, far)).toMatchObject({ level: 'poor', rttMs: 900, fps: null });
  });

  it('does not count a stopped camera (0 fps) against the link', () => {
    expect(levelOf(0, 30, 0)).toBe('good');
    expect(levelOf(0, 30, 8)).toBe('fair');
    expect(levelOf(0, 30, 3)).toBe('poor');
  });

  it('counts from the start again when the counters went back (a new connection)', () => {
    const a = inboundSample([inbound(5000, '0', 'audio', 5000, 400)])!;
    const b = inboundSample([inbound(7000, '0', 'audio', 100, 0)])!;
    expect(inboundQuality(a, b).lossPct).toBe(0);
  });

  it('splits one SFU connection per person by mid', async () => {
    const stats = [
      ...pair(0.02),
      inbound(2000, '3', 'audio', 100, 0),
      inbound(2000, '4', 'video', 300, 0, 60),
      inbound(2000, '5', 'audio', 60, 40),
      inbound(2000, '6', 'video', 100, 50, 10),
    ];
    const mids: Record<string, string[]> = { ana: ['3', '4'], bo: ['5', '6'] };
    const reading = await readCallQuality({
      mode: 'sfu',
      mesh: { ids: () => [], get: () => undefined },
      sfu: {
        ids: () => ['ana', 'bo'],
        stats: async () => new Map(stats.map((s) => [s.id, s])) as unknown as RTCStatsReport,
        statsPicker: (id) => (s) => mids[id]!.includes(s.mid as string),
      },
    });
    expect(inboundQuality(null, reading!.remote.get('ana')!).level).toBe('good');
    expect(inboundQuality(null, reading!.remote.get('bo')!)).toMatchObject({ level: 'poor', lossPct: 36 });
  });

  it('reads each mesh peer from its own connection', async () => {
    const reports: Record<string, StatLike[]> = {
      ana: [...pair(0.03), inbound(1000, '0', 'audio', 100, 0)],
      bo: [...pair(0.4), inbound(1000, '0', 'audio', 100, 0)],
    };
    const reading = await readCallQuality({
      mode: 'mesh',
      mesh: {
        ids: () => ['ana', 'bo'],
        get: (id) => ({ stats: async () => new Map(reports[id]!.map((s) => [s.id, s])) as unknown as RTCStatsReport }),
      },
      sfu: { ids: () => [], stats: async () => null, statsPicker: () => () => false },
    });
    expect(inboundQuality(null, reading!.remote.get('ana')!).level).toBe('good');
    expect(inboundQuality(null, reading!.remote.get('bo')!)).toMatchObject({ level: 'fair', rttMs: 400 });
  });
});

function outbound(at: number, bytes: number, packets: number, layers: Array<[number, number]>): StatLike[] {
  return [
    { type: 'outbound-rtp', id: 'OTa', timestamp: at, kind: 'audio', mid: '0', bytesSent: bytes / 10, packetsSent: packets / 4 },
    ...layers.map(
      ([w, h], i): StatLike => ({
        type: 'outbound-rtp',
        id: `OTv${i}`,
        timestamp: at,
        kind: 'video',
        mid: '1',
        rid: ['q', 'h', 'f'][i],
        bytesSent: bytes / 3,
        packetsSent: packets / 4,
        frameWidth: w,
        frameHeight: h,
        framesPerSecond: 30 - i,
      }),
    ),
    { type: 'remote-inbound-rtp', id: 'RIa', timestamp: at, kind: 'audio', packetsLost: 0, roundTripTime: 0.05 },
    { type: 'remote-inbound-rtp', id: 'RIv', timestamp: at, kind: 'video', packetsLost: Math.round(packets / 100), roundTripTime: 0.05 },
  ];
}

describe('own link', () => {
  it('gives upload bitrate, the top layer, loss and the candidate type', () => {
    const a = ownSample([[...pair(0.05, 'relay'), ...outbound(1000, 0, 0, [[320, 180], [640, 360], [1280, 720]])]])!;
    const b = ownSample([[...pair(0.05, 'relay'), ...outbound(3000, 300_000, 1000, [[320, 180], [640, 360], [1280, 720]])]])!;
    const link = ownLink(a, b);
    // (30 000 + 3 × 100 000) bytes in 2 s = 1 320 kbit/s.
    expect(link).toEqual({
      bitrateKbps: 1320,
      rttMs: 50,
      lossPct: 1,
      fps: 28,
      width: 1280,
      height: 720,
      candidate: 'relay',
      level: 'good',
    });
  });

  it('adds mesh peers up, keeps the worst round trip, and says direct without a relay', () => {
    const one = [...pair(0.02, 'host'), ...outbound(2000, 100_000, 100, [[640, 360]])];
    const two = [...pair(0.35, 'srflx'), ...outbound(2000, 100_000, 100, [[640, 360]])];
    const s = ownSample([one, two])!;
    expect(s.bytesSent).toBeCloseTo(2 * (10_000 + 100_000 / 3));
    expect(s.rttMs).toBe(350);
    expect(s.candidate).toBe('direct');
    expect(ownLink(null, s)).toMatchObject({ bitrateKbps: 0, level: 'fair', width: 640, height: 360 });
  });

  it('knows nothing before anything is sent', () => {
    expect(ownSample([pair(0.02)])).toBeNull();
    expect(candidateKind([])).toBeNull();
  });
});

describe('QualityMonitor', () => {
  afterEach(() => vi.useRealTimers());

  it('polls every interval while started, computes from the previous sample, and forgets on leave', async () => {
    vi.useFakeTimers();
    let t = 0;
    let received = 0;
    let lost = 0;
    const reads: number[] = [];
    const monitor = new QualityMonitor(async (): Promise<QualityReading> => {
      reads.push(t);
      const sample = inboundSample([inbound(t, '0', 'audio', received, lost)])!;
      return { remote: new Map([['ana', sample]]), own: null };
    }, 2000);
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.getSnapshot().remote.get('ana')?.level).toBe('good');
    t = 2000;
    received = 90;
    lost = 10;
    await vi.advanceTimersByTimeAsync(2000);
    expect(monitor.getSnapshot().remote.get('ana')).toMatchObject({ level: 'poor', lossPct: 10 });
    expect(reads).toEqual([0, 2000]);
    monitor.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads).toHaveLength(2);
    expect(monitor.getSnapshot().remote.size).toBe(1);
    monitor.stop(true);
    expect(monitor.getSnapshot().remote.size).toBe(0);
  });

  it('reads Map-like reports', () => {
    const report = new Map([['a', { type: 'x', id: 'a', timestamp: 1 }]]);
    expect(statsList(report)).toEqual([{ type: 'x', id: 'a', timestamp: 1 }]);
  });
});
