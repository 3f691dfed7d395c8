/** "Mina muted you": a notice for a few seconds when a host acts on you. */
import { useEffect, useState } from 'react';
import type { Moderated } from '../engine/protocol';
import { useI18n } from './I18n';
import { useSession } from './useSession';

const SHOWN_MS = 8000;

export function ModerationNotice() {
  const { t } = useI18n();
  const session = useSession();
  const [last, setLast] = useState<Moderated | null>(null);

  useEffect(() => session.on('moderated', setLast), [session]);
  useEffect(() => {
    if (!last) return;
    const timer = setTimeout(() => setLast(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [last]);

  return (
    <div className="toast-area" role="status" aria-live="polite">
      {last && (
        <p className="toast" data-testid="moderated-notice" data-action={last.action}>
          {t.hosts.moderatedYou(last.action, last.by)}
        </p>
      )}
    </div>
  );
}
