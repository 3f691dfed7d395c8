/**
 * Out of a meeting by a host's decision: removed, the meeting ended, or the
 * knock turned away. Says so politely, and offers the way on: back home, or
 * (removed, turned away) asking to join again.
 */
import { useEffect } from 'react';
import type { MeetingOver } from '../engine/session';
import { PREF_KEYS, readPref } from '../prefs';
import { HOME_PATH } from '../route';
import { useI18n } from './I18n';
import { useCall } from './useCall';
import { navigate } from './useRoute';
import { useSession } from './useSession';

const TEST_IDS: Record<MeetingOver['kind'], string> = {
  removed: 'removed-notice',
  ended: 'ended-notice',
  denied: 'denied-notice',
};

export function NoticeScreen({ notice }: { notice: MeetingOver }) {
  const { t } = useI18n();
  const h = t.hosts;
  const session = useSession();
  const call = useCall();
  // Nothing more to show the camera for.
  useEffect(() => call.stopPreview(), [call]);

  const title = { removed: h.removedTitle, ended: h.endedTitle, denied: h.deniedTitle }[notice.kind];
  const text = { removed: h.removedText(notice.by), ended: h.endedText(notice.by), denied: h.deniedText }[notice.kind];
  const home = () => {
    session.dismissNotice();
    navigate(HOME_PATH);
  };
  const name = readPref(PREF_KEYS.nickname);

  return (
    <main className="notice-screen">
      <section className="card notice-card" data-testid={TEST_IDS[notice.kind]} role="alert" aria-labelledby="notice-title">
        <h1 id="notice-title">{title}</h1>
        <p>{text}</p>
        <div className="prejoin-actions">
          <button type="button" className="button" data-testid="notice-home" onClick={home}>
            {t.backHome}
          </button>
          {notice.kind !== 'ended' && name && (
            <button
              type="button"
              className="button primary"
              data-testid="ask-to-join-button"
              onClick={() => {
                void call.preview();
                void session.knock(notice.room, name);
              }}
            >
              {h.askToJoin}
            </button>
          )}
        </div>
      </section>
    </main>
  );
}
