/** The listed meetings with their live counts, full and locked marks; a click joins one. */
import type { RoomSummary } from '../engine/protocol';
import { useI18n } from './I18n';
import { LockIcon } from './icons';

interface Props {
  rooms: readonly RoomSummary[];
  onPick: (room: string) => void;
  disabled: boolean;
}

export function RoomList({ rooms, onPick, disabled }: Props) {
  const { t } = useI18n();
  return (
    <section className="card rooms" aria-labelledby="rooms-heading">
      <h2 id="rooms-heading">{t.publicRooms}</h2>
      {/* The list is always there (empty or not), so it can be waited for. */}
      <ul className="room-list" data-testid="room-list">
        {rooms.length === 0 && <li className="empty">{t.noRooms}</li>}
        {rooms.map((room) => (
          <li key={room.name}>
            <button
              type="button"
              className="room-item"
              data-testid="room-item"
              // A full meeting says so before the click, not only on the pre-join page's refusal.
              title={room.full ? `${t.joinRoom(room.name, room.count)} · ${t.hosts.roomFull}` : t.joinRoom(room.name, room.count)}
              disabled={disabled}
              onClick={() => onPick(room.name)}
            >
              <span className="room-name" data-testid="room-name">
                {room.name}
              </span>
              {room.locked && (
                <span className="room-mark" data-testid="room-locked" title={t.hosts.roomLocked}>
                  <LockIcon />
                  {t.hosts.roomLocked}
                </span>
              )}
              {room.full && (
                <span className="room-mark" data-testid="room-full">
                  {t.hosts.roomFull}
                </span>
              )}
              <span className="badge" data-testid="room-count">
                {room.count}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
