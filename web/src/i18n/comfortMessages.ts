/**
 * The words of the comforts: connection quality and the stats panel, the
 * speaker view, noise suppression. Part of `Messages` (as `comfort`), kept
 * apart so each file stays short.
 */
import type { QualityLevel } from '../engine/call/quality';

export interface ComfortMessages {
  /** A tile's bars, as a screen reader says them. */
  qualityOf: (level: string, details: string) => string;
  /** "2 % loss, 40 ms, 30 fps": the numbers behind a level. */
  qualityDetails: (lossPct: number, rttMs: number | null, fps: number | null) => string;
  level: Record<QualityLevel, string>;
  /** The control that opens the stats panel, and the panel's title. */
  stats: string;
  statsTitle: string;
  statsClose: string;
  statsMeasuring: string;
  upload: string;
  roundTrip: string;
  loss: string;
  frameRate: string;
  resolution: string;
  route: string;
  routeKind: Record<'relay' | 'direct', string>;
  /** A value not known (yet). */
  unknown: string;
  /** The switch between the grid and the speaker view (pressed: speaker view). */
  speakerView: string;
  speakerViewHint: string;
  noiseSuppression: string;
  noiseSuppressionHint: string;
}
