/**
 * The scrolling chat log. It follows the newest line while the reader is at
 * the bottom, and leaves the scroll alone while they read older lines (except
 * for their own message, which always brings them back down).
 *
 * Above the lines, when the server has older chat, a button fetches the page
 * before (scrolling to the top does the same); the lines put on top keep the
 * reader's place instead of pushing it down.
 */
import { memo, useLayoutEffect, useRef } from 'react';
import type { Limits } from '../engine/protocol';
import type { ChatEntry, RoomState } from '../engine/session';
import { ChatLine } from './ChatLine';
import { useI18n } from './I18n';

/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;

interface Props {
  log: readonly ChatEntry[];
  limits: Limits;
  history: RoomState['history'];
  onOlder: () => void;
}

export const ChatLog = memo(function ChatLog({ log, limits, history, onOlder }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  /** The first line and the height before the last render, to spot lines put on top. */
  const before = useRef<{ first: number | undefined; height: number }>({ first: undefined, height: 0 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = log[0]?.id;
    const prepended = before.current.first !== undefined && first !== before.current.first && !atBottom.current;
    if (prepended) {
      // Older lines came in above: keep the same line under the reader's eyes.
      el.scrollTop += el.scrollHeight - before.current.height;
    } else if (atBottom.current || log[log.length - 1]?.kind === 'self') {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    }
    before.current = { first, height: el.scrollHeight };
  }, [log]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
    if (el.scrollTop === 0 && el.scrollHeight > el.clientHeight && history.more && !history.loading) onOlder();
  };

  return (
    // A list that is a live region (what role="log" means), not role="log"
    // itself: that role would take away the list, and its items with it.
    <ol ref={ref} className="chat-log" aria-live="polite" aria-relevant="additions" aria-label={t.chatLabel} onScroll={onScroll} tabIndex={0}>
      {history.more && (
        <li className="chat-older">
          <button type="button" className="button" data-testid="chat-older" disabled={history.loading} onClick={onOlder}>
            {history.loading ? t.chatLoadingOlder : t.chatOlder}
          </button>
        </li>
      )}
      {log.length === 0 && <li className="chat-empty">{t.chatEmpty}</li>}
      {log.map((entry) => (
        <ChatLine key={entry.id} entry={entry} limits={limits} />
      ))}
    </ol>
  );
});
