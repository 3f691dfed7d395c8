/**
 * The whole UI: the connection banner, the language picker, and either the
 * home screen or the room, as the session says.
 */
import { ConnectionBanner } from './react/ConnectionBanner';
import { HomeScreen } from './react/HomeScreen';
import { LanguageSelect } from './react/LanguageSelect';
import { RoomScreen } from './react/RoomScreen';
import { usePath, useRouteSync } from './react/useRoute';
import { useRoomSession, useSession } from './react/useSession';
import { parseRoute } from './route';

export function App() {
  const session = useRoomSession();
  const { phase, room, log } = useSession();
  const path = usePath();
  const inRoom = phase === 'room' && room !== null ? room : null;
  useRouteSync(session, inRoom?.name ?? null);
  const route = parseRoute(path);

  return (
    <div className={inRoom ? 'app in-room' : 'app'}>
      <ConnectionBanner />
      <div className="topbar">
        {inRoom && <span className="brand">moim</span>}
        <LanguageSelect />
      </div>
      {inRoom ? (
        <RoomScreen room={inRoom} log={log} />
      ) : (
        <HomeScreen routeRoom={route.kind === 'room' ? route.room : null} />
      )}
    </div>
  );
}
