/**
 * The pre-join screen's connectivity check, in plain words: can this device
 * connect directly, and does the relay (TURN) work? Runs once the signaling
 * connection is up, with the ICE configuration the server will use for the
 * call (`ice-servers`), and can be run again.
 */
import { useCallback, useEffect, useState } from 'react';
import { checkConnectivity, type ConnectivityResult } from '../engine/connectivity';
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
  return (
    <section
      className="connectivity"
      data-testid="connectivity"
      data-phase={state.phase}
      data-direct={result ? String(result.direct) : undefined}
      data-relay={result?.relay}
      aria-live="polite"
    >
      <h2 className="connectivity-title">{t.connectivityTitle}</h2>
      {state.phase === 'done' ? (
        <ul className="connectivity-list">
          <li data-ok={result!.direct}>{t.connectivityDirect(result!.direct)}</li>
          <li data-ok={result!.relay === 'ok' || result!.relay === 'later'}>{t.connectivityRelay(result!.relay)}</li>
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
