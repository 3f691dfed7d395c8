import { describe, expect, it } from 'vitest';
import { SpeakingDetector } from './level';
import type { LocalSnapshot } from './local';
import type { RemoteStreams } from './streams';
import { createStream } from './testing/fakeMedia';
import { buildTiles, reuseTiles } from './tiles';

const you = { id: 'p_me', name: 'Mina', audio: true, video: true, screen: false, joined: 1, role: 'guest' as const, hand: null, audioLocked: false };
const jun = { id: 'p_jun', name: 'Jun', audio: false, video: false, screen: true, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
const preview = createStream([]);
const local = {
  audio: true,
  video: true,
  screen: false,
  preview,
  screenPreview: null,
} as unknown as LocalSnapshot;

describe('tiles', () => {
  it('puts you first, then each camera, then a screen tile for a share with a stream', () => {
    const streams = new Map<string, RemoteStreams>([['p_jun', { camera: createStream([]), screen: createStream([]) }]]);
    const tiles = buildTiles({ you, local, others: [jun], streams, speaking: new Set(['p_jun', 'p_me']) });
    expect(tiles.map((t) => [t.key, t.kind, t.audio, t.video, t.speaking])).toEqual([
      ['self', 'camera', true, true, true],
      ['p_jun', 'camera', false, false, false], // muted people are never "speaking"
      ['p_jun:screen', 'screen', false, true, false],
    ]);
    expect(tiles[0]?.stream).toBe(preview);
  });

  it('shows your own state as set locally, before the server confirms it', () => {
    const tiles = buildTiles({ you, local: { ...local, audio: false }, others: [], streams: new Map(), speaking: new Set() });
    expect(tiles[0]?.participant.audio).toBe(false);
  });

  it('marks the active speaker on their camera tile only, you included, and never someone muted', () => {
    const ara = { ...jun, id: 'p_ara', name: 'Ara', audio: true };
    const streams = new Map<string, RemoteStreams>([['p_ara', { camera: createStream([]), screen: createStream([]) }]]);
    const input = { you, local, others: [ara, jun], streams, speaking: new Set<string>() };
    const marks = (activeSpeaker: string | null) =>
      buildTiles({ ...input, activeSpeaker }).map((t) => [t.key, t.activeSpeaker]);
    expect(marks('p_ara')).toEqual([
      ['self', false],
      ['p_ara', true],
      ['p_ara:screen', false],
      ['p_jun', false],
    ]);
    expect(marks('p_me')[0]).toEqual(['self', true]);
    // Jun is muted: whatever the server last said, his tile is not marked.
    expect(marks('p_jun').every(([, on]) => on === false)).toBe(true);
    expect(marks(null).every(([, on]) => on === false)).toBe(true);
    // A new speaker is a changed tile for React.
    const a = reuseTiles([], buildTiles({ ...input, activeSpeaker: null }));
    const b = reuseTiles(a, buildTiles({ ...input, activeSpeaker: 'p_ara' }));
    expect(b[1]).not.toBe(a[1]);
    expect(b[0]).toBe(a[0]);
  });

  it('reuses unchanged tiles and the list itself when nothing changed', () => {
    const input = { you, local, others: [jun], streams: new Map(), speaking: new Set<string>() };
    const a = reuseTiles([], buildTiles(input));
    expect(reuseTiles(a, buildTiles(input))).toBe(a);
    const b = reuseTiles(a, buildTiles({ ...input, others: [{ ...jun, audio: true }] }));
    expect(b).not.toBe(a);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
    // A raised hand (or a new role) is a change of the tile too.
    const c = reuseTiles(b, buildTiles({ ...input, others: [{ ...jun, audio: true, hand: 5 }] }));
    expect(c[1]).not.toBe(b[1]);
    expect(c[1]?.participant.hand).toBe(5);
  });
});

describe('SpeakingDetector', () => {
  it('turns on at once and off only after the hold time', () => {
    const d = new SpeakingDetector(0.02, 600);
    expect(d.update('a', 0.01, 0)).toBe(false);
    expect(d.update('a', 0.05, 100)).toBe(true);
    expect(d.update('a', 0.0, 500)).toBe(true);
    expect(d.update('a', 0.0, 701)).toBe(false);
  });
});
