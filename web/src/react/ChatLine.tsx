/**
 * One line of the chat log. Every piece of text from the network goes in as
 * a React text child, so it is shown as typed and never read as HTML.
 */
import type { ChatEntry } from '../engine/session';
import type { Limits } from '../engine/protocol';
import { errorText } from '../i18n';
import { useI18n } from './I18n';

interface Props {
  entry: ChatEntry;
  limits: Limits;
}

export function ChatLine({ entry, limits }: Props) {
  const { t, lang } = useI18n();
  const common = { 'data-testid': 'chat-message', 'data-kind': entry.kind } as const;

  switch (entry.kind) {
    case 'self':
    case 'other': {
      const who = entry.kind === 'self' ? t.you : entry.from.name;
      const time = new Date(entry.ts).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
      const history = entry.kind === 'other' && entry.history === true;
      return (
        <li {...common} data-history={history || undefined} className={`line line-${entry.kind}${history ? ' line-history' : ''}`}>
          <time className="ts" dateTime={new Date(entry.ts).toISOString()}>
            {time}
          </time>{' '}
          <span className="who">{who}</span>
          {': '}
          <span className="text">{entry.text}</span>
        </li>
      );
    }
    case 'joined':
    case 'left': {
      const say = entry.kind === 'joined' ? t.joined : t.left;
      return (
        <li {...common} className={`line line-notice line-${entry.kind}`}>
          {say(entry.participant.name, entry.count)}
        </li>
      );
    }
    case 'error':
      return (
        <li {...common} className="line line-error" data-code={entry.error.code}>
          {/* The alert inside the item: a list item cannot be an alert itself. */}
          <span role="alert">{errorText(t, entry.error, limits)}</span>
        </li>
      );
  }
}
