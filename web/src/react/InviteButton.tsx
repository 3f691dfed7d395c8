/**
 * Copies the room's address (`<origin>/r/<room>`), which opens straight on
 * its pre-join screen. Where the clipboard is not available (plain http on a
 * LAN address), the link is shown selected, to copy by hand.
 */
import { useEffect, useState } from 'react';
import { roomPath } from '../route';
import { useI18n } from './I18n';
import { LinkIcon } from './icons';

const SHOW_MS = 2500;

export function InviteButton({ room }: { room: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const link = window.location.origin + roomPath(room);

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), SHOW_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setState('copied');
    } catch {
      setState('manual');
    }
  };

  return (
    <div className="invite">
      <button className="button" type="button" data-testid="invite-button" data-link={link} onClick={() => void copy()}>
        <LinkIcon />
        <span className="button-text">{t.invite}</span>
      </button>
      {state === 'copied' && (
        <span className="invite-note" role="status">
          {t.inviteCopied}
        </span>
      )}
      {state === 'manual' && (
        <label className="invite-manual">
          <span>{t.inviteManual}</span>
          <input readOnly value={link} data-testid="invite-link" autoFocus onFocus={(e) => e.target.select()} />
        </label>
      )}
    </div>
  );
}
