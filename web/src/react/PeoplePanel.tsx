/**
 * The people panel: everyone in the meeting (raised hands first, oldest
 * first), and for hosts and co-hosts the meeting's controls and the lobby.
 * A refused request shows its reason at the top.
 */
import { useState } from 'react';
import { peopleOrder } from '../engine/moderation';
import type { ModerateAction, RequestError, SettingsIn } from '../engine/protocol';
import type { RoomState } from '../engine/session';
import { errorText } from '../i18n';
import { HostControls } from './HostControls';
import { useI18n } from './I18n';
import { LobbyList } from './LobbyList';
import { PersonItem as PersonItemRow } from './PersonItem';
import { useSession } from './useSession';

interface Props {
  room: RoomState;
  onClose: () => void;
}

export function PeoplePanel({ room, onClose }: Props) {
  const { t } = useI18n();
  const h = t.hosts;
  const session = useSession();
  const [error, setError] = useState<RequestError | null>(null);
  const { you } = room;
  const hostly = you.role === 'host' || you.role === 'cohost';

  const run = (request: Promise<RequestError | null>) => {
    setError(null);
    void request.then(setError);
  };
  const act = (action: ModerateAction, participant?: string) => run(session.actions.moderate(action, participant));
  const settings = (patch: SettingsIn) => run(session.actions.settings(patch));

  return (
    <aside id="people-panel" className="card side-panel people-panel" data-testid="people-panel" aria-labelledby="people-heading">
      <div className="panel-row panel-head">
        <h2 id="people-heading">
          {h.people} <span className="badge">{room.count}</span>
        </h2>
        <button type="button" className="button small" data-testid="people-close" onClick={onClose}>
          {h.closePanel}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="people-error" data-code={error.code}>
          {errorText(t, error)}
        </p>
      )}
      {hostly && (
        <>
          <LobbyList lobby={room.lobby} onAdmit={(id) => run(session.actions.admit(id))} onDeny={(id) => run(session.actions.deny(id))} />
          <HostControls
            meeting={room.meeting}
            myRole={you.role}
            onSettings={settings}
            onMuteAll={() => act('mute-all')}
            onEnd={() => run(session.actions.end())}
          />
        </>
      )}
      <ul className="people-list" aria-label={h.people}>
        {peopleOrder(you, room.participants).map((p) => (
          <PersonItemRow key={p.id} person={p} self={p.id === you.id} myRole={you.role} onAction={act} />
        ))}
      </ul>
      {you.role !== 'guest' && (
        <button type="button" className="button small step-down" data-testid="step-down-button" onClick={() => act('step-down')}>
          {h.stepDown}
        </button>
      )}
    </aside>
  );
}
