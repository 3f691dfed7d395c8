/**
 * `/ops`' "New meeting" form: on a server that starts meetings only from
 * invitations (`--meetings invite`), the admin creates one here and hands
 * out its host's and guests' links.
 */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../react/I18n';
import type { AdminConnection, CreatedMeeting } from './adminSocket';
import { OPS_MESSAGES } from './messages';

export function CreateMeetingForm({ connection }: { connection: AdminConnection }) {
  const { lang } = useI18n();
  const m = OPS_MESSAGES[lang];
  const [result, setResult] = useState<CreatedMeeting | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const passcode = String(form.get('passcode') ?? '');
    setBusy(true);
    setResult(
      await connection.createMeeting({
        room: String(form.get('room') ?? ''),
        ...(passcode ? { passcode } : {}),
        listed: form.get('listed') === 'on',
        locked: form.get('locked') === 'on',
      }),
    );
    setBusy(false);
  };

  const full = (link: string) => new URL(link, window.location.origin).href;
  return (
    <section className="ops-create" aria-labelledby="ops-create-title">
      <h2 id="ops-create-title">{m.newMeeting}</h2>
      <form onSubmit={(e) => void onSubmit(e)}>
        <label>
          {m.meetingName}
          <input name="room" required maxLength={64} data-testid="ops-meeting-room" />
        </label>
        <label>
          {m.passcodeOptional}
          <input name="passcode" maxLength={64} autoComplete="off" data-testid="ops-meeting-passcode" />
        </label>
        <label>
          <input name="listed" type="checkbox" /> {m.listed}
        </label>
        <label>
          <input name="locked" type="checkbox" data-testid="ops-meeting-locked" /> {m.locked}
        </label>
        <button type="submit" disabled={busy} data-testid="ops-create-meeting">
          {m.create}
        </button>
      </form>
      {result && 'ok' in result && (
        <dl className="ops-links">
          <dt>{m.hostLink}</dt>
          <dd>
            <input readOnly value={full(result.ok.hostLink)} data-testid="ops-host-link" onFocus={(e) => e.currentTarget.select()} />
          </dd>
          <dt>{m.guestLink}</dt>
          <dd>
            <input readOnly value={full(result.ok.guestLink)} data-testid="ops-guest-link" onFocus={(e) => e.currentTarget.select()} />
          </dd>
          <dd>{m.linksExpire(new Date(result.ok.expires * 1000).toLocaleString(lang))}</dd>
        </dl>
      )}
      {result && 'error' in result && (
        <p role="alert" data-testid="ops-create-error">
          {m.createFailed(result.error.code, result.error.message)}
        </p>
      )}
    </section>
  );
}
