/**
 * A button of the call's control bar. Toggles say their state with
 * `aria-pressed`; a button that opens something says so with `aria-expanded`.
 */
import type { ReactNode } from 'react';
import { resumeAudio } from '../engine/call/env';

interface Props {
  testId: string;
  pressed: boolean;
  label: string;
  /** A longer tooltip than the label (why it is disabled, say). */
  title?: string;
  danger?: boolean;
  disabled?: boolean;
  /**
   * Cannot work now (the browser blocked the camera, say): shown and told as
   * unavailable, yet still clickable, because a click after the person
   * allowed it in the browser is how it comes back.
   */
  unavailable?: boolean;
  onClick: () => void;
  children: ReactNode;
  expanded?: boolean;
}

export function ControlButton({ testId, pressed, label, title, danger, disabled, unavailable, onClick, children, expanded }: Props) {
  return (
    <button
      type="button"
      className={`control${pressed ? ' pressed' : ''}${danger ? ' danger' : ''}${unavailable ? ' unavailable' : ''}`}
      data-testid={testId}
      aria-pressed={expanded === undefined ? pressed : undefined}
      aria-expanded={expanded}
      title={title ?? label}
      disabled={disabled}
      aria-disabled={unavailable || undefined}
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
