/**
 * The top of the people panel for hosts and co-hosts: mute everyone, lock,
 * list on the home page, let people unmute themselves, the passcode; and for
 * hosts, ending the meeting for everyone (after a confirmation).
 */
import { useState, type FormEvent } from 'react';
import type { MeetingSettings, Role, SettingsIn } from '../engine/protocol';
import { useI18n } from './I18n';
import { MicIcon } from './icons';
import { Switch } from './Switch';

interface Props {
  meeting: MeetingSettings;
  myRole: Role;
  onSettings: (patch: SettingsIn) => void;
  onMuteAll: () => void;
  onEnd: () => void;
}

export function HostControls({ meeting, myRole, onSettings, onMuteAll, onEnd }: Props) {
  const { t } = useI18n();
  const h = t.hosts;
  const [passcode, setPasscode] = useState('');
  const [confirming, setConfirming] = useState(false);

  const setCode = (e: FormEvent) => {
    e.preventDefault();
    if (passcode === '') return;
    onSettings({ passcode });
    setPasscode('');
  };

  return (
    <section className="host-controls" aria-labelledby="host-controls-heading" data-testid="host-controls">
      <h3 id="host-controls-heading">{h.controlsHeading}</h3>
      <div className="panel-row host-actions">
        <button type="button" className="button" data-testid="mute-all-button" onClick={onMuteAll}>
          <MicIcon off />
          {h.muteAll}
        </button>
        {myRole === 'host' &&
          (confirming ? (
            <div className="end-confirm" role="alertdialog" aria-labelledby="end-confirm-text">
              <p id="end-confirm-text">{h.endConfirm}</p>
              <div className="panel-row">
                <button type="button" className="button" data-testid="end-meeting-cancel" onClick={() => setConfirming(false)}>
                  {h.cancel}
                </button>
                <button type="button" className="button danger" data-testid="end-meeting-confirm" autoFocus onClick={onEnd}>
                  {h.endConfirmYes}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="button danger" data-testid="end-meeting-button" onClick={() => setConfirming(true)}>
              {h.endMeeting}
            </button>
          ))}
      </div>
      <Switch testId="lock-switch" label={h.lock} hint={h.lockHint} checked={meeting.locked} onChange={(locked) => onSettings({ locked })} />
      <Switch testId="list-switch" label={h.list} hint={h.listHint} checked={meeting.listed} onChange={(listed) => onSettings({ listed })} />
      <Switch
        testId="allow-unmute-switch"
        label={h.allowUnmute}
        checked={meeting.allowUnmute}
        onChange={(allowUnmute) => onSettings({ allowUnmute })}
      />
      <form className="passcode-setting" onSubmit={setCode}>
        <p className="passcode-line">
          <label htmlFor="meeting-passcode">{h.passcode}</label>
          <span className="hint" data-testid="passcode-state">
            {meeting.hasPasscode ? h.passcodeIsSet : h.passcodeNone}
          </span>
        </p>
        <div className="panel-row">
          <input
            id="meeting-passcode"
            data-testid="meeting-passcode-input"
            type="text"
            autoComplete="off"
            maxLength={64}
            value={passcode}
            onChange={(e) => setPasscode(e.target.value)}
          />
          <button type="submit" className="button small" data-testid="meeting-passcode-set" disabled={passcode === ''}>
            {h.setPasscode}
          </button>
        </div>
        {meeting.hasPasscode && (
          <button type="button" className="button small" data-testid="meeting-passcode-remove" onClick={() => onSettings({ passcode: '' })}>
            {h.removePasscode}
          </button>
        )}
      </form>
    </section>
  );
}
