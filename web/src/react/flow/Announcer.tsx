/**
 * A visually hidden live region that tells screen readers, politely, who
 * joined or left and what others wrote, in the UI's language — whether or not
 * the chat panel is open. Each batch replaces the last, so the region never
 * grows into a transcript.
 */
import { useEffect, useRef, useState } from 'react';
import type { ChatEntry } from '../../engine/chatLog';
import { useI18n } from '../I18n';
import { newAnnouncements, newestId } from './announce';

export function Announcer({ log }: { log: readonly ChatEntry[] }) {
  const { t } = useI18n();
  const last = useRef(newestId(log));
  const [text, setText] = useState('');

  useEffect(() => {
    const texts = newAnnouncements(log, last.current, t.flow);
    last.current = Math.max(last.current, newestId(log));
    if (texts.length > 0) setText(texts.join('. '));
  }, [log, t.flow]);

  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
