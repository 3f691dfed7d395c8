/**
 * The bar under the grid: microphone, camera, screen share, devices, file,
 * leave. Toggles say their state with `aria-pressed` (pressed = muted, camera
 * off, sharing), so the state is readable without looking at icons.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { resumeAudio } from '../engine/call/env';
import { DeviceSelects } from './DeviceSelects';
import { useI18n } from './I18n';
import { CameraIcon, FileIcon, LeaveIcon, MicIcon, ScreenIcon, SettingsIcon } from './icons';
import { useCall, useCallSnapshot } from './useCall';

interface Props {
  /** Files picked with the file button. */
  onFiles: (files: File[]) => void;
}

interface ToggleProps {
  testId: string;
  pressed: boolean;
  label: string;
  danger?: boolean;
  onClick: () => void;
  children: ReactNode;
  expanded?: boolean;
}

function ControlButton({ testId, pressed, label, danger, onClick, children, expanded }: ToggleProps) {
  return (
    <button
      type="button"
      className={`control${pressed ? ' pressed' : ''}${danger ? ' danger' : ''}`}
      data-testid={testId}
      aria-pressed={expanded === undefined ? pressed : undefined}
      aria-expanded={expanded}
      title={label}
      onClick={() => {
        resumeAudio();
        onClick();
      }}
    >
      {children}
      <span className="control-label">{label}</span>
    </button>
  );
}

export function CallControls({ onFiles }: Props) {
  const { t } = useI18n();
  const call = useCall();
  const { local } = useCallSnapshot();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  // The device menu closes on Escape and on a click elsewhere.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    const onDown = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [menuOpen]);

  return (
    <div className="controls" role="toolbar" aria-label={t.controlsLabel}>
      <ControlButton
        testId="mute-button"
        pressed={!local.audio}
        label={local.audio ? t.mute : t.unmute}
        onClick={() => void call.setAudio(!local.audio)}
      >
        <MicIcon off={!local.audio} />
      </ControlButton>
      <ControlButton
        testId="camera-button"
        pressed={!local.video}
        label={local.video ? t.cameraOff : t.cameraOn}
        onClick={() => void call.setVideo(!local.video)}
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
      <ControlButton testId="leave-button" pressed={false} danger label={t.leave} onClick={() => call.leave()}>
        <LeaveIcon />
      </ControlButton>
      {local.problems.screen && (
        <p className="controls-error" role="alert" data-testid="screen-error">
          {t.screenProblem(local.problems.screen)}
        </p>
      )}
    </div>
  );
}
