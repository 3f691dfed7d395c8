/**
 * The message box. The draft is cleared as soon as it is sent, so quick
 * messages can follow one another; if the server refuses it, the draft comes
 * back (unless something new was typed) so it can be fixed.
 */
import { useState, type FormEvent } from 'react';
import { useI18n } from './I18n';
import { useSession } from './useSession';

interface Props {
  maxLength: number;
}

export function ChatComposer({ maxLength }: Props) {
  const { t } = useI18n();
  const session = useSession();
  const [draft, setDraft] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = draft;
    if (text.trim() === '') return;
    setDraft('');
    if (!(await session.send(text))) setDraft((now) => (now === '' ? text : now));
  };

  return (
    <form className="composer" onSubmit={submit}>
      <input
        data-testid="chat-input"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        maxLength={maxLength}
        placeholder={t.chatPlaceholder}
        aria-label={t.chatPlaceholder}
        autoComplete="off"
        enterKeyHint="send"
        autoFocus
      />
      <button className="button primary" type="submit" data-testid="chat-send" disabled={draft.trim() === ''}>
        {t.send}
      </button>
    </form>
  );
}
