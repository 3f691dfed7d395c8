/**
 * Entry point: one connection and one session for the page's lifetime,
 * created before React so that re-renders never open a second socket.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { RoomSession } from './engine/session';
import { SignalClient } from './engine/signal';
import { openSocket } from './engine/socketio';
import { I18nProvider, initialLang } from './react/I18n';
import { SessionProvider } from './react/useSession';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

document.documentElement.lang = initialLang();
const session = new RoomSession(new SignalClient(openSocket()));

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider session={session}>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
