/** The tiles of the call, in a CSS grid whose columns follow the tile count. */
import { memo, type CSSProperties } from 'react';
import type { Tile } from '../engine/call/tiles';
import { gridShape } from './grid';
import { useI18n } from './I18n';
import { TileView } from './TileView';

interface Props {
  tiles: readonly Tile[];
  sinkId: string | null;
  onTileHeight?: (participantId: string, height: number) => void;
}

export const VideoGrid = memo(function VideoGrid({ tiles, sinkId, onTileHeight }: Props) {
  const { t } = useI18n();
  const shape = gridShape(tiles.length);
  const style = {
    '--cols': shape.cols,
    '--rows': shape.rows,
    '--narrow-cols': shape.narrowCols,
    '--narrow-rows': shape.narrowRows,
  } as CSSProperties;
  return (
    <section className="grid" style={style} data-count={tiles.length} aria-label={t.videoGrid}>
      {tiles.map((tile) => (
        <TileView key={tile.key} tile={tile} sinkId={sinkId} onTileHeight={onTileHeight} />
      ))}
    </section>
  );
});
