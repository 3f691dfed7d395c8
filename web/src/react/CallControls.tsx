/**
 * The bar under the grid: microphone, camera, screen share, devices, file,
 * leave. Toggles say their state with `aria-pressed` (pressed = muted, camera
 * off, sharing), so the state is readable without looking at icons.
 */
import { useCallback, useRef, useState } from 'react';
import { ControlButton } from './ControlButton';
import { DeviceSelects } from './DeviceSelects';
import { useLeave } from './flow/leave';
import type { DeviceControls } from './flow/useDeviceControls';
import { HandReactControls } from './HandReactControls';
import { StatsButton } from './StatsPanel';
import { useI18n } from './I18n';
import { CameraIcon, FileIcon, LeaveIcon, MicIcon, PeopleIcon, ScreenIcon, SettingsIcon } from './icons';
import { useCall, useCallSnapshot } from './useCall';
import { useDismiss } from './useDismiss';
import { useSessionSnapshot } from './useSession';

interface Props {
  /** Files picked with the file button. */
  onFiles: (files: File[]) => void;
  /** The people panel is open, and the button that opens and closes it. */
  peopleOpen: boolean;
  onPeople: () => void;
  /** Microphone and camera: whether they can be used, and their toggles. */
  devices: DeviceControls;
}

export function CallControls({ onFiles, peopleOpen, onPeople, devices }: Props) {
  const { t } = useI18n();
  const call = useCall();
  const { local } = useCallSnapshot();
  const room = useSessionSnapshot().room;
  const leave = useLeave();
  const f = t.flow;
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  // The device menu closes on Escape and on a click elsewhere.
  useDismiss(menuRef, menuOpen, closeMenu);
  // A host muted us and does not let us unmute ourselves.
  const locked = room?.you.audioLocked === true && !local.audio;
  const waiting = room && room.you.role !== 'guest' ? room.lobby.length : 0;

  return (
    <div className="controls" role="toolbar" aria-label={t.controlsLabel}>
      <ControlButton
        testId="mute-button"
        pressed={!local.audio}
        label={local.audio ? t.mute : t.unmute}
        title={locked ? t.hosts.mutedByHost : devices.mic ? f.micUnavailable[devices.mic] : undefined}
        disabled={locked}
        unavailable={devices.mic !== null}
        onClick={() => void devices.toggleMic()}
      >
        <MicIcon off={!local.audio} />
      </ControlButton>
      <ControlButton
        testId="camera-button"
        pressed={!local.video}
        label={local.video ? t.cameraOff : t.cameraOn}
        title={devices.camera ? f.cameraUnavailable[devices.camera] : undefined}
        unavailable={devices.camera !== null}
        onClick={() => void devices.toggleCamera()}
      >
        <CameraIcon off={!local.video} />
      </ControlButton>
      <ControlButton
        testId="screen-button"
        pressed={local.screen}
        label={local.screen ? t.stopSharing : t.shareScreen}
        onClick={() => void (local.screen ? call.stopScreenShare() : call.startScreenShare())}
      >
        <ScreenIcon />
      </ControlButton>
      <HandReactControls />
      <div className="people-anchor">
        <ControlButton testId="people-button" pressed={false} expanded={peopleOpen} label={t.hosts.people} onClick={onPeople}>
          <PeopleIcon />
        </ControlButton>
        {waiting > 0 && (
          <span className="unread-badge people-badge" data-testid="people-badge" role="status" aria-label={t.hosts.waitingBadge(waiting)}>
            {waiting}
          </span>
        )}
      </div>
      <div className="menu-anchor" ref={menuRef}>
        <ControlButton
          testId="devices-button"
          pressed={false}
          expanded={menuOpen}
          label={t.devices}
          onClick={() => setMenuOpen((o) => !o)}
        >
          <SettingsIcon />
        </ControlButton>
        {menuOpen && (
          <div className="card device-menu" data-testid="device-menu">
            <DeviceSelects />
          </div>
        )}
      </div>
      <StatsButton />
      <label className="control" title={t.sendFile}>
        <FileIcon />
        <span className="control-label">{t.sendFile}</span>
        <input
          type="file"
          multiple
          className="visually-hidden"
          data-testid="file-input"
          onChange={(e) => {
            onFiles(Array.from(e.target.files ?? []));
            e.target.value = ''; // the same file can be sent again
          }}
        />
      </label>
      <ControlButton testId="leave-button" pressed={false} danger label={t.leave} onClick={() => leave.request()}>
        <LeaveIcon />
      </ControlButton>
      {devices.note && (
        <p className="controls-error device-note" role="alert" data-testid="device-error" data-device={devices.note.device} data-problem={devices.note.problem}>
          {(devices.note.device === 'mic' ? f.micUnavailable : f.cameraUnavailable)[devices.note.problem]}
          <button type="button" className="device-note-close" aria-label={f.close} onClick={devices.dismiss}>
            ×
          </button>
        </p>
      )}
      {local.problems.screen && (
        <p className="controls-error" role="alert" data-testid="screen-error">
          {t.screenProblem(local.problems.screen)}
        </p>
      )}
    </div>
  );
}
