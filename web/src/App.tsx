/**
 * The whole UI: the connection banner, the language picker, and one of five
 * screens: the call when the session is in a room, the lobby's waiting
 * screen while knocking, the notice when a host removed us, ended the
 * meeting or turned us away, the pre-join screen at `/r/<room>`, the home
 * page otherwise.
 */
import { CallScreen } from './react/CallScreen';
import { ConnectionBanner } from './react/ConnectionBanner';
import { HomeScreen } from './react/HomeScreen';
import { LanguageSelect } from './react/LanguageSelect';
import { LobbyScreen } from './react/LobbyScreen';
import { NoticeScreen } from './react/NoticeScreen';
import { PreJoinScreen } from './react/PreJoinScreen';
import { usePath, useRouteSync } from './react/useRoute';
import { useScreenFocus } from './react/useScreenFocus';
import { useSession, useSessionSnapshot } from './react/useSession';
import { parseRoute } from './route';

export function App() {
  const session = useSession();
  const { phase, room, log, waiting, notice } = useSessionSnapshot();
  const path = usePath();
  const inRoom = phase === 'room' && room !== null ? room : null;
  useRouteSync(session, inRoom?.name ?? null);
  const route = parseRoute(path);

  let screen;
  if (inRoom) screen = <CallScreen room={inRoom} log={log} />;
  else if (waiting) screen = <LobbyScreen waiting={waiting} />;
  else if (notice) screen = <NoticeScreen notice={notice} />;
  else if (route.kind === 'room') screen = <PreJoinScreen room={route.room} />;
  else screen = <HomeScreen />;
  useScreenFocus(screen.type);

  return (
    <div className={inRoom ? 'app in-room' : 'app'}>
      <ConnectionBanner />
      <header className="topbar">
        {(inRoom || waiting || notice || route.kind === 'room') && <span className="brand">moim</span>}
        <LanguageSelect />
      </header>
      {screen}
    </div>
  );
}
