/**
 * The control that opens a small panel about one's own link: what we upload,
 * the round trip, the loss the others report, the camera's frame rate and
 * size as sent, and whether it goes through a relay. Numbers from the call's
 * quality monitor (`quality.ts`), refreshed every ~2 s while the call shows.
 */
import { useCallback, useId, useRef, useState } from 'react';
import type { OwnLink } from '../engine/call/quality';
import type { Messages } from '../i18n';
import { ControlButton } from './ControlButton';
import { useI18n } from './I18n';
import { useDismiss } from './useDismiss';
import { useQuality } from './useQuality';

function rows(t: Messages, own: OwnLink): Array<[string, string, string]> {
  const c = t.comfort;
  const or = (v: number | null, unit: string) => (v === null ? c.unknown : `${v} ${unit}`);
  return [
    ['upload', c.upload, `${own.bitrateKbps} kbit/s`],
    ['rtt', c.roundTrip, or(own.rttMs, 'ms')],
    ['loss', c.loss, `${own.lossPct} %`],
    ['fps', c.frameRate, or(own.fps, 'fps')],
    ['resolution', c.resolution, own.width && own.height ? `${own.width}×${own.height}` : c.unknown],
    ['route', c.route, own.candidate ? c.routeKind[own.candidate] : c.unknown],
  ];
}

export function StatsButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  return (
    <div className="menu-anchor" ref={ref}>
      <ControlButton testId="stats-button" pressed={false} expanded={open} label={t.comfort.stats} onClick={() => setOpen((o) => !o)}>
        <BarsIcon />
      </ControlButton>
      {open && <StatsPanel onClose={close} />}
    </div>
  );
}

function StatsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const own = useQuality().own;
  const titleId = useId();
  return (
    <section className="card stats-panel" data-testid="stats-panel" aria-labelledby={titleId} data-level={own?.level}>
      <div className="stats-head">
        <h2 id={titleId}>{t.comfort.statsTitle}</h2>
        <button type="button" className="button" onClick={onClose}>
          {t.comfort.statsClose}
        </button>
      </div>
      {own ? (
        <dl>
          {rows(t, own).map(([key, label, value]) => (
            <div key={key} className="stats-row">
              <dt>{label}</dt>
              <dd data-testid={`stats-${key}`}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p role="status">{t.comfort.statsMeasuring}</p>
      )}
    </section>
  );
}

function BarsIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true" focusable="false">
      <path d="M5 20v-4M10 20v-8M15 20v-12M20 20V4" />
    </svg>
  );
}
