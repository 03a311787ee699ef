/**
 * The host picker: `local` first, then recent targets, ~/.ssh/config aliases and the
 * ones typed in this session; a form to add a target by text.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { TargetEntry } from '../../../shared/api';
import { formatRelative } from '../../ui/format';
import { IconLaptop, IconPlus, IconRefresh, IconServer } from '../../ui/icons';
import type { UseTargets } from './use-targets';

export interface HostsPanelProps {
  targets: UseTargets;
  selected: string;
  onSelect: (target: string) => void;
  /** Target currently being captured, marked with a spinner. */
  busyTarget?: string | undefined;
}

export function HostsPanel({ targets, selected, onSelect, busyTarget }: HostsPanelProps) {
  const { groups } = targets;
  const onListKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button.host-item'));
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    event.preventDefault();
    const next = buttons[Math.min(buttons.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    next?.focus();
  };
  const section = (title: string, entries: TargetEntry[]) =>
    entries.length > 0 && (
      <section className="host-group" aria-label={title}>
        <h3 className="sidebar-heading">{title}</h3>
        <ul role="list">
          {entries.map((entry) => (
            <li key={entry.target}>
              <HostItem entry={entry} selected={entry.target === selected} busy={entry.target === busyTarget} onSelect={onSelect} />
            </li>
          ))}
        </ul>
      </section>
    );
  return (
    <nav className="hosts" aria-label="Hosts" onKeyDown={onListKey}>
      <div className="sidebar-title">
        <h2>Hosts</h2>
        <button type="button" className="icon-button" onClick={targets.reload} aria-label="Reload hosts" title="Reload hosts">
          <IconRefresh />
        </button>
      </div>
      <div className="host-groups">
        {section('This machine', groups.builtin)}
        {section('Recent', groups.recent)}
        {section('SSH config', groups.sshConfig)}
        {section('Added', groups.added)}
        {targets.loading && <p className="sidebar-note">Reading ~/.ssh/config…</p>}
        {targets.error && (
          <p className="sidebar-note sidebar-error" role="alert">
            Could not list hosts: {targets.error.message}. {targets.error.hint}{' '}
            <button type="button" className="link-button" onClick={targets.reload}>
              Retry
            </button>
          </p>
        )}
      </div>
      <AddTargetForm targets={targets} onAdded={onSelect} />
    </nav>
  );
}

function HostItem({ entry, selected, busy, onSelect }: { entry: TargetEntry; selected: boolean; busy: boolean; onSelect: (t: string) => void }) {
  const Icon = entry.target === 'local' ? IconLaptop : IconServer;
  return (
    <button
      type="button"
      className="host-item"
      aria-current={selected ? 'true' : undefined}
      data-testid={`host-item-${entry.target}`}
      onClick={() => onSelect(entry.target)}
    >
      <Icon className="host-item-icon" />
      <span className="host-item-text">
        <span className="host-item-name">{entry.target}</span>
        {entry.description && <span className="host-item-desc">{entry.description}</span>}
      </span>
      {busy ? (
        <span className="spinner" role="img" aria-label="capturing" />
      ) : (
        entry.lastCapturedAt && <span className="host-item-when">{formatRelative(entry.lastCapturedAt)}</span>
      )}
    </button>
  );
}

function AddTargetForm({ targets, onAdded }: { targets: UseTargets; onAdded: (target: string) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const inputId = useId();
  const errorId = useId();
  return (
    <form
      className="add-target"
      onSubmit={(event) => {
        event.preventDefault();
        const result = targets.addTarget(text);
        if (result.ok) {
          setText('');
          setError(undefined);
          onAdded(result.target);
        } else {
          setError(result.message);
        }
      }}
    >
      <label htmlFor={inputId} className="add-target-label">
        Add a host
      </label>
      <div className="add-target-row">
        <input
          id={inputId}
          className="input mono"
          value={text}
          placeholder="user@host:port or alias"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
          data-testid="add-target-input"
          onChange={(event) => {
            setText(event.target.value);
            if (error) setError(undefined);
          }}
        />
        <button type="submit" className="button" aria-label="Add host" disabled={text.trim() === ''}>
          <IconPlus />
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert" data-testid="add-target-error">
          {error}
        </p>
      )}
    </form>
  );
}
