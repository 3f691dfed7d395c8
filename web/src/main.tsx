/**
 * Entry point: one connection, one session and one call for the page's
 * lifetime, created before React so that re-renders never open a second
 * socket or a second camera.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Call } from './engine/call/call';
import { browserEnv } from './engine/call/env';
import { browserKey, inviteFrom } from './engine/browserKey';
import { RoomSession } from './engine/session';
import { SignalClient } from './engine/signal';
import { openSocket } from './engine/socketio';
import { PREF_KEYS, readPref } from './prefs';
import { LeaveProvider } from './react/flow/leave';
import { CallProvider } from './react/useCall';
import { I18nProvider, initialLang } from './react/I18n';
import { SessionProvider } from './react/useSession';
import { OpsPage } from './ops/OpsPage';
import { registerServiceWorker } from './serviceWorker';
// Before styles.css: lightningcss refuses a `@keyframes` that comes after
// styles.css's `@container` rule in the same bundle.
import './hosts.css';
import './comfort.css';
import './meeting.css';
import './flow.css';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

document.documentElement.lang = initialLang();

if (window.location.pathname.replace(/\/+$/, '') === '/ops') {
  // The operator page: no meeting connection, no camera.
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <OpsPage />
      </I18nProvider>
    </StrictMode>,
  );
} else {
  startMeetings(root);
  registerServiceWorker();
}

function startMeetings(root: HTMLElement): void {
  const signal = new SignalClient(openSocket());
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage blocked: a key for this page alone
    }
  })();
  const session = new RoomSession(signal, { key: browserKey(storage), invite: inviteFrom(window.location.search) });
  const call = new Call(session, signal, browserEnv(), {
    cameraId: readPref(PREF_KEYS.camera),
    micId: readPref(PREF_KEYS.mic),
    speakerId: readPref(PREF_KEYS.speaker),
    noiseSuppression: readPref(PREF_KEYS.noise) !== 'off',
  });
  // WebRTC ready before "Join" (issue 21): started once the page is idle.
  const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 200));
  idle(() => void call.warmUp());

  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <SessionProvider session={session}>
          <CallProvider call={call}>
            <LeaveProvider>
              <App />
            </LeaveProvider>
          </CallProvider>
        </SessionProvider>
      </I18nProvider>
    </StrictMode>,
  );
}
