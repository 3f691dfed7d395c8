import type { ComfortMessages } from './comfortMessages';

export const comfortEn: ComfortMessages = {
  qualityOf: (level, details) => `Connection ${level}: ${details}`,
  qualityDetails: (loss, rtt, fps) =>
    [`${loss} % loss`, rtt === null ? null : `${rtt} ms delay`, fps === null ? null : `${fps} frames per second`]
      .filter(Boolean)
      .join(', '),
  level: { good: 'good', fair: 'fair', poor: 'poor' },
  stats: 'Connection',
  statsTitle: 'Your connection',
  statsClose: 'Close',
  statsMeasuring: 'Measuring…',
  upload: 'Upload',
  roundTrip: 'Round trip',
  loss: 'Packet loss',
  frameRate: 'Frame rate',
  resolution: 'Resolution',
  route: 'Route',
  routeKind: { relay: 'Through a relay server', direct: 'Direct' },
  unknown: '—',
  speakerView: 'Speaker view',
  speakerViewHint: 'Show whoever is speaking large, everyone else in a strip',
  noiseSuppression: 'Noise suppression',
  noiseSuppressionHint: 'Filters out background noise such as typing and fans',
};
