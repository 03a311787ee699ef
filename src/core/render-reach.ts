/**
 * Plain-text rendering of reachability plans and reports, for the CLI.
 *
 * Values that came from the host (URLs, the client's error lines) go through
 * {@link visibleText}, so control and bidi characters cannot rewrite the terminal.
 */

import { isAnswer, type ReachEndpoint, type ReachPlan, type ReachReport, type ReachResult } from './reach';
import { visibleText } from './visible-text';

function endpointLines(e: ReachEndpoint): string[] {
  const lines = [`  ${e.kind === 'proxy' ? 'proxy ' : 'mirror'} HEAD ${visibleText(e.url)}`, `         ${visibleText(e.route)}`];
  for (const reason of e.reasons) lines.push(`         listed: ${visibleText(reason)}`);
  if (e.skip) lines.push(`         ${visibleText(e.skip)}`);
  return lines;
}

/** What `envlens reach` will contact, before contacting it. */
export function renderReachPlan(plan: ReachPlan, target: string): string {
  if (plan.endpoints.length === 0) return `${target} ${plan.context}: no proxy or mirror configured; nothing to check.`;
  const contacted = plan.endpoints.filter((e) => !e.skip).length;
  const lines = [`${target} ${plan.context}: ${contacted} endpoint${contacted === 1 ? '' : 's'} to contact from the host (one HEAD request each):`];
  for (const e of plan.endpoints) lines.push(...endpointLines(e));
  for (const note of plan.notes) lines.push(`  note: ${visibleText(note)}`);
  return lines.join('\n');
}

function statusText(r: ReachResult): string {
  const ms = r.ms !== undefined ? ` in ${r.ms} ms` : '';
  switch (r.status) {
    case 'answers':
      return `answers ${r.httpStatus ?? ''}${ms}`;
    case 'proxy-auth-required':
      return `proxy-auth-required 407${ms} (up; wants credentials, none sent)`;
    case 'server-error':
      return `server-error ${r.httpStatus ?? ''}${ms}`;
    case 'skipped':
      return 'skipped';
    default:
      return `${r.status}${ms}`;
  }
}

/** The results of a reachability check, one block per endpoint, then a summary line. */
export function renderReachReport(report: ReachReport): string {
  const lines = [`${report.target} ${report.context}: ${report.client ? visibleText(report.client.version) : report.unavailable ?? 'no HTTP client'}`];
  if (report.results.length === 0) lines.push('  no proxy or mirror configured; nothing to check.');
  for (const r of report.results) {
    const mark = r.status === 'skipped' ? '-' : isAnswer(r.status) ? 'ok' : '!!';
    lines.push(`${mark.padEnd(3)}${r.kind === 'proxy' ? 'proxy ' : 'mirror'} ${visibleText(r.url)}  ${statusText(r)}`);
    lines.push(`         ${visibleText(r.route)}`);
    for (const reason of r.reasons) lines.push(`         listed: ${visibleText(reason)}`);
    if (r.status === 'skipped' && r.skip) lines.push(`         ${visibleText(r.skip)}`);
    else if (r.detail && !isAnswer(r.status)) lines.push(`         ${visibleText(r.detail)}`);
  }
  for (const note of report.notes) lines.push(`note: ${visibleText(note)}`);
  const c = report.counts;
  lines.push(`answer: ${c.answers}, do not answer: ${c.failing}${c.skipped ? `, skipped: ${c.skipped}` : ''} (deadline ${report.timeoutSec} s each)`);
  return lines.join('\n');
}
