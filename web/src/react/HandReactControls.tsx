/** Raise or lower your hand, and send a reaction from a small picker: for everyone in a call. */
import { useCallback, useRef, useState } from 'react';
import { REACTIONS } from '../engine/protocol';
import { ControlButton } from './ControlButton';
import { useI18n } from './I18n';
import { HandIcon, SmileIcon } from './icons';
import { useDismiss } from './useDismiss';
import { useSession, useSessionSnapshot } from './useSession';

export function HandReactControls() {
  const { t } = useI18n();
  const h = t.hosts;
  const session = useSession();
  const raised = useSessionSnapshot().room?.you.hand != null;
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  return (
    <>
      <ControlButton
        testId="raise-hand-button"
        pressed={raised}
        label={raised ? h.lowerHand : h.raiseHand}
        onClick={() => void session.actions.hand(!raised)}
      >
        <HandIcon />
      </ControlButton>
      <div className="menu-anchor" ref={ref}>
        <ControlButton testId="reaction-button" pressed={false} expanded={open} label={h.react} onClick={() => setOpen((o) => !o)}>
          <SmileIcon />
        </ControlButton>
        {open && (
          <div className="card reaction-picker" role="group" aria-label={h.reactionsLabel} data-testid="reaction-picker">
            {REACTIONS.map((emoji) => (
              <button
                key={emoji}
                type="button"
                className="reaction-option"
                data-testid="reaction-option"
                data-emoji={emoji}
                aria-label={emoji}
                onClick={() => {
                  setOpen(false);
                  void session.actions.react(emoji);
                }}
              >
                {emoji}
              </button>
            ))}
          </div>
        )}
      </div>
    </>
  );
}
