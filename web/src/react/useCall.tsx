/**
 * The engine's Call, handed down the tree like the session, and read with
 * `useSyncExternalStore` so every component sees one consistent snapshot.
 * As with the session: `useCall()` is the object, `useCallSnapshot()` its state.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Call, CallSnapshot } from '../engine/call/call';

const CallContext = createContext<Call | null>(null);

export function CallProvider({ call, children }: { call: Call; children: ReactNode }) {
  return <CallContext.Provider value={call}>{children}</CallContext.Provider>;
}

/** The call itself, for its actions (mute, camera, share, send a file…). */
export function useCall(): Call {
  const call = useContext(CallContext);
  if (!call) throw new Error('useCall needs a <CallProvider> above it');
  return call;
}

/** The current call snapshot; re-renders on every change. */
export function useCallSnapshot(): CallSnapshot {
  const call = useCall();
  return useSyncExternalStore(call.subscribe, call.getSnapshot);
}
