/**
 * The call's keyboard shortcuts (`shortcuts.ts`): the key listener, and the
 * help dialog that lists them, opened with `?` or the visible button in the
 * call's header. Each shortcut does what its button does — mute and camera
 * go through the same `DeviceControls` (so a blocked camera still says why),
 * leave always asks first.
 */
import { useEffect, useRef, useState } from 'react';
import type { ShortcutAction } from '../../i18n/flowMessages';
import { useI18n } from '../I18n';
import { useSession } from '../useSession';
import { useLeave } from './leave';
import { Modal } from './Modal';
import { SHORTCUT_KEYS, SHORTCUT_ORDER, shortcutFor } from './shortcuts';
import type { DeviceControls } from './useDeviceControls';

interface Props {
  devices: DeviceControls;
  /** Shows or hides the chat panel. */
  onChat: () => void;
}

export function CallShortcuts({ devices, onChat }: Props) {
  const { t } = useI18n();
  const session = useSession();
  const leave = useLeave();
  const [help, setHelp] = useState(false);

  // The latest handlers, read by one listener registered once.
  const run = useRef<(action: ShortcutAction) => void>(() => undefined);
  run.current = (action) => {
    switch (action) {
      case 'mute':
        return void devices.toggleMic();
      case 'camera':
        return void devices.toggleCamera();
      case 'chat':
        return onChat();
      case 'hand':
        return void session.actions.hand(session.getSnapshot().room?.you.hand == null);
      case 'leave':
        return leave.request({ ask: true });
      case 'help':
        return setHelp(true);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      run.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        className="button shortcuts-button"
        data-testid="shortcuts-button"
        aria-haspopup="dialog"
        aria-keyshortcuts="?"
        title={t.flow.shortcutsTitle}
        onClick={() => setHelp(true)}
      >
        <span aria-hidden="true" className="shortcuts-key">
          ?
        </span>
        <span className="button-text">{t.flow.shortcutsButton}</span>
      </button>
      <Modal open={help} onClose={() => setHelp(false)} labelledBy="shortcuts-title" testId="shortcuts-dialog" className="shortcuts-dialog">
        <h2 id="shortcuts-title">{t.flow.shortcutsTitle}</h2>
        <dl className="shortcuts-list">
          {SHORTCUT_ORDER.map((action) => (
            <div key={action} className="shortcuts-row" data-action={action}>
              <dt>
                <kbd>{SHORTCUT_KEYS[action]}</kbd>
              </dt>
              <dd>{t.flow.shortcut[action]}</dd>
            </div>
          ))}
        </dl>
        <div className="modal-actions">
          <button type="button" className="button" data-testid="shortcuts-close" onClick={() => setHelp(false)}>
            {t.flow.close}
          </button>
        </div>
      </Modal>
    </>
  );
}
