/**
 * The call's connection quality for the UI. `useQualityPolling` (once, in the
 * call screen) keeps the engine's monitor reading `getStats()` while the page
 * is visible — a hidden tab does not need the numbers, and reading them costs
 * the WebRTC thread a little — and stops it when the call screen goes.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { QualitySnapshot } from '../engine/call/quality';
import { useCall } from './useCall';

export function useQualityPolling(): void {
  const call = useCall();
  useEffect(() => {
    const monitor = call.quality;
    const follow = () => (document.visibilityState === 'visible' ? monitor.start() : monitor.stop());
    follow();
    document.addEventListener('visibilitychange', follow);
    return () => {
      document.removeEventListener('visibilitychange', follow);
      monitor.stop(true);
    };
  }, [call]);
}

export function useQuality(): QualitySnapshot {
  const monitor = useCall().quality;
  return useSyncExternalStore(monitor.subscribe, monitor.getSnapshot);
}
