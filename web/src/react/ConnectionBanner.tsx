/**
 * A thin strip that says when the server is out of reach. The first
 * connection usually takes milliseconds, so "connecting" waits a little
 * before showing, to avoid a flash on every page load.
 */
import { useEffect, useState } from 'react';
import { useI18n } from './I18n';
import { useSessionSnapshot } from './useSession';

const CONNECTING_GRACE_MS = 800;

export function ConnectionBanner() {
  const { t } = useI18n();
  const { connection, room } = useSessionSnapshot();
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    if (connection !== 'connecting') {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, [connection]);

  let text: string | null = null;
  if (connection === 'reconnecting') text = t.reconnecting;
  else if (connection === 'closed') text = t.closed;
  else if (connection === 'connecting' && slow) text = t.connecting;
  else if (connection === 'connected' && room?.rejoining) text = t.rejoining;
  if (text === null) return null;

  return (
    <div className="banner" role="status" data-testid="connection-banner" data-state={connection}>
      <span className="banner-dot" aria-hidden="true" />
      {text}
    </div>
  );
}
