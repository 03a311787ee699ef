/**
 * A labelled on/off control: a real checkbox (so keyboard, forms and `getByRole('checkbox')`
 * work) drawn as a switch.
 */
import type { ReactNode } from 'react';

export interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
  testId?: string;
  disabled?: boolean;
  title?: string;
}

export function Switch({ checked, onChange, children, testId, disabled, title }: SwitchProps) {
  return (
    <label className="switch" title={title}>
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        data-testid={testId}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
      <span className="switch-label">{children}</span>
    </label>
  );
}
