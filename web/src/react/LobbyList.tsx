/** Hosts' and co-hosts' list of who waits to be let in, with admit, deny and admit all. */
import { useEffect, useState } from 'react';
import type { Knocker } from '../engine/protocol';
import { useI18n } from './I18n';

interface Props {
  lobby: readonly Knocker[];
  onAdmit: (participant: string | 'all') => void;
  onDeny: (participant: string) => void;
}

/** The time now, refreshed every 30 s for the "waiting for" column. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function LobbyList({ lobby, onAdmit, onDeny }: Props) {
  const { t } = useI18n();
  const h = t.hosts;
  const now = useNow();
  if (lobby.length === 0) return null;
  return (
    <section className="lobby-list" aria-labelledby="lobby-heading" data-testid="lobby-list">
      <div className="panel-row">
        <h3 id="lobby-heading">{h.lobbyHeading(lobby.length)}</h3>
        {lobby.length > 1 && (
          <button type="button" className="button small" data-testid="admit-all-button" onClick={() => onAdmit('all')}>
            {h.admitAll}
          </button>
        )}
      </div>
      <ul>
        {lobby.map((k) => (
          <li key={k.id} className="lobby-item" data-testid="lobby-item" data-name={k.name}>
            <span className="person-name">
              <span className="person-name-text">{k.name}</span>
              <span className="lobby-meta">
                {h.waitedFor(Math.max(0, now - k.since))}
                {k.removed && ` · ${h.removedBefore}`}
              </span>
            </span>
            <button type="button" className="button small" data-testid="deny-button" onClick={() => onDeny(k.id)} aria-label={`${h.deny}: ${k.name}`}>
              {h.deny}
            </button>
            <button
              type="button"
              className="button small primary"
              data-testid="admit-button"
              onClick={() => onAdmit(k.id)}
              aria-label={`${h.admit}: ${k.name}`}
            >
              {h.admit}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
