/**
 * Signal bars on a remote tile: how well that person's media reaches us
 * (`quality.ts`). Three bars for good, two for fair, one for poor; the
 * numbers are in the accessible name and the tooltip. Nothing is shown until
 * something was measured.
 */
import { useI18n } from './I18n';
import { useQuality } from './useQuality';

const BARS = { good: 3, fair: 2, poor: 1 } as const;

export function TileQuality({ participantId }: { participantId: string }) {
  const { t } = useI18n();
  const q = useQuality().remote.get(participantId);
  if (!q) return null;
  const label = t.comfort.qualityOf(t.comfort.level[q.level], t.comfort.qualityDetails(q.lossPct, q.rttMs, q.fps));
  return (
    <span className="tile-quality" data-testid="tile-quality" data-quality={q.level} role="img" aria-label={label} title={label}>
      {[1, 2, 3].map((bar) => (
        <span key={bar} className={bar <= BARS[q.level] ? 'bar on' : 'bar'} aria-hidden="true" />
      ))}
    </span>
  );
}
