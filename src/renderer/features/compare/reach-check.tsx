/**
 * "Check that these answer…": reachability of one context's proxies and mirrors, from
 * the host, only when the person asks.
 *
 * The button only plans; a dialog lists exactly which endpoints would be contacted (one
 * HEAD request each, from the host) and why, and nothing is sent until the person
 * confirms. Results are shown per endpoint with status and time, per context; a running
 * check can be cancelled. docs/reachability.md says what is sent.
 */
import { useEffect, useRef } from 'react';
import { isAnswer, type ReachEndpoint, type ReachResult } from '../../../core/reach';
import { visibleText } from '../../../core/visible-text';
import type { ContextId } from '../../../shared/model';
import { ErrorBox } from '../../ui/error-box';
import { Modal } from '../../ui/modal';
import { IconShield } from '../../ui/icons';
import type { UseReach } from './use-reach';

/** Props of {@link ReachCheck}. */
export interface ReachCheckProps {
  reach: UseReach;
  context: ContextId;
  /** The host the check runs on, as shown to the person. */
  target: string;
  /** Deadline of each check, seconds (shown in the dialog). */
  timeoutSec: number;
}

/** The panel's "Do they answer?" section for one context: the button, the confirmation dialog, progress with Cancel, and the results. */
export function ReachCheck({ reach, context, target, timeoutSec }: ReachCheckProps) {
  const state = reach.stateOf(context);
  return (
    <section className="reach" aria-label="Reachability" data-testid="reach-section">
      <h3 className="proxy-section-title">Do they answer?</h3>
      {state.step === 'idle' || state.step === 'review' ? (
        <>
          <p className="panel-note">Nothing is contacted until you confirm: the button only lists what a check would contact from {target}.</p>
          <button type="button" className="button" data-testid="reach-open" onClick={() => reach.review(context)}>
            Check that these answer…
          </button>
        </>
      ) : null}
      {state.step === 'review' && <ReviewDialog reach={reach} context={context} target={target} timeoutSec={timeoutSec} endpoints={state.plan.endpoints} notes={state.plan.notes} />}
      {state.step === 'running' && (
        <div className="reach-running" role="status" data-testid="reach-running">
          <span className="spinner" aria-hidden="true" />
          <span>
            {state.cancelling ? 'Stopping the check on the host…' : `Checking ${state.plan.endpoints.filter((e) => !e.skip).length} endpoints from ${target} (at most ${timeoutSec} s each)…`}
          </span>
          <button type="button" className="button button-small" data-testid="reach-cancel" disabled={state.cancelling === true} onClick={() => reach.cancel(context)}>
            Cancel
          </button>
        </div>
      )}
      {state.step === 'failed' && (
        <ErrorBox
          error={state.error}
          testId="reach-error"
          actions={
            <button type="button" className="button button-small" onClick={() => reach.review(context)}>
              Check again…
            </button>
          }
        />
      )}
      {state.step === 'done' && (
        <>
          <p className="panel-note" data-testid="reach-summary" aria-live="polite">
            {state.report.unavailable
              ? `Nothing was checked: ${state.report.unavailable}.`
              : `${state.report.counts.answers} of ${state.report.counts.answers + state.report.counts.failing} answer${state.report.counts.skipped ? `, ${state.report.counts.skipped} skipped` : ''} · ${state.report.client ? visibleText(state.report.client.version.split(' ').slice(0, 2).join(' ')) : ''} on ${target}, ${new Date(state.report.checkedAt).toLocaleTimeString()}`}
          </p>
          <ResultsTable results={state.report.results} />
          <div className="finding-actions">
            <button type="button" className="button button-small" data-testid="reach-again" onClick={() => reach.review(context)}>
              Check again…
            </button>
            <button type="button" className="button button-small" onClick={() => reach.dismiss(context)}>
              Clear
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ReviewDialog({ reach, context, target, timeoutSec, endpoints, notes }: ReachCheckProps & { endpoints: ReachEndpoint[]; notes: string[] }) {
  const contacted = endpoints.filter((e) => !e.skip);
  const skipped = endpoints.filter((e) => e.skip);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // After the dialog opened (its effect runs first), so Enter confirms what is listed.
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <Modal
      title={
        <>
          Contact these from <span className="mono">{target}</span>?
        </>
      }
      icon={<IconShield size={18} />}
      size="medium"
      testId="reach-dialog"
      onCancel={() => reach.dismiss(context)}
      onSubmit={() => reach.confirm(context)}
      actions={
        <>
          <button type="button" className="button" onClick={() => reach.dismiss(context)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" data-testid="reach-confirm" disabled={contacted.length === 0} ref={confirmRef}>
            {contacted.length === 0 ? 'Nothing to check' : `Check ${contacted.length} endpoint${contacted.length === 1 ? '' : 's'}`}
          </button>
        </>
      }
    >
      <p>
        envlens will run curl (or wget) on <span className="mono">{target}</span> in one SSH session: <strong>one HEAD request</strong> per endpoint below, as the{' '}
        <span className="mono">{context}</span> context would route it, at most {timeoutSec} s each. No credentials and no other data are sent.
      </p>
      {contacted.length === 0 ? (
        <p className="panel-note" data-testid="reach-nothing">
          This context has no proxy or mirror to check.
        </p>
      ) : (
        <ul className="reach-list" data-testid="reach-endpoints">
          {contacted.map((e) => (
            <EndpointItem key={e.key} endpoint={e} />
          ))}
        </ul>
      )}
      {skipped.length > 0 && (
        <>
          <h3 className="proxy-section-title">Listed, not contacted</h3>
          <ul className="reach-list" data-testid="reach-skipped">
            {skipped.map((e) => (
              <EndpointItem key={e.key} endpoint={e} />
            ))}
          </ul>
        </>
      )}
      {notes.map((n) => (
        <p key={n} className="panel-note">
          {visibleText(n)}
        </p>
      ))}
    </Modal>
  );
}

function EndpointItem({ endpoint: e }: { endpoint: ReachEndpoint }) {
  return (
    <li data-testid="reach-endpoint" data-url={e.url} data-connect={`${e.connect.host}:${e.connect.port}`}>
      <span className={`badge ${e.kind === 'proxy' ? 'badge-proxy' : 'badge-toolchain'}`}>{e.kind}</span> <span className="mono">HEAD {visibleText(e.url)}</span>
      <span className="proxy-why">{visibleText(e.route)}</span>
      {e.reasons.map((r) => (
        <span key={r} className="proxy-why">
          {visibleText(r)}
        </span>
      ))}
      {e.skip && <span className="proxy-why">{visibleText(e.skip)}</span>}
    </li>
  );
}

/** Short label of a status, as the results table shows it. */
function statusLabel(r: ReachResult): string {
  switch (r.status) {
    case 'answers':
      return `answers ${r.httpStatus ?? ''}`.trim();
    case 'proxy-auth-required':
      return '407 wants credentials';
    case 'server-error':
      return `server error ${r.httpStatus ?? ''}`.trim();
    default:
      return r.status;
  }
}

function ResultsTable({ results }: { results: ReachResult[] }) {
  return (
    <table className="proxy-table" data-testid="reach-results">
      <thead>
        <tr>
          <th scope="col">endpoint</th>
          <th scope="col">result</th>
        </tr>
      </thead>
      <tbody>
        {results.map((r) => (
          <tr key={r.key} data-testid="reach-result" data-url={r.url} data-status={r.status}>
            <th scope="row">
              <span className={`badge ${r.kind === 'proxy' ? 'badge-proxy' : 'badge-toolchain'}`}>{r.kind}</span> <span className="proxy-via">{visibleText(r.url)}</span>
              <span className="proxy-why">{visibleText(r.route)}</span>
            </th>
            <td>
              <span className={`reach-status reach-${r.status === 'skipped' ? 'skipped' : isAnswer(r.status) ? 'ok' : 'bad'}`} data-testid="reach-status">
                {statusLabel(r)}
              </span>
              {r.ms !== undefined && r.status !== 'skipped' && <span className="reach-ms"> {r.ms} ms</span>}
              {r.status === 'skipped' && r.skip && <span className="proxy-why">{visibleText(r.skip)}</span>}
              {r.detail && !isAnswer(r.status) && <span className="proxy-why mono">{visibleText(r.detail)}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
