/**
 * `/ops`: what an operator wants at a glance — this node, its uptime, and
 * every room with its people and its media mode — behind the admin login.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../react/I18n';
import { LanguageSelect } from '../react/LanguageSelect';
import { forgetSession, openAdmin, savedSession, type AdminConnection, type AdminLogin } from './adminSocket';
import { CreateMeetingForm } from './CreateMeetingForm';
import { OPS_MESSAGES } from './messages';
import { formatUptime, type OpsSnapshot } from './snapshot';

/** Why the last login failed: the server's refusal, or another connection error. */
type LoginError = { kind: 'invalid' } | { kind: 'other'; message: string };

type View = { kind: 'login'; error: LoginError | null } | { kind: 'live'; snapshot: OpsSnapshot | null };

export function OpsPage() {
  const { lang } = useI18n();
  const m = OPS_MESSAGES[lang];
  const [view, setView] = useState<View>({ kind: 'login', error: null });
  const connection = useRef<AdminConnection | null>(null);

  const start = (login: AdminLogin | null) => {
    connection.current?.close();
    // The form stays until the first snapshot: a refusal keeps what was typed.
    connection.current = openAdmin(login, {
      onSnapshot: (snapshot) => setView({ kind: 'live', snapshot }),
      onRefused: (message) =>
        setView({ kind: 'login', error: message === 'invalid credentials' ? { kind: 'invalid' } : { kind: 'other', message } }),
    });
  };

  useEffect(() => {
    if (savedSession()) start(null);
    return () => connection.current?.close();
    // Once, on mount: later logins go through the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    start({ username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') });
  };

  const logout = () => {
    connection.current?.close();
    connection.current = null;
    forgetSession();
    setView({ kind: 'login', error: null });
  };

  return (
    <div className="app ops">
      <div className="topbar">
        <span className="brand">{m.title}</span>
        <LanguageSelect />
      </div>
      {view.kind === 'login' ? (
        <form className="ops-login" onSubmit={onSubmit}>
          <label>
            {m.username}
            <input name="username" autoComplete="username" data-testid="ops-user" />
          </label>
          <label>
            {m.password}
            <input name="password" type="password" autoComplete="current-password" data-testid="ops-password" />
          </label>
          <button type="submit" data-testid="ops-login">
            {m.login}
          </button>
          {view.error && (
            <p role="alert" data-testid="ops-error">
              {view.error.kind === 'invalid' ? m.invalidCredentials : m.connectionError(view.error.message)}
            </p>
          )}
        </form>
      ) : (
        <OpsView snapshot={view.snapshot} onLogout={logout} connection={connection.current} />
      )}
    </div>
  );
}

function OpsView({ snapshot, onLogout, connection }: { snapshot: OpsSnapshot | null; onLogout: () => void; connection: AdminConnection | null }) {
  const { lang } = useI18n();
  const m = OPS_MESSAGES[lang];
  return (
    <main className="ops-view">
      <dl className="ops-facts">
        <dt>{m.node}</dt>
        <dd data-testid="ops-node">{snapshot?.node ?? '…'}</dd>
        <dt>{m.version}</dt>
        <dd>{snapshot?.version ?? '…'}</dd>
        <dt>{m.uptime}</dt>
        <dd data-testid="ops-uptime">{snapshot ? formatUptime(snapshot.uptimeSeconds) : '…'}</dd>
        <dt>{m.relay}</dt>
        <dd data-testid="ops-relay" data-relay={snapshot ? String(snapshot.relay) : undefined}>
          {snapshot ? (snapshot.relay ? m.relayOn : m.relayOff) : '…'}
        </dd>
      </dl>
      <button type="button" onClick={onLogout} data-testid="ops-logout">
        {m.logout}
      </button>
      {connection && <CreateMeetingForm connection={connection} />}
      {snapshot?.namespaces.map((ns) => (
        <section key={ns.name} data-testid="ops-namespace" data-name={ns.name}>
          <h2>{m.namespace(ns.name)}</h2>
          {ns.rooms.length === 0 ? (
            <p>{m.noRooms}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{m.rooms}</th>
                  <th>{m.mode}</th>
                  <th>{m.participants}</th>
                </tr>
              </thead>
              <tbody>
                {ns.rooms.map((room) => (
                  <tr key={room.name} data-testid="ops-room" data-name={room.name}>
                    <td>{room.name}</td>
                    <td>
                      <span data-testid="ops-room-mode">{room.mode}</span>
                      {room.mediaNode && (
                        <span data-testid="ops-room-media-node">
                          {` (${m.mediaNode} `}
                          <code>{room.mediaNode}</code>)
                        </span>
                      )}
                    </td>
                    <td>
                      <span data-testid="ops-room-count">{room.participants.length}</span>
                      {': '}
                      {room.participants.map((p) => p.name).join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </main>
  );
}
