/**
 * The fleet screen: set up a run, follow it host by host (counts, a progress bar, every
 * host's state), cancel it, retry the failed hosts, and read the comparison when it ends.
 */
import type { TargetEntry } from '../../../shared/api';
import type { ContextId, Snapshot } from '../../../shared/model';
import { ErrorBox } from '../../ui/error-box';
import { formatDuration, plural } from '../../ui/format';
import { IconFleet, IconPlus, IconRefresh, IconX } from '../../ui/icons';
import { useNow } from '../../ui/use-now';
import { FleetHostsList } from './fleet-hosts-list';
import { FleetContextResults, FleetFailures, FleetSummary } from './fleet-results';
import { FleetSetup } from './fleet-setup';
import { countHosts, type FleetState } from './fleet-state';
import type { UseFleet } from './use-fleet';

export interface FleetViewProps {
  fleet: UseFleet;
  entries: TargetEntry[];
  onOpenSnapshot: (snapshot: Snapshot, target: string) => void;
  onCompareHosts: (snapshots: Snapshot[], context: ContextId) => void;
}

export function FleetView({ fleet, entries, onOpenSnapshot, onCompareHosts }: FleetViewProps) {
  const { state } = fleet;
  if (state.phase === 'idle') return <FleetSetup entries={entries} previous={state.request} onStart={fleet.start} onOpen={fleet.open} />;
  const comparison = state.phase === 'done' ? state.result?.comparison : undefined;
  const result = state.result;
  return (
    <div className="page page-wide fleet-page" data-testid="fleet-run">
      <RunHeader fleet={fleet} />
      <ProgressCard state={state} />
      {state.error && (
        <ErrorBox
          error={state.error}
          testId="fleet-error"
          actions={
            <button type="button" className="button" onClick={fleet.reset}>
              Back to the setup
            </button>
          }
        />
      )}
      {comparison && result && (
        <>
          <FleetSummary comparison={comparison} />
          <FleetContextResults comparison={comparison} loadSnapshot={fleet.loadSnapshot} onOpenSnapshot={onOpenSnapshot} onCompareHosts={onCompareHosts} />
          <FleetFailures comparison={comparison} />
        </>
      )}
      <section className="card" aria-labelledby="fleet-hosts-title">
        <div className="card-head">
          <h2 id="fleet-hosts-title" className="card-title">
            Hosts
          </h2>
        </div>
        <FleetHostsList
          hosts={state.hosts}
          groups={comparison?.groups}
          onOpen={
            result && state.phase === 'done'
              ? (target) => {
                  fleet.loadSnapshot(target).then(
                    (s) => onOpenSnapshot(s, target),
                    () => {},
                  );
                }
              : undefined
          }
        />
      </section>
    </div>
  );
}

function RunHeader({ fleet }: { fleet: UseFleet }) {
  const { state } = fleet;
  const counts = countHosts(state.hosts);
  const contexts = state.request?.contexts;
  return (
    <header className="page-header">
      <div className="page-title">
        <IconFleet size={22} className="page-title-icon" />
        <div>
          <h1 data-testid="fleet-title">Fleet of {plural(state.hosts.length, 'host')}</h1>
          <p className="page-subtitle">
            {state.openedFrom !== undefined ? (
              <span data-testid="fleet-opened-from">
                opened from <span className="mono">{state.openedFrom}</span> ·{' '}
              </span>
            ) : null}
            {contexts ? plural(contexts.length, 'context') : state.result ? plural(state.result.contexts.length, 'context') : 'every context'}
            {state.request?.baseline ? ` · baseline ${state.request.baseline}` : ' · compared with the majority'}
            {state.request?.acceptNew ? ' · recording unknown host keys' : ''}
          </p>
        </div>
      </div>
      <div className="page-actions">
        {fleet.running ? (
          <button type="button" className="button" onClick={fleet.cancel} disabled={state.phase === 'cancelling' || state.phase === 'loading' || !state.fleetId} data-testid="fleet-cancel">
            <IconX /> {state.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <>
            {state.phase === 'done' && counts.failed > 0 && state.openedFrom === undefined && (
              <button type="button" className="button" onClick={fleet.retryFailed} data-testid="fleet-retry">
                <IconRefresh /> Retry failed ({counts.failed})
              </button>
            )}
            <button type="button" className="button button-primary" onClick={fleet.reset} data-testid="fleet-new">
              <IconPlus /> New run
            </button>
          </>
        )}
      </div>
    </header>
  );
}

const PHASE_WORDS: Record<FleetState['phase'], string> = {
  idle: 'Ready',
  starting: 'Starting…',
  running: 'Capturing hosts…',
  cancelling: 'Cancelling…',
  loading: 'Comparing…',
  done: 'Done',
  failed: 'The run failed',
};

function ProgressCard({ state }: { state: FleetState }) {
  const counts = countHosts(state.hosts);
  const running = state.phase === 'starting' || state.phase === 'running' || state.phase === 'cancelling' || state.phase === 'loading';
  const now = useNow(running, 500);
  const elapsed = state.startedAt ? Math.max(0, (state.finishedAt ?? now) - state.startedAt) : 0;
  const finished = counts.done + counts.failed;
  return (
    <section className="card fleet-progress" aria-labelledby="fleet-progress-title" aria-busy={running}>
      <div className="card-head">
        <h2 id="fleet-progress-title" className="card-title" data-testid="fleet-phase">
          {state.phase === 'done' && state.result ? `Captured ${counts.done.toLocaleString('en')} of ${plural(counts.total, 'host')}` : state.openedFrom !== undefined && state.phase === 'loading' ? 'Importing and comparing…' : PHASE_WORDS[state.phase]}
        </h2>
        {state.openedFrom === undefined && (
          <span className="elapsed mono" aria-label={`elapsed ${formatDuration(elapsed)}`}>
            {formatDuration(elapsed)}
          </span>
        )}
      </div>
      <div className="progress-bar" role="progressbar" aria-label="hosts finished" aria-valuemin={0} aria-valuemax={counts.total} aria-valuenow={finished}>
        <span className={counts.failed > 0 ? 'progress-with-failures' : undefined} style={{ width: `${counts.total ? (finished / counts.total) * 100 : 0}%` }} />
      </div>
      <p className="fleet-counts" aria-live="polite" data-testid="fleet-counts">
        <span className="legend">
          <span className="status-dot status-ok" aria-hidden="true" /> <strong>{counts.done.toLocaleString('en')}</strong> captured
        </span>
        <span className="legend">
          <span className="status-dot status-error" aria-hidden="true" /> <strong>{counts.failed.toLocaleString('en')}</strong> failed
        </span>
        <span className="legend">
          <span className="status-dot status-running" aria-hidden="true" /> <strong>{counts.running.toLocaleString('en')}</strong> running
        </span>
        <span className="legend">
          <span className="status-dot status-pending" aria-hidden="true" /> <strong>{counts.pending.toLocaleString('en')}</strong> waiting
        </span>
      </p>
    </section>
  );
}
