/**
 * What the call grid shows, as plain data: one tile per camera (yours first,
 * then the others in the order they joined) and one per shared screen.
 * Pure, so the rules are tested without media.
 */
import type { Participant } from '../protocol';
import type { LocalSnapshot } from './local';
import type { RemoteStreams } from './streams';

export interface Tile {
  /** Stable across renders: `self`, `self:screen`, `<id>`, `<id>:screen`. */
  key: string;
  kind: 'camera' | 'screen';
  self: boolean;
  participant: Participant;
  /** What to play; null until the connection brings it. */
  stream: MediaStream | null;
  /** Their microphone is on (a muted indicator shows otherwise). */
  audio: boolean;
  /** Their camera is on (a placeholder shows otherwise). */
  video: boolean;
  speaking: boolean;
  /**
   * Their camera tile is the meeting's active speaker (the last one heard).
   * Never someone muted: a stale level must not light a muted person's tile.
   */
  activeSpeaker: boolean;
}

export interface TileInput {
  you: Participant;
  local: LocalSnapshot;
  others: readonly Participant[];
  streams: ReadonlyMap<string, RemoteStreams>;
  /** Participant ids (yours included) speaking now. */
  speaking: ReadonlySet<string>;
  /** The active speaker's participant id (yours included), if any. */
  activeSpeaker?: string | null;
}

export function buildTiles({ you, local, others, streams, speaking, activeSpeaker = null }: TileInput): Tile[] {
  // Your own state as you just set it, not as the server last confirmed it.
  const me: Participant = { ...you, audio: local.audio, video: local.video, screen: local.screen };
  const tiles: Tile[] = [
    {
      key: 'self',
      kind: 'camera',
      self: true,
      participant: me,
      stream: local.preview,
      audio: me.audio,
      video: me.video,
      speaking: me.audio && speaking.has(you.id),
      activeSpeaker: me.audio && activeSpeaker === you.id,
    },
  ];
  if (local.screen && local.screenPreview) {
    tiles.push({ ...screenTile(me, local.screenPreview), key: 'self:screen', self: true });
  }
  for (const p of others) {
    const s = streams.get(p.id);
    tiles.push({
      key: p.id,
      kind: 'camera',
      self: false,
      participant: p,
      stream: s?.camera ?? null,
      audio: p.audio,
      video: p.video,
      speaking: p.audio && speaking.has(p.id),
      activeSpeaker: p.audio && activeSpeaker === p.id,
    });
    if (p.screen && s?.screen) tiles.push(screenTile(p, s.screen));
  }
  return tiles;
}

function screenTile(p: Participant, stream: MediaStream): Tile {
  return {
    key: `${p.id}:screen`,
    kind: 'screen',
    self: false,
    participant: p,
    stream,
    audio: false,
    video: true,
    speaking: false,
    activeSpeaker: false,
  };
}

/** Keeps the old tile objects that did not change, so React skips them. */
export function reuseTiles(prev: readonly Tile[], next: Tile[]): readonly Tile[] {
  const byKey = new Map(prev.map((t) => [t.key, t]));
  let changed = prev.length !== next.length;
  const out = next.map((t, i) => {
    const old = byKey.get(t.key);
    const same = old !== undefined && sameTile(old, t);
    if (!same || prev[i] !== old) changed = true;
    return same ? old : t;
  });
  return changed ? out : prev;
}

function sameTile(a: Tile, b: Tile): boolean {
  const p = a.participant;
  const q = b.participant;
  return (
    a.kind === b.kind &&
    a.stream === b.stream &&
    a.audio === b.audio &&
    a.video === b.video &&
    a.speaking === b.speaking &&
    a.activeSpeaker === b.activeSpeaker &&
    p.id === q.id &&
    p.name === q.name &&
    p.audio === q.audio &&
    p.video === q.video &&
    p.screen === q.screen &&
    p.hand === q.hand &&
    p.role === q.role
  );
}
