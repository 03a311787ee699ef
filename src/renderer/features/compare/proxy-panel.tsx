/**
 * Which proxy each tool really uses in one context, for one URL, and what the tools
 * themselves resolve (go env, git config…) when the capture recorded it; and, only when
 * the person asks and confirms, whether those proxies and mirrors answer from the host.
 */
import { useId, useMemo, useState } from 'react';
import { effectiveProxySummary, type ProxyDecision } from '../../../core/proxy';
import type { EnvColumn } from '../../../core/diff';
import { isContextId, type Snapshot, type ToolView } from '../../../shared/model';
import { visibleText } from '../../../core/visible-text';
import { ReachCheck } from './reach-check';
import { useReach } from './use-reach';

/** Deadline of each reachability check started from the panel, seconds. */
const REACH_TIMEOUT_SEC = 5;

export interface ProxyPanelProps {
  columns: EnvColumn[];
  /** Column to show first. */
  initial: string | undefined;
  /** What the tools resolve per column key (from the snapshot), when recorded. */
  tools: (key: string) => Record<string, ToolView> | undefined;
  /** The snapshot whose contexts are the columns, and the target to check reachability from; absent: no check offered. */
  reach?: { target: string; snapshot: Snapshot } | undefined;
}

export function ProxyPanel({ columns, initial, tools, reach }: ProxyPanelProps) {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [url, setUrl] = useState('https://proxy.golang.org');
  const contextId = useId();
  const urlId = useId();
  const column = columns.find((c) => c.key === (chosen ?? initial)) ?? columns[0];
  const summary = useMemo(() => (column?.env ? effectiveProxySummary(column.env, url.trim() || 'https://proxy.golang.org') : undefined), [column, url]);
  if (!column || !summary) return <p className="panel-note">No captured context to inspect.</p>;
  const toolViews = tools(column.key);
  return (
    <div data-testid="proxy-panel">
      <div className="proxy-controls">
        <label htmlFor={contextId}>Context</label>
        <select id={contextId} className="select mono" value={column.key} onChange={(e) => setChosen(e.target.value)}>
          {columns.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
        <label htmlFor={urlId}>Request URL</label>
        <input id={urlId} className="input mono" value={url} spellCheck={false} onChange={(e) => setUrl(e.target.value)} />
      </div>
      <DecisionTable title={`Requests to ${summary.url}`} decisions={summary.tools} testPrefix="proxy" />
      {summary.noProxyProbe && (
        <DecisionTable
          title={`Requests to ${summary.noProxyProbe.url} (listed in ${summary.noProxyProbe.variable} as “${summary.noProxyProbe.entry}”)`}
          decisions={summary.noProxyProbe.tools}
          testPrefix="noproxy"
        />
      )}
      {reach && isContextId(column.key) && <ReachSection key={reach.snapshot.id} target={reach.target} snapshot={reach.snapshot} context={column.key} />}
      {toolViews && Object.keys(toolViews).length > 0 && <ToolSettings tools={toolViews} />}
    </div>
  );
}

/** The reachability check of the chosen context; its hook keeps every context's result while the panel is open. */
function ReachSection({ target, snapshot, context }: { target: string; snapshot: Snapshot; context: Parameters<typeof ReachCheck>[0]['context'] }) {
  const reach = useReach(target, snapshot, REACH_TIMEOUT_SEC);
  return <ReachCheck reach={reach} context={context} target={target} timeoutSec={REACH_TIMEOUT_SEC} />;
}

function DecisionTable({ title, decisions, testPrefix }: { title: string; decisions: Record<string, ProxyDecision>; testPrefix: string }) {
  return (
    <>
      <h3 className="proxy-section-title">{title}</h3>
      <table className="proxy-table">
        <thead>
          <tr>
            <th scope="col">tool</th>
            <th scope="col">connects</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(decisions).map(([tool, d]) => (
            <tr key={tool} data-testid={`${testPrefix}-${tool}`}>
              <th scope="row" className="proxy-tool">
                {tool}
              </th>
              <td>
                <Decision decision={d} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Decision({ decision: d }: { decision: ProxyDecision }) {
  if (d.kind === 'proxy') {
    return (
      <>
        <span className="proxy-via">via {visibleText(d.proxy)}</span>
        <span className="proxy-why">from {d.variable}</span>
      </>
    );
  }
  switch (d.reason) {
    case 'no-proxy-match':
      return (
        <>
          <span className="proxy-direct">direct</span>
          <span className="proxy-why">
            “{visibleText(d.entry)}” in {d.variable} exempts this host from {visibleText(d.proxy)}
          </span>
        </>
      );
    case 'unset':
      return (
        <>
          <span className="proxy-direct">direct</span>
          <span className="proxy-why">no proxy configured</span>
        </>
      );
    case 'ignored':
      return (
        <>
          <span className="proxy-ignored">direct</span>
          <span className="proxy-why">{d.note}</span>
        </>
      );
  }
}

function ToolSettings({ tools }: { tools: Record<string, ToolView> }) {
  return (
    <>
      <h3 className="proxy-section-title">What the tools resolve</h3>
      <table className="proxy-table">
        <thead>
          <tr>
            <th scope="col">setting</th>
            <th scope="col">value and origin</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(tools).flatMap(([tool, view]) =>
            view.status !== 'ok' || !view.settings
              ? [
                  <tr key={tool}>
                    <th scope="row" className="proxy-tool">
                      {tool}
                    </th>
                    <td className="proxy-why">{view.reason ?? view.status}</td>
                  </tr>,
                ]
              : Object.entries(view.settings).map(([name, s]) => (
                  <tr key={`${tool}:${name}`}>
                    <th scope="row" className="proxy-tool">
                      {tool} {name}
                    </th>
                    <td>
                      <span className="proxy-via">{s.value === '' ? '(empty)' : visibleText(s.value)}</span>
                      <span className="proxy-why">{s.origin}</span>
                    </td>
                  </tr>
                )),
          )}
        </tbody>
      </table>
    </>
  );
}
