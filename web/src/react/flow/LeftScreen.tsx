/**
 * After leaving a call: "You left <room>", with Rejoin (straight back into
 * the same room as the same name, through its address so a refusal — a
 * passcode, a full room — shows on that room's pre-join screen) and Home.
 */
import { useEffect, useRef } from 'react';
import { resumeAudio } from '../../engine/call/env';
import { roomPath } from '../../route';
import { useI18n } from '../I18n';
import { useCall } from '../useCall';
import { navigate } from '../useRoute';
import { useLeave, type LeftCall } from './leave';

export function LeftScreen({ left }: { left: LeftCall }) {
  const { t } = useI18n();
  const call = useCall();
  const { clearLeft } = useLeave();
  const rejoinRef = useRef<HTMLButtonElement>(null);
  // A new screen: focus starts on its main action.
  useEffect(() => rejoinRef.current?.focus(), []);

  const rejoin = async () => {
    resumeAudio();
    clearLeft();
    navigate(roomPath(left.room));
    // The camera and microphone first, so the others see us as we were.
    await call.preview();
    await call.join(left.room, left.name);
  };

  return (
    <main className="notice-screen">
      <section className="card notice-card" data-testid="left-screen" aria-labelledby="left-title">
        <h1 id="left-title">{t.flow.leftTitle(left.room)}</h1>
        <p>{t.flow.leftText}</p>
        <div className="prejoin-actions">
          <button type="button" className="button" data-testid="left-home" onClick={clearLeft}>
            {t.flow.home}
          </button>
          <button ref={rejoinRef} type="button" className="button primary" data-testid="rejoin-button" onClick={() => void rejoin()}>
            {t.flow.rejoin}
          </button>
        </div>
      </section>
    </main>
  );
}
