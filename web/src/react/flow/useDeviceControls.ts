/**
 * The call's microphone and camera buttons when the device cannot be used:
 * which reason to show (`controlProblems`), and what a click does then. A
 * click on an unavailable control tries once more (the person may have
 * allowed it in the browser meanwhile) and, if it still fails, says why and
 * how to allow it in a note under the controls, instead of doing nothing.
 */
import { useCallback, useState } from 'react';
import { controlProblems, type ControlProblems } from '../../engine/call/availability';
import type { Call } from '../../engine/call/call';
import type { LocalSnapshot } from '../../engine/call/local';
import type { MediaProblem } from '../../engine/call/media';

export type DeviceKind = keyof ControlProblems;

export interface DeviceControls extends ControlProblems {
  /** The note to show: the device whose click failed and why, while it still cannot be used. */
  note: { device: DeviceKind; problem: MediaProblem } | null;
  toggleMic(): Promise<void>;
  toggleCamera(): Promise<void>;
  dismiss(): void;
}

export function useDeviceControls(call: Call, local: LocalSnapshot): DeviceControls {
  const problems = controlProblems(local);
  const [clicked, setClicked] = useState<DeviceKind | null>(null);

  const toggle = useCallback(
    async (kind: DeviceKind) => {
      const before = controlProblems(call.local.snapshot)[kind];
      const snap = call.local.snapshot;
      if (kind === 'mic') await call.setAudio(before !== null || !snap.audio);
      else await call.setVideo(before !== null || !snap.video);
      setClicked(controlProblems(call.local.snapshot)[kind] !== null ? kind : null);
    },
    [call],
  );

  const noted = clicked === null ? null : problems[clicked];
  return {
    ...problems,
    note: clicked !== null && noted !== null ? { device: clicked, problem: noted } : null,
    toggleMic: useCallback(() => toggle('mic'), [toggle]),
    toggleCamera: useCallback(() => toggle('camera'), [toggle]),
    dismiss: useCallback(() => setClicked(null), []),
  };
}
