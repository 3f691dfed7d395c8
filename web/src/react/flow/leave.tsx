/**
 * Leaving a call on purpose, never by accident. `request()` is what the
 * Leave button, the leave shortcut and the browser's Back button call: with
 * others in the call it asks first (the shortcut and Back always ask: a
 * stray key or swipe must not end a call), alone it leaves at once. After
 * leaving, the "You left <room>" screen offers Rejoin (`left`). A reload or a
 * closed tab while in a call gets the browser's own "Leave site?" question
 * (`beforeunload`): its wording is the browser's, not ours.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../I18n';
import { useCall } from '../useCall';
import { useSession, useSessionSnapshot } from '../useSession';
import { Modal } from './Modal';

/** The call just left: where and as whom, for Rejoin. */
export interface LeftCall {
  room: string;
  name: string;
}

interface LeaveValue {
  /** Leave the call, asking first when others are in it (or always with `ask`). */
  request(options?: { ask?: boolean }): void;
  /** The confirmation is showing. */
  asking: boolean;
  cancel(): void;
  confirm(): void;
  left: LeftCall | null;
  clearLeft(): void;
}

const LeaveContext = createContext<LeaveValue | null>(null);

/** Whether leaving should be confirmed: with anyone else there, or when asked to. */
export function needsConfirm(count: number, ask = false): boolean {
  return ask || count > 1;
}

export function LeaveProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const call = useCall();
  const inRoom = useSessionSnapshot().phase === 'room';
  const [asking, setAsking] = useState(false);
  const [left, setLeft] = useState<LeftCall | null>(null);

  const leaveNow = useCallback(() => {
    setAsking(false);
    const room = session.getSnapshot().room;
    if (room) setLeft({ room: room.name, name: room.you.name });
    call.leave();
  }, [session, call]);

  const request = useCallback(
    ({ ask = false }: { ask?: boolean } = {}) => {
      const room = session.getSnapshot().room;
      if (session.getSnapshot().phase !== 'room' || !room) return;
      if (needsConfirm(room.count, ask)) setAsking(true);
      else leaveNow();
    },
    [session, leaveNow],
  );

  // Out of the room another way (removed, ended, a failed rejoin): nothing to confirm.
  useEffect(() => {
    if (!inRoom) setAsking(false);
    else setLeft(null);
  }, [inRoom]);

  // Going elsewhere with Back / Forward: the "you left" screen is over.
  useEffect(() => {
    if (!left) return;
    const forget = () => setLeft(null);
    window.addEventListener('popstate', forget);
    return () => window.removeEventListener('popstate', forget);
  }, [left]);

  useEffect(() => {
    if (!inRoom) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers ask only when a return value is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [inRoom]);

  const value = useMemo<LeaveValue>(
    () => ({
      request,
      asking,
      cancel: () => setAsking(false),
      confirm: leaveNow,
      left,
      clearLeft: () => setLeft(null),
    }),
    [request, asking, leaveNow, left],
  );
  return <LeaveContext.Provider value={value}>{children}</LeaveContext.Provider>;
}

export function useLeave(): LeaveValue {
  const value = useContext(LeaveContext);
  if (!value) throw new Error('useLeave needs a <LeaveProvider> above it');
  return value;
}

/** The "Leave the call?" question, shown inside the call screen. */
export function LeaveConfirm({ others }: { others: number }) {
  const { t } = useI18n();
  const leave = useLeave();
  return (
    <Modal open={leave.asking} onClose={leave.cancel} labelledBy="leave-title" testId="leave-dialog" role="alertdialog" className="leave-dialog">
      <h2 id="leave-title">{t.flow.leaveTitle}</h2>
      {others > 0 && <p>{t.flow.leaveText(others)}</p>}
      <div className="modal-actions">
        <button type="button" className="button" data-testid="leave-cancel" data-autofocus onClick={leave.cancel}>
          {t.flow.stay}
        </button>
        <button type="button" className="button danger" data-testid="leave-confirm" onClick={leave.confirm}>
          {t.flow.leaveConfirm}
        </button>
      </div>
    </Modal>
  );
}
