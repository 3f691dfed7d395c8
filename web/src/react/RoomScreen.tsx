/**
 * Inside a room: who is here, the chat, and the way out. The video grid
 * joins this screen in the next milestone.
 */
import type { ChatEntry, RoomState } from '../engine/session';
import { ChatComposer } from './ChatComposer';
import { ChatLog } from './ChatLog';
import { useI18n } from './I18n';
import { useRoomSession } from './useSession';

interface Props {
  room: RoomState;
  log: readonly ChatEntry[];
}

export function RoomScreen({ room, log }: Props) {
  const { t } = useI18n();
  const session = useRoomSession();

  return (
    <main className="room">
      <header className="room-header">
        <div className="room-heading">
          <h1>
            <span className="room-title">{room.name}</span>
            <span className="room-sep" aria-hidden="true">
              {' · '}
            </span>
            <span className="room-people">
              <span data-testid="participant-count">{room.count}</span>
              {t.peopleSuffix(room.count)}
            </span>
          </h1>
          <ul className="participants" aria-label={t.participantsLabel}>
            <li className="chip chip-you" data-testid="participant" data-name={room.you.name}>
              {room.you.name} <span className="chip-tag">{t.you}</span>
            </li>
            {room.participants.map((p) => (
              <li key={p.id} className="chip" data-testid="participant" data-name={p.name}>
                {p.name}
              </li>
            ))}
          </ul>
        </div>
        <button className="button danger" type="button" data-testid="leave-button" onClick={() => session.leave()}>
          {t.leave}
        </button>
      </header>
      <section className="card chat" aria-label={t.chatLabel}>
        <ChatLog log={log} limits={room.limits} />
        <ChatComposer maxLength={room.limits.message} />
      </section>
    </main>
  );
}
