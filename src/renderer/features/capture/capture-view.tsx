/**
 * The capture screen of one host: what will be captured, the live progress of each
 * context, the elapsed time, Cancel, and errors with what to do about them.
 */
import { useState } from 'react';
import type { SnapshotMeta, TargetEntry } from '../../../shared/api';
import { CONTEXT_IDS, CONTEXT_LABELS, type ContextId } from '../../../shared/model';
import { ErrorBox } from '../../ui/error-box';
import { InlineCode } from '../../ui/inline-code';
import { formatDuration, formatRelative, plural } from '../../ui/format';
import { IconArrowRight, IconLaptop, IconRefresh, IconServer, IconX } from '../../ui/icons';
import { StatusDot, statusLabel, type ProgressStatus } from '../../ui/status';
import { useNow } from '../../ui/use-now';
import type { CaptureState } from './capture-state';
import type { UseCapture } from './use-capture';

export interface CaptureViewProps {
  entry: TargetEntry;
  capture: UseCapture;
  /** Saved snapshots of this target, newest first. */
  history: SnapshotMeta[];
  onOpenSnapshot: (id: string) => void;
}

export function CaptureView({ entry, capture, history, onOpenSnapshot }: CaptureViewProps) {
  const [chosen, setChosen] = useState<ReadonlySet<ContextId>>(() => new Set(CONTEXT_IDS));
  const [trace, setTrace] = useState(true);
  const [workspace, setWorkspace] = useState('');
  const mine = capture.state.request?.target === entry.target ? capture.state : undefined;
  const otherRunning = capture.running && !mine;
  const isLocal = entry.target === 'local';
  const Icon = isLocal ? IconLaptop : IconServer;

  const startCapture = () => {
    const contexts = CONTEXT_IDS.filter((c) => chosen.has(c));
    capture.start({ target: entry.target, trace, ...(contexts.length === CONTEXT_IDS.length ? {} : { contexts }), ...(workspace.trim() ? { workspace: workspace.trim() } : {}) });
  };

  return (
    <div className="page capture-page">
      <header className="page-header">
        <div className="page-title">
          <Icon size={22} className="page-title-icon" />
          <div>
            <h1 data-testid="capture-target">{entry.target}</h1>
            <p className="page-subtitle">
              {entry.description ?? (isLocal ? 'this machine' : 'SSH target')}
              {entry.source === 'ssh-config' && ' · from ~/.ssh/config'}
              {entry.lastCapturedAt && ` · last captured ${formatRelative(entry.lastCapturedAt)}`}
            </p>
          </div>
        </div>
        <div className="page-actions">
          {mine && capture.running ? (
            <button type="button" className="button" onClick={capture.cancel} disabled={mine.phase === 'cancelling' || !mine.captureId}>
              <IconX /> {mine.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              onClick={startCapture}
              disabled={otherRunning || chosen.size === 0}
              data-testid="capture-button"
            >
              {mine ? <IconRefresh /> : <IconArrowRight />}
              {mine ? 'Capture again' : isLocal ? 'Capture' : 'Connect and capture'}
            </button>
          )}
        </div>
      </header>

      {otherRunning && (
        <p className="notice">A capture of {capture.state.request?.target} is running; wait for it or cancel it first.</p>
      )}

      {mine ? (
        <CaptureProgress state={mine} capture={capture} onOpenSnapshot={onOpenSnapshot} />
      ) : (
        <CaptureOptions chosen={chosen} setChosen={setChosen} trace={trace} setTrace={setTrace} workspace={workspace} setWorkspace={setWorkspace} />
      )}

      {history.length > 0 && (
        <section className="card" aria-labelledby="host-history-title">
          <h2 id="host-history-title" className="card-title">
            Saved snapshots of {entry.target}
          </h2>
          <ul className="history-list" role="list">
            {history.slice(0, 8).map((meta) => (
              <li key={meta.id}>
                <button type="button" className="history-item" onClick={() => onOpenSnapshot(meta.id)}>
                  <span className="history-when">{formatRelative(meta.capturedAt)}</span>
                  <span className="history-host mono">{meta.hostname}</span>
                  <span className="history-stats">{plural(meta.statuses.ok ?? 0, 'context')} captured</span>
                  <IconArrowRight className="history-go" />
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function CaptureOptions({
  chosen,
  setChosen,
  trace,
  setTrace,
  workspace,
  setWorkspace,
}: {
  chosen: ReadonlySet<ContextId>;
  setChosen: (s: ReadonlySet<ContextId>) => void;
  trace: boolean;
  setTrace: (t: boolean) => void;
  workspace: string;
  setWorkspace: (w: string) => void;
}) {
  const toggle = (id: ContextId, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  return (
    <section className="card" aria-labelledby="contexts-title">
      <div className="card-head">
        <h2 id="contexts-title" className="card-title">
          Contexts to capture
        </h2>
        <div className="card-head-actions">
          <button type="button" className="link-button" onClick={() => setChosen(new Set(CONTEXT_IDS))}>
            All
          </button>
          <button type="button" className="link-button" onClick={() => setChosen(new Set())}>
            None
          </button>
        </div>
      </div>
      <p className="card-intro">
        Each context starts the account&apos;s environment the way a real program gets it: an SSH command, a login shell, a
        terminal tab, the VS Code server… envlens then shows them side by side.
      </p>
      <ul className="context-choices" role="list">
        {CONTEXT_IDS.map((id) => (
          <li key={id}>
            <label className="context-choice">
              <input type="checkbox" checked={chosen.has(id)} onChange={(e) => toggle(id, e.target.checked)} />
              <span className="context-id mono">{id}</span>
              <span className="context-desc">
                <InlineCode text={CONTEXT_LABELS[id]} />
              </span>
            </label>
          </li>
        ))}
      </ul>
      <label className="context-choice trace-choice">
        <input type="checkbox" checked={trace} onChange={(e) => setTrace(e.target.checked)} />
        <span className="context-id">Record provenance</span>
        <span className="context-desc">trace the startup files, so every value shows the file and line that set it</span>
      </label>
      <label className="context-choice workspace-choice">
        <span className="context-id">VS Code workspace folder</span>
        <input
          className="input mono"
          type="text"
          placeholder="~/src/project (optional)"
          spellCheck={false}
          value={workspace}
          data-testid="workspace-input"
          onChange={(e) => setWorkspace(e.target.value)}
        />
        <span className="context-desc">
          also read its .vscode/settings.json and *.code-workspace on the host; the remote machine settings are always read (your local user settings cannot be)
        </span>
      </label>
    </section>
  );
}

function CaptureProgress({ state, capture, onOpenSnapshot }: { state: CaptureState; capture: UseCapture; onOpenSnapshot: (id: string) => void }) {
  const running = capture.running;
  const now = useNow(running);
  const end = state.finishedAt ?? now;
  const elapsed = state.startedAt ? Math.max(0, end - state.startedAt) : 0;
  const doneCount = state.contexts.filter((c) => (state.progress[c]?.status ?? 'pending') !== 'pending').length;
  const headline = phaseHeadline(state);
  return (
    <section className="card capture-progress" aria-labelledby="progress-title" aria-busy={running}>
      <div className="card-head">
        <h2 id="progress-title" className="card-title" data-testid="capture-phase">
          {headline}
        </h2>
        <span className="elapsed mono" data-testid="capture-elapsed" aria-label={`elapsed ${formatDuration(elapsed)}`}>
          {formatDuration(elapsed)}
        </span>
      </div>
      {state.connection && (
        <p className="card-intro">
          {state.request?.target === 'local' ? 'Running locally as ' : 'SSH to '}
          <span className="mono">
            {state.connection.user}@{state.connection.host}:{state.connection.port}
          </span>
          {state.connection.ms !== undefined && ` · connected in ${formatDuration(state.connection.ms)}`}
        </p>
      )}
      <div className="progress-bar" role="progressbar" aria-label="contexts done" aria-valuemin={0} aria-valuemax={state.contexts.length} aria-valuenow={doneCount}>
        <span style={{ width: `${state.contexts.length ? (doneCount / state.contexts.length) * 100 : 0}%` }} />
      </div>
      <ol className="context-progress" aria-label="Context progress">
        {state.contexts.map((id) => {
          const p = state.progress[id] ?? { status: 'pending' as const };
          const shown: ProgressStatus = p.status !== 'pending' ? p.status : state.phase === 'capturing' ? 'running' : running ? 'pending' : 'skipped';
          return (
            <li key={id} className={`context-row context-row-${shown}`} data-testid={`context-status-${id}`} data-status={p.status}>
              <StatusDot status={shown} />
              <span className="context-id mono">{id}</span>
              <span className="context-status-label">{statusLabel(shown)}</span>
              <span className="context-detail">
                {p.status === 'ok' && p.variables !== undefined && plural(p.variables, 'variable')}
                {p.reason && (
                  <span className="context-reason" title={p.reason}>
                    {p.reason}
                  </span>
                )}
              </span>
              <span className="context-time mono">{p.durationMs !== undefined ? formatDuration(p.durationMs) : ''}</span>
            </li>
          );
        })}
      </ol>
      {state.phase === 'failed' && state.error && (
        <ErrorBox
          error={state.error}
          testId="capture-error"
          actions={
            <button type="button" className="button" onClick={capture.retry}>
              <IconRefresh /> Retry
            </button>
          }
        />
      )}
      {state.phase === 'done' && state.snapshot && (
        <div className="capture-done">
          <span>
            Saved snapshot of <strong>{state.snapshot.hostname}</strong>: {plural(state.snapshot.statuses.ok ?? 0, 'context')} captured
            {(state.snapshot.statuses.unavailable ?? 0) > 0 && `, ${state.snapshot.statuses.unavailable} unavailable`}
            {(state.snapshot.statuses.timeout ?? 0) > 0 && `, ${state.snapshot.statuses.timeout} timed out`}.
          </span>
          <button type="button" className="button button-primary" onClick={() => state.snapshot && onOpenSnapshot(state.snapshot.id)}>
            Compare <IconArrowRight />
          </button>
        </div>
      )}
      {state.log.length > 0 && (
        <details className="capture-log">
          <summary>Log ({state.log.length})</summary>
          <pre className="mono">{state.log.join('\n')}</pre>
        </details>
      )}
    </section>
  );
}

function phaseHeadline(state: CaptureState): string {
  switch (state.phase) {
    case 'starting':
      return 'Starting…';
    case 'connecting':
      return state.connection ? `Connecting to ${state.connection.user}@${state.connection.host}…` : 'Connecting…';
    case 'capturing':
      return 'Capturing contexts…';
    case 'cancelling':
      return 'Cancelling…';
    case 'done':
      return 'Capture complete';
    case 'failed':
      return state.error?.kind === 'cancelled' ? 'Capture cancelled' : 'Capture failed';
    case 'idle':
      return 'Ready';
  }
}
