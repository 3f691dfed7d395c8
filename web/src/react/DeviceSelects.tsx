/**
 * Camera, microphone and (where the browser can choose one) speaker pickers,
 * and the microphone's noise suppression, used on the pre-join screen and in
 * the call's device menu. A choice is remembered for the next visit.
 */
import { useId } from 'react';
import type { DeviceOption } from '../engine/call/devices';
import { PREF_KEYS, writePref, type PrefKey } from '../prefs';
import { useI18n } from './I18n';
import { Switch } from './Switch';
import { useCall, useCallSnapshot } from './useCall';

interface SelectProps {
  kind: 'camera' | 'mic' | 'speaker';
  label: string;
  options: readonly DeviceOption[];
  value: string | null;
  onChange: (deviceId: string) => void;
  testId: string;
}

function DeviceSelect({ kind, label, options, value, onChange, testId }: SelectProps) {
  const { t } = useI18n();
  const id = useId();
  const known = options.some((o) => o.deviceId === value);
  return (
    <div className="field device-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        value={known && value ? value : (options[0]?.deviceId ?? '')}
        onChange={(e) => onChange(e.target.value)}
        disabled={options.length === 0}
      >
        {options.length === 0 && <option value="">{t.noDevices}</option>}
        {options.map((o, i) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label || t.unnamedDevice(kind, i + 1)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function DeviceSelects() {
  const { t } = useI18n();
  const call = useCall();
  const { devices, local, speakerId, speakerSelectable } = useCallSnapshot();
  const remember = (key: PrefKey, id: string) => writePref(key, id);

  return (
    <div className="device-selects">
      <DeviceSelect
        kind="camera"
        label={t.cameraLabel}
        options={devices.cameras}
        value={local.cameraId}
        testId="camera-select"
        onChange={(id) => {
          remember(PREF_KEYS.camera, id);
          void call.switchCamera(id);
        }}
      />
      <DeviceSelect
        kind="mic"
        label={t.micLabel}
        options={devices.mics}
        value={local.micId}
        testId="mic-select"
        onChange={(id) => {
          remember(PREF_KEYS.mic, id);
          void call.switchMic(id);
        }}
      />
      {speakerSelectable && (
        <DeviceSelect
          kind="speaker"
          label={t.speakerLabel}
          options={devices.speakers}
          value={speakerId}
          testId="speaker-select"
          onChange={(id) => {
            remember(PREF_KEYS.speaker, id);
            call.setSpeaker(id);
          }}
        />
      )}
      <div className="noise-row">
        <Switch
          testId="noise-switch"
          label={t.comfort.noiseSuppression}
          hint={t.comfort.noiseSuppressionHint}
          checked={local.noiseSuppression}
          onChange={(on) => {
            writePref(PREF_KEYS.noise, on ? 'on' : 'off');
            void call.setNoiseSuppression(on);
          }}
        />
      </div>
    </div>
  );
}
