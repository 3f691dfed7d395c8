/**
 * The tiles of the call, each placed by `layout.ts` for the grid's measured
 * size: a gallery, or a spotlight on someone's shared screen or on the tile
 * pinned here (a choice of this page only; a pinned person who leaves takes
 * the pin with them).
 */
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { speakerStage } from '../engine/call/speakerFocus';
import type { Tile } from '../engine/call/tiles';
import { useI18n } from './I18n';
import { arrange } from './layout';
import { TileView } from './TileView';
import type { ShownReaction } from './useReactions';
import { useBoxSize } from './useBoxSize';
import { useSpeakerFocus } from './useSpeakerFocus';

interface Props {
  tiles: readonly Tile[];
  sinkId: string | null;
  onTileHeight?: (participantId: string, height: number) => void;
  /** Reactions floating over people's camera tiles, by participant id. */
  reactions?: ReadonlyMap<string, ShownReaction>;
  /** The speaker view puts the active speaker on the stage (`speakerFocus.ts`). */
  view?: 'grid' | 'speaker';
}

export const VideoGrid = memo(function VideoGrid({ tiles, sinkId, onTileHeight, reactions, view = 'grid' }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const box = useBoxSize(ref);
  const [pin, setPin] = useState<string | null>(null);
  const pinned = pin !== null && tiles.some((tile) => tile.key === pin) ? pin : null;
  const togglePin = useCallback((key: string) => setPin((current) => (current === key ? null : key)), []);
  const focus = useSpeakerFocus(tiles, view === 'speaker');
  const stage = speakerStage(view, tiles, pinned, focus);
  const { layout, rects } = useMemo(() => arrange(tiles, box, stage), [tiles, box, stage]);
  return (
    <section ref={ref} className="grid" data-testid="call-grid" data-layout={layout} data-view={view} data-count={tiles.length} aria-label={t.videoGrid}>
      {tiles.map((tile) => (
        <TileView
          key={tile.key}
          tile={tile}
          rect={rects.get(tile.key)}
          pinned={tile.key === pinned}
          onPin={togglePin}
          sinkId={sinkId}
          onTileHeight={onTileHeight}
          reaction={tile.kind === 'camera' ? reactions?.get(tile.participant.id) : undefined}
        />
      ))}
    </section>
  );
});
