/**
 * The whole UI: the connection banner, the language picker, and one of three
 * screens: the call when the session is in a room, the pre-join screen at
 * `/r/<room>`, the home page otherwise.
 */
import { CallScreen } from './react/CallScreen';
import { ConnectionBanner } from './react/ConnectionBanner';
import { HomeScreen } from './react/HomeScreen';
import { LanguageSelect } from './react/LanguageSelect';
import { PreJoinScreen } from './react/PreJoinScreen';
import { usePath, useRouteSync } from './react/useRoute';
import { useSession, useSessionSnapshot } from './react/useSession';
import { parseRoute } from './route';

export function App() {
  const session = useSession();
  const { phase, room, log } = useSessionSnapshot();
  const path = usePath();
  const inRoom = phase === 'room' && room !== null ? room : null;
  useRouteSync(session, inRoom?.name ?? null);
  const route = parseRoute(path);

  let screen;
  if (inRoom) screen = <CallScreen room={inRoom} log={log} />;
  else if (route.kind === 'room') screen = <PreJoinScreen room={route.room} />;
  else screen = <HomeScreen />;

  return (
    <div className={inRoom ? 'app in-room' : 'app'}>
      <ConnectionBanner />
      <div className="topbar">
        {(inRoom || route.kind === 'room') && <span className="brand">moim</span>}
        <LanguageSelect />
      </div>
      {screen}
    </div>
  );
}
