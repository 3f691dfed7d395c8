/**
 * The microphone meter: a bar whose width follows the level. The level
 * changes every frame, so it is read in an animation loop and written to the
 * bar's style directly, without a React render per frame.
 */
import { useEffect, useRef } from 'react';
import { useI18n } from './I18n';
import { useCall } from './useCall';

/** Speech RMS is small (≈0.02–0.3); this makes normal speech fill most of the bar. */
const GAIN = 4;

export function MicLevel() {
  const { t } = useI18n();
  const call = useCall();
  const bar = useRef<HTMLDivElement>(null);
  const meter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      const level = Math.min(1, Math.sqrt(call.micLevel() * GAIN));
      const pct = Math.round(level * 100);
      if (bar.current) bar.current.style.width = `${pct}%`;
      meter.current?.setAttribute('aria-valuenow', String(pct));
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [call]);

  return (
    <div
      ref={meter}
      className="mic-meter"
      role="meter"
      aria-label={t.micLevelLabel}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
    >
      <div ref={bar} className="mic-level" data-testid="mic-level" style={{ width: '0%' }} />
    </div>
  );
}
