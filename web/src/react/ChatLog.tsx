/**
 * The scrolling chat log. It follows the newest line while the reader is at
 * the bottom, and leaves the scroll alone while they read older lines (except
 * for their own message, which always brings them back down).
 */
import { memo, useLayoutEffect, useRef } from 'react';
import type { Limits } from '../engine/protocol';
import type { ChatEntry } from '../engine/session';
import { ChatLine } from './ChatLine';
import { useI18n } from './I18n';

/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;

interface Props {
  log: readonly ChatEntry[];
  limits: Limits;
}

export const ChatLog = memo(function ChatLog({ log, limits }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (atBottom.current || log[log.length - 1]?.kind === 'self') {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    }
  }, [log]);

  const onScroll = () => {
    const el = ref.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
  };

  return (
    <ol ref={ref} className="chat-log" role="log" aria-label={t.chatLabel} onScroll={onScroll} tabIndex={0}>
      {log.length === 0 && <li className="chat-empty">{t.chatEmpty}</li>}
      {log.map((entry) => (
        <ChatLine key={entry.id} entry={entry} limits={limits} />
      ))}
    </ol>
  );
});
