/**
 * A finished fleet run: how many hosts are alike, the groups, and for one chosen context
 * the hosts × variables matrix of only the variables that differ (proxy and toolchain
 * first), the reference value on top and deviations highlighted; tools whose effective
 * proxy differs; the hosts that failed, with why. Every host row leads to its snapshot,
 * or to a diff against a host like the reference.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FleetComparison, FleetContextComparison, FleetVariable } from '../../../core/fleet';
import { visibleText } from '../../../core/diff';
import { CONTEXT_LABELS, isContextId, type ContextId, type Snapshot } from '../../../shared/model';
import { KIND_TITLES } from '../../ui/error-box';
import { plural } from '../../ui/format';
import { IconAlert, IconArrowRight, IconCheck, IconColumns } from '../../ui/icons';
import { InlineCode } from '../../ui/inline-code';
import { statusLabel } from '../../ui/status';
import { Switch } from '../../ui/switch';
import { firstInterestingContext, fleetHeadline, fleetMatrix, groupLetter, type MatrixRow } from './fleet-matrix';

const CATEGORY_LABELS: Record<NonNullable<FleetVariable['category']>, string> = { proxy: 'proxy', tls: 'TLS', toolchain: 'toolchain', path: 'search path' };
const ROW_HEIGHT = 46;
const HOST_WIDTH = 340;
const COLUMN_MIN = 220;
/** Longest value text drawn in a matrix cell; the cell's tooltip and the diff show all. */
const CELL_LIMIT = 300;

export interface FleetResultsProps {
  comparison: FleetComparison;
  /** A captured host's snapshot (fetched on demand: results hold no snapshots). */
  loadSnapshot: (target: string) => Promise<Snapshot>;
  onOpenSnapshot: (snapshot: Snapshot, target: string) => void;
  onCompareHosts: (snapshots: Snapshot[], context: ContextId) => void;
}

function shortValue(value: string | undefined): string {
  if (value === undefined) return 'not set';
  if (value === '') return '(empty)';
  const text = visibleText(value.length > CELL_LIMIT ? value.slice(0, CELL_LIMIT) : value);
  return value.length > CELL_LIMIT ? `${text}…` : text;
}

