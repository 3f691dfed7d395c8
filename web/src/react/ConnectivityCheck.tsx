/**
 * The pre-join screen's connectivity check, in a guest's words: will calls
 * connect from here (`connectivityVerdict`)? Nothing about relays, servers or
 * documentation: that is the operator's, in the server's log and `/ops`; the
 * raw result stays on the element's data attributes for tests. Runs once the signaling
 * connection is up, with the ICE configuration the server will use for the
 * call (`ice-servers`), and can be run again.
 */
import { useCallback, useEffect, useState } from 'react';
import { checkConnectivity, connectivityVerdict, type ConnectivityResult } from '../engine/connectivity';
import { useI18n } from './I18n';
import { useSession, useSessionSnapshot } from './useSession';

type State = { phase: 'idle' | 'checking' } | { phase: 'done'; result: ConnectivityResult } | { phase: 'unavailable' };

export function ConnectivityCheck() {
  const { t } = useI18n();
  const session = useSession();
  const { connection } = useSessionSnapshot();
  const [state, setState] = useState<State>({ phase: 'idle' });

  const run = useCallback(async () => {
    setState({ phase: 'checking' });
    const answer = await session.iceServers();
    if (!answer || typeof RTCPeerConnection === 'undefined') return setState({ phase: 'unavailable' });
    const result = await checkConnectivity(answer.iceServers, { relayOnJoin: answer.relayOnJoin });
    setState({ phase: 'done', result });
  }, [session]);

  const ready = connection === 'connected';
  useEffect(() => {
    if (ready && state.phase === 'idle') void run();
  }, [ready, state.phase, run]);

  const result = state.phase === 'done' ? state.result : null;
  const verdict = result ? connectivityVerdict(result) : null;
  return (
    <section
      className="connectivity"
      data-testid="connectivity"
      data-phase={state.phase}
      data-direct={result ? String(result.direct) : undefined}
      data-relay={result?.relay}
      data-verdict={verdict ?? undefined}
      aria-live="polite"
    >
      <h2 className="connectivity-title">{t.connectivityTitle}</h2>
      {verdict ? (
        <ul className="connectivity-list">
          <li data-ok={verdict === 'ready'} data-testid="connectivity-verdict">
            {t.flow.connectivity[verdict]}
          </li>
        </ul>
      ) : (
        <p className="connectivity-note">
          {state.phase === 'unavailable' ? t.connectivityUnavailable : t.connectivityChecking}
        </p>
      )}
      {(state.phase === 'done' || state.phase === 'unavailable') && (
        <button type="button" className="button small" data-testid="connectivity-retry" onClick={() => void run()}>
          {t.connectivityRetry}
        </button>
      )}
    </section>
  );
}
