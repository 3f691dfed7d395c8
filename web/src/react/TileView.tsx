/**
 * One tile of the call grid: someone's camera (with their sound) or a shared
 * screen. The video element stays mounted when the camera is off, because it
 * also plays their voice; a placeholder with their initials covers it.
 */
import { memo, useCallback, useRef, type CSSProperties } from 'react';
import type { Tile } from '../engine/call/tiles';
import { hueOf, initials } from './placeholder';
import type { Rect } from './layout';
import { useI18n } from './I18n';
import { HandIcon, MicIcon, PinIcon } from './icons';
import type { ShownReaction } from './useReactions';
import { TileQuality } from './TileQuality';
import { useTileHeight } from './useTileHeight';
import { VideoView } from './VideoView';

interface Props {
  tile: Tile;
  /** Where the layout put it in the grid (none yet: not shown). */
  rect: Rect | undefined;
  /** It is on the stage because it was pinned. */
  pinned: boolean;
  /** Pin it, or unpin it if it is pinned (by its key). */
  onPin: (key: string) => void;
  sinkId: string | null;
  /** How tall someone's camera is drawn, in device pixels (remote cameras only). */
  onTileHeight?: (participantId: string, height: number) => void;
  /** A reaction of theirs floating over the tile now. */
  reaction?: ShownReaction;
}

function testIdOf(tile: Tile): string {
  if (tile.self) return tile.kind === 'screen' ? 'local-screen' : 'local-video';
  return tile.kind === 'screen' ? 'remote-screen' : 'remote-video';
}

export const TileView = memo(function TileView({ tile, rect, pinned, onPin, sinkId, onTileHeight, reaction }: Props) {
  const { t } = useI18n();
  const { participant: p, self, kind } = tile;
  const screen = kind === 'screen';
  const label = screen ? t.screenOf(p.name, self) : t.tileName(p.name, self);
  const classes = [
    'tile',
    `tile-${kind}`,
    tile.speaking ? 'speaking' : '',
    tile.activeSpeaker ? 'active-speaker' : '',
    tile.video ? '' : 'camera-off',
  ];
  const ref = useRef<HTMLElement>(null);
  const measured = !self && !screen && onTileHeight !== undefined;
  const report = useCallback((height: number) => onTileHeight?.(p.id, height), [onTileHeight, p.id]);
  useTileHeight(ref, measured ? report : null, tile.video);

  return (
    <figure
      ref={ref}
      className={classes.filter(Boolean).join(' ')}
      data-testid="tile"
      data-kind={kind}
      data-name={p.name}
      data-speaking={tile.speaking ? 'true' : 'false'}
      data-active-speaker={tile.activeSpeaker ? 'true' : 'false'}
      data-pinned={pinned ? 'true' : 'false'}
      style={rect ? { left: rect.x, top: rect.y, width: rect.width, height: rect.height } : { display: 'none' }}
    >
      <VideoView
        stream={tile.stream}
        muted={self || screen}
        mirrored={self && !screen}
        sinkId={sinkId}
        testId={testIdOf(tile)}
        name={p.name}
        label={label}
      />
      {!tile.video && (
        <div className="tile-placeholder" data-testid="video-off" title={t.cameraOffLabel}>
          <span className="avatar" style={{ '--hue': hueOf(p.id) } as CSSProperties} aria-hidden="true">
            {initials(p.name)}
          </span>
        </div>
      )}
      <button
        type="button"
        className="tile-pin"
        data-testid="pin-button"
        aria-pressed={pinned}
        aria-label={pinned ? t.unpinTile(label) : t.pinTile(label)}
        title={pinned ? t.unpinTile(label) : t.pinTile(label)}
        onClick={() => onPin(tile.key)}
      >
        <PinIcon />
      </button>
      {reaction && (
        <span key={reaction.key} className="tile-reaction" data-testid="tile-reaction" role="img" aria-label={t.hosts.reactionOf(p.name, reaction.emoji)}>
          {reaction.emoji}
        </span>
      )}
      <figcaption className="tile-label">
        {!screen && p.hand !== null && (
          <span className="tile-hand" data-testid="hand-indicator" role="img" aria-label={t.hosts.handRaised}>
            <HandIcon />
          </span>
        )}
        {!screen && !tile.audio && (
          <span className="tile-muted" data-testid="muted-indicator" role="img" aria-label={t.mutedLabel}>
            <MicIcon off />
          </span>
        )}
        <span className="tile-name">{label}</span>
        {!self && !screen && <TileQuality participantId={p.id} />}
      </figcaption>
    </figure>
  );
});