export function FleetSummary({ comparison }: { comparison: FleetComparison }) {
  const reference = comparison.reference.kind === 'baseline' ? `the baseline ${comparison.reference.target}` : 'the majority';
  const good = comparison.alike;
  return (
    <section className="card fleet-summary" aria-labelledby="fleet-headline">
      <div className={`fleet-headline ${good ? 'fleet-headline-good' : 'fleet-headline-warn'}`}>
        {good ? <IconCheck size={20} /> : <IconAlert size={20} />}
        <div>
          <h2 id="fleet-headline" data-testid="fleet-headline">
            {fleetHeadline(comparison)}
          </h2>
          <p className="muted">
            {good ? 'Every host was captured and is like ' : 'Compared with '}
            {reference} in {plural(comparison.contexts.length, 'context')}
            {comparison.counts.captured < comparison.counts.hosts &&
              ` · ${comparison.counts.captured.toLocaleString('en')} of ${comparison.counts.hosts.toLocaleString('en')} hosts captured`}
            .
          </p>
        </div>
      </div>
      {comparison.baselineProblem && <p className="notice">{comparison.baselineProblem}</p>}
      {comparison.groups.length > 0 && (
        <ul className="fleet-groups" aria-label="Groups of identical hosts" data-testid="fleet-groups">
          {comparison.groups.map((g, i) => (
            <li key={i} className="fleet-group">
              <span className={`group-tag group-${(i % 5) + 1}`}>{groupLetter(i)}</span>
              <span className="fleet-group-count">{plural(g.hosts.length, 'host')}</span>
              <span className="fleet-group-hosts mono" title={g.hosts.length > 40 ? `${g.hosts.slice(0, 40).join('\n')}\n… and ${g.hosts.length - 40} more` : g.hosts.join('\n')}>
                {g.hosts.slice(0, 4).join(', ')}
                {g.hosts.length > 4 && ` and ${g.hosts.length - 4} more`}
              </span>
              <span className="muted">{i === 0 && comparison.groups.length > 1 ? 'alike in every context' : g.hosts.length === 1 ? 'unlike every other host' : 'alike among themselves'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Failures listed in full here; beyond that the host list's Failed filter shows every one (10,000-host fleets). */
const FAILURES_SHOWN = 50;

export function FleetFailures({ comparison }: { comparison: FleetComparison }) {
  if (comparison.failed.length === 0) return null;
  const more = comparison.failed.length - FAILURES_SHOWN;
  return (
    <section className="card fleet-failures" aria-labelledby="fleet-failed-title" data-testid="fleet-failures">
      <div className="card-head">
        <h2 id="fleet-failed-title" className="card-title">
          {plural(comparison.failed.length, 'host')} could not be captured
        </h2>
      </div>
      <ul className="fleet-failed-list">
        {comparison.failed.slice(0, FAILURES_SHOWN).map((f) => (
          <li key={f.target} data-testid={`fleet-failed-${f.target}`}>
            <span className="mono fleet-failed-target">{f.target}</span>
            <span className="fleet-failed-kind">{KIND_TITLES[f.error.kind] ?? f.error.kind}</span>
            <span className="fleet-failed-message">
              {f.error.message}
              {f.error.hint && <span className="fleet-failed-hint">{f.error.hint}</span>}
            </span>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="muted" data-testid="fleet-failed-more">
          … and {plural(more, 'more host')}: the Failed filter of the host list below shows every one.
        </p>
      )}
    </section>
  );
}

export function FleetContextResults({ comparison, loadSnapshot, onOpenSnapshot, onCompareHosts }: FleetResultsProps) {
  const [chosen, setChosen] = useState<ContextId | undefined>(undefined);
  const [onlyOutliers, setOnlyOutliers] = useState(false);
  const contextId = useId();
  const context = chosen ?? firstInterestingContext(comparison);
  const ctx = comparison.perContext.find((c) => c.context === context);
  const matrix = useMemo(() => (ctx ? fleetMatrix(ctx, comparison.reference) : undefined), [ctx, comparison.reference]);
  if (!ctx || !matrix) return null;
  const rows = onlyOutliers ? matrix.rows.filter((r) => r.deviates) : matrix.rows;
  const referenceHost = matrix.referenceHost;
  const open = (target: string) => {
    loadSnapshot(target).then((s) => onOpenSnapshot(s, target), () => {});
  };
  const diff = (target: string) => {
    if (!referenceHost || referenceHost === target) return;
    Promise.all([loadSnapshot(referenceHost), loadSnapshot(target)]).then(([reference, s]) => onCompareHosts([reference, s], ctx.context), () => {});
  };
  const refWord = comparison.reference.kind === 'baseline' ? 'baseline' : 'majority';

  return (
    <section className="card fleet-context" aria-labelledby="fleet-context-title" data-testid="fleet-context">
      <div className="card-head fleet-context-head">
        <h2 id="fleet-context-title" className="card-title">
          Differences in one context
        </h2>
        <label htmlFor={contextId} className="pair-pickers">
          <span className="muted">Context</span>
          <select id={contextId} className="select mono" value={ctx.context} onChange={(e) => isContextId(e.target.value) && setChosen(e.target.value)} data-testid="fleet-context-select">
            {comparison.perContext.map((c) => (
              <option key={c.context} value={c.context}>
                {c.context}
                {c.variables.length > 0 ? ` (${c.variables.length} differ)` : c.statusDeviating.length > 0 ? ' (status differs)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="card-intro">
        <InlineCode text={CONTEXT_LABELS[ctx.context]} />. {contextSummary(ctx)}
      </p>
      <div className="fleet-context-tools">
        <ul className="fleet-context-groups" aria-label={`Groups in ${ctx.context}`}>
          {ctx.groups.map((g, i) => (
            <li key={i}>
              <span className={`group-tag group-${(i % 5) + 1}`}>{groupLetter(i)}</span> {plural(g.hosts.length, 'host')}
              {g.status && g.status !== 'ok' && <span className="muted"> · {statusLabel(g.status)}</span>}
            </li>
          ))}
        </ul>
        <Switch checked={onlyOutliers} onChange={setOnlyOutliers} testId="fleet-only-outliers">
          Only hosts that differ ({matrix.deviating})
        </Switch>
      </div>
      {ctx.variables.length === 0 && ctx.statusDeviating.length === 0 ? (
        <p className="fleet-alike" data-testid="fleet-context-alike">
          <IconCheck /> Every captured host has the same {ctx.context} environment{ctx.counts.ignored > 0 && ` (${plural(ctx.counts.ignored, 'host-specific or volatile variable')} left out)`}.
        </p>
      ) : (
        <FleetMatrixView
          ctx={ctx}
          rows={rows}
          refWord={refWord}
          referenceHost={matrix.referenceHost}
          onOpen={open}
          onDiff={referenceHost ? diff : undefined}
        />
      )}
      {ctx.proxy.length > 0 && (
        <div className="fleet-proxy" data-testid="fleet-proxy">
          <h3 className="fix-section-title">Tools that would use another proxy for {ctx.proxy[0]!.url}</h3>
          <table className="fix-table">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">{refWord}</th>
                <th scope="col">Elsewhere</th>
              </tr>
            </thead>
            <tbody>
              {ctx.proxy.map((p) => (
                <tr key={p.tool}>
                  <th scope="row" className="mono">
                    {p.tool}
                  </th>
                  <td className="mono">{p.decisions[0]?.text}</td>
                  <td>
                    {p.decisions.slice(1).map((d) => (
                      <span key={d.text} className="fleet-proxy-other">
                        <span className="mono">{d.text}</span>
                        <span className="muted"> on {d.hosts && d.hosts.length <= 3 ? d.hosts.join(', ') : plural(d.count, 'host')}</span>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function contextSummary(ctx: FleetContextComparison): string {
  const parts: string[] = [];
  parts.push(`${plural(ctx.counts.captured, 'host')} captured`);
  if (ctx.counts.differing > 0) parts.push(`${plural(ctx.counts.differing, 'variable')} of ${ctx.counts.variables} differ`);
  if (ctx.statusDeviating.length > 0) parts.push(`${plural(ctx.statusDeviating.length, 'host')} with another status`);
  if (ctx.counts.ignored > 0) parts.push(`${plural(ctx.counts.ignored, 'host-specific or volatile variable')} left out`);
  return `${parts.join(' · ')}.`;
}

interface MatrixViewProps {
  ctx: FleetContextComparison;
  rows: MatrixRow[];
  refWord: string;
  referenceHost: string | undefined;
  onOpen: (target: string) => void;
  onDiff: ((target: string) => void) | undefined;
}

function FleetMatrixView({ ctx, rows, refWord, referenceHost, onOpen, onDiff }: MatrixViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const variables = ctx.variables;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]?.target ?? i,
  });
  const template = `${HOST_WIDTH}px repeat(${Math.max(1, variables.length)}, minmax(${COLUMN_MIN}px, 1fr))`;
  const minWidth = HOST_WIDTH + Math.max(1, variables.length) * COLUMN_MIN;
  return (
    <div
      ref={scrollRef}
      className="fleet-matrix"
      role="table"
      aria-label={`Hosts and the variables that differ in ${ctx.context}`}
      aria-rowcount={rows.length + 1}
      tabIndex={0}
      data-testid="fleet-matrix"
    >
      <div className="fleet-matrix-head" role="row" style={{ gridTemplateColumns: template, minWidth }}>
        <div className="colhead" role="columnheader">
          <span className="colhead-title">host</span>
          <span className="colhead-sub">{plural(rows.length, 'host')} shown</span>
        </div>
        {variables.length === 0 ? (
          <div className="colhead" role="columnheader">
            <span className="colhead-title">status</span>
          </div>
        ) : (
          variables.map((v) => (
            <div key={v.name} className="colhead" role="columnheader" data-testid={`fleet-col-${v.name}`} title={`${refWord}: ${v.values[0]?.value ?? 'not set'}`}>
              <span className="colhead-title">
                {v.name} {v.category && <span className={`badge badge-${v.category}`}>{CATEGORY_LABELS[v.category]}</span>}
              </span>
              <span className="colhead-sub">
                {refWord}
                {v.tied ? ' (tie)' : ''}: <span className="mono">{shortValue(v.values[0]?.value)}</span>
              </span>
            </div>
          ))
        )}
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              className={`fleet-matrix-row${row.deviates ? ' fleet-row-deviates' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template, height: ROW_HEIGHT }}
              data-testid={`fleet-row-${row.target}`}
              data-deviates={row.deviates}
            >
              <div className="cell fleet-host-cell" role="rowheader">
                <span className={`group-tag group-${(row.group % 5) + 1}`} title={`group ${groupLetter(row.group)}`}>
                  {groupLetter(row.group)}
                </span>
                <span className="fleet-host-name mono" title={row.target}>
                  {row.target}
                </span>
                {row.target === referenceHost && (
                  <span className="badge" title="The other hosts' Diff buttons compare with this one">
                    reference
                  </span>
                )}
                <span className="fleet-row-actions">
                  {row.status === 'ok' && (
                    <button type="button" className="icon-button" aria-label={`Open ${row.target}`} title="Open its snapshot in compare" onClick={() => onOpen(row.target)}>
                      <IconArrowRight />
                    </button>
                  )}
                  {row.status === 'ok' && onDiff && row.target !== referenceHost && (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Diff ${row.target} with ${referenceHost}`}
                      title={`Compare with ${referenceHost} in ${ctx.context}`}
                      onClick={() => onDiff(row.target)}
                    >
                      <IconColumns />
                    </button>
                  )}
                </span>
              </div>
              {variables.length === 0 ? (
                <div className="cell fleet-cell" role="cell">
                  {statusLabel(row.status)}
                </div>
              ) : (
                variables.map((v, vi) => <MatrixCell key={v.name} variable={v} index={row.cells[vi]!} row={row} />)
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function MatrixCell({ variable, index, row }: { variable: FleetVariable; index: number; row: MatrixRow }) {
  if (index < 0) {
    return (
      <div className="cell fleet-cell fleet-cell-off" role="cell" title={row.reason}>
        {statusLabel(row.status)}
      </div>
    );
  }
  const value = variable.values[index]?.value;
  const full = value === undefined ? 'not set' : value;
  if (index === 0) {
    return (
      <div className="cell fleet-cell fleet-cell-ref" role="cell" title={full}>
        <span className="visually-hidden">same as the reference: </span>
        {shortValue(value)}
      </div>
    );
  }
  return (
    <div className={`cell fleet-cell cell-variant variant-${((index - 1) % 5) + 1}${value === undefined ? ' fleet-cell-unset' : ''}`} role="cell" title={full} data-testid={`fleet-cell-${row.target}-${variable.name}`}>
      <span className="visually-hidden">differs: </span>
      {shortValue(value)}
    </div>
  );
}
