/**
 * Grid ↔ speaker view, in the call's header. A toggle (`aria-pressed`:
 * pressed is the speaker view); the choice is remembered for the next call.
 */
import { useState } from 'react';
import { PREF_KEYS, readPref, writePref } from '../prefs';
import { useI18n } from './I18n';

export type CallView = 'grid' | 'speaker';

/** The remembered view, the grid unless the speaker view was chosen. */
export function useCallView(): [CallView, (view: CallView) => void] {
  const [view, setView] = useState<CallView>(() => (readPref(PREF_KEYS.view) === 'speaker' ? 'speaker' : 'grid'));
  const choose = (next: CallView) => {
    writePref(PREF_KEYS.view, next);
    setView(next);
  };
  return [view, choose];
}

export function LayoutSwitch({ view, onChange }: { view: CallView; onChange: (view: CallView) => void }) {
  const { t } = useI18n();
  const speaker = view === 'speaker';
  return (
    <button
      type="button"
      className={`button layout-switch${speaker ? ' active' : ''}`}
      data-testid="layout-switch"
      aria-pressed={speaker}
      title={t.comfort.speakerViewHint}
      onClick={() => onChange(speaker ? 'grid' : 'speaker')}
    >
      <svg className="icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" aria-hidden="true" focusable="false">
        <rect x="3" y="4" width="18" height="11" rx="2" />
        <rect x="3" y="17" width="5" height="3" rx="1" />
        <rect x="9.5" y="17" width="5" height="3" rx="1" />
        <rect x="16" y="17" width="5" height="3" rx="1" />
      </svg>
      <span className="button-text">{t.comfort.speakerView}</span>
    </button>
  );
}
