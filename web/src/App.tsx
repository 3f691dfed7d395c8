/**
 * The whole UI: the connection banner, the language picker, and one of seven
 * screens: the call when the session is in a room, the lobby's waiting
 * screen while knocking, the notice when a host removed us, ended the
 * meeting or turned us away, "you left" after leaving, the pre-join screen
 * at `/r/<room>`, the home page at `/`, and "page not found" at any other
 * address.
 */
import { useCallback } from 'react';
import { CallScreen } from './react/CallScreen';
import { useLeave } from './react/flow/leave';
import { LeftScreen } from './react/flow/LeftScreen';
import { ConnectionBanner } from './react/ConnectionBanner';
import { HomeScreen } from './react/HomeScreen';
import { LanguageSelect } from './react/LanguageSelect';
import { LobbyScreen } from './react/LobbyScreen';
import { NoticeScreen } from './react/NoticeScreen';
import { NotFoundScreen } from './react/NotFoundScreen';
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
  const leave = useLeave();
  const askOnBack = useCallback(() => leave.request({ ask: true }), [leave.request]);
  useRouteSync(session, inRoom?.name ?? null, askOnBack);
  const route = parseRoute(path);

  let screen;
  if (inRoom) screen = <CallScreen room={inRoom} log={log} />;
  else if (waiting) screen = <LobbyScreen waiting={waiting} />;
  else if (notice) screen = <NoticeScreen notice={notice} />;
  else if (leave.left && route.kind === 'home') screen = <LeftScreen left={leave.left} />;
  else if (route.kind === 'room') screen = <PreJoinScreen room={route.room} />;
  else if (route.kind === 'not-found') screen = <NotFoundScreen />;
  else screen = <HomeScreen />;
  useScreenFocus(screen.type);

  return (
    <div className={inRoom ? 'app in-room' : 'app'}>
      <ConnectionBanner />
      <header className="topbar">
        {(inRoom || waiting || notice || route.kind !== 'home') && <span className="brand">moim</span>}
        <LanguageSelect />
      </header>
      {screen}
    </div>
  );
}
