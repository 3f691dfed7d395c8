/**
 * Reads the call's connections for the `QualityMonitor`: in a mesh, each
 * person's own connection (whose stats are all theirs, and whose sending
 * side together is our link); in an SFU room, the one link, split per
 * person by the mids the server labelled theirs.
 */
import type { RoomMode } from '../protocol';
import { inboundSample, ownSample, statsList, type InboundSample, type QualityReading, type StatLike } from './quality';

export interface QualitySources {
  mode: RoomMode | null;
  mesh: { ids(): string[]; get(id: string): { stats(): Promise<RTCStatsReport> } | undefined };
  sfu: {
    ids(): string[];
    stats(): Promise<RTCStatsReport | null>;
    statsPicker(id: string): (s: StatLike) => boolean;
  };
}

export async function readCallQuality({ mode, mesh, sfu }: QualitySources): Promise<QualityReading | null> {
  if (mode === null) return null;
  const remote = new Map<string, InboundSample>();
  if (mode === 'sfu') {
    const report = await sfu.stats();
    if (!report) return null;
    const stats = statsList(report);
    for (const id of sfu.ids()) {
      const sample = inboundSample(stats, sfu.statsPicker(id));
      if (sample) remote.set(id, sample);
    }
    return { remote, own: ownSample([stats]) };
  }
  const reports: StatLike[][] = [];
  await Promise.all(
    mesh.ids().map(async (id) => {
      const report = await mesh.get(id)?.stats().catch(() => null);
      if (!report) return;
      const stats = statsList(report);
      reports.push(stats);
      const sample = inboundSample(stats);
      if (sample) remote.set(id, sample);
    }),
  );
  return { remote, own: ownSample(reports) };
}
