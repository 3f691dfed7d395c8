/** An on/off setting: a button with `role="switch"` and `aria-checked`, its label beside it. */
interface Props {
  testId: string;
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
}

export function Switch({ testId, label, hint, checked, disabled, onChange }: Props) {
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        className="switch"
        data-testid={testId}
        aria-checked={checked}
        aria-label={label}
        title={hint ?? label}
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-knob" aria-hidden="true" />
      </button>
      <span className="switch-label" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
