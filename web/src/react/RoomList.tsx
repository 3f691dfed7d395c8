/** The public rooms with their live counts; a click joins one. */
import type { RoomSummary } from '../engine/protocol';
import { useI18n } from './I18n';

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
              title={t.joinRoom(room.name, room.count)}
              disabled={disabled}
              onClick={() => onPick(room.name)}
            >
              <span className="room-name" data-testid="room-name">
                {room.name}
              </span>
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
