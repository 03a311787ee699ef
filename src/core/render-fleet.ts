/**
 * Plain-text rendering of a {@link FleetComparison} for `envlens fleet` in a terminal.
 *
 * Outliers first, at a glance: a headline (`13 hosts: 11 alike, 1 differs, 1 failed`),
 * the failed hosts with why, the hosts that differ and in what, then one section per set
 * of contexts with the same differences: a matrix of the reference row ("majority (11
 * hosts)" or the baseline) and each deviating host against the differing variables,
 * `=` where a host has the reference value, `—` where the variable is not set; then the
 * tools whose effective proxy differs, and hosts whose context status is not the usual
 * one. Contexts with identical differences (GOPROXY differs in the six shell contexts)
 * are shown once. Long lists are capped with "… N more" (everything is in `--json`).
 * Values pass through `visibleText`, so nothing from a remote host reaches the
 * terminal as an escape sequence. Deterministic: same input, same bytes.
 */

import type { ContextId } from '../shared/model';
import { paint, type Style } from './ansi';
import type { FleetDrift } from './fleet-drift';
import { compareTargets, type FleetComparison, type FleetContextComparison, type FleetVariable } from './fleet';
import { displayWidth, padToWidth, truncateToWidth } from './text-width';
import { visibleText } from './visible-text';

/** Options of {@link renderFleet}. */
export interface RenderFleetOptions {
  /** Total width in terminal cells. Default 100. */
  width?: number;
  /** Emit ANSI colours. Default `false`. */
  color?: boolean;
  /** Most hosts listed in any one list or matrix before "… N more". Default 20. */
  maxHosts?: number;
}

const STATUS_MARK: Record<string, string> = { ok: '✓', timeout: '⏱', error: '✗', unavailable: 'n/a' };

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a, b, c, … and N more` within `width` cells. */
function listWithin(items: readonly string[], width: number): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const rest = items.length - i - 1;
    const next = (out ? `${out}, ` : '') + items[i];
    const tail = rest > 0 ? `, … and ${rest} more` : '';
    if (displayWidth(next + tail) > width && out) return `${out}, … and ${items.length - i} more`;
    out = next;
  }
  return out;
}

/** The part of a context comparison that decides whether two contexts can be shown as one section. */
function sectionKey(c: FleetContextComparison): string {
  return JSON.stringify([c.variables, c.proxy.map((p) => [p.tool, p.decisions.map((d) => [d.text, d.count, d.hosts])]), c.status, c.statusDeviating]);
}

function cellText(value: string | undefined): string {
  if (value === undefined) return '—';
  if (value === '') return '""';
  return visibleText(value);
}

/** The matrix: reference row, then each deviating host; one column per variable, in blocks that fit `width`. */
function renderMatrix(c: FleetContextComparison, reference: string, options: Required<RenderFleetOptions>): string[] {
  const { width, color, maxHosts } = options;
  const rows = c.variables;
  const hosts = [...new Set(rows.flatMap((r) => r.deviating))].sort(compareTargets);
  const shown = hosts.slice(0, maxHosts);
  const valueOf = (row: FleetVariable, host: string): { text: string; same: boolean } => {
    const v = row.values.find((x) => x.hosts?.includes(host));
    return v ? { text: cellText(v.value), same: false } : { text: '=', same: true };
  };
  const labels = [reference, ...shown];
  const labelW = Math.min(Math.max(...labels.map((l) => displayWidth(l))), Math.max(16, Math.floor(width * 0.35)));
  const available = Math.max(10, width - labelW - 2);
  const colNatural = rows.map((r) => Math.min(48, Math.max(displayWidth(r.name) + 2, ...[cellText(r.values[0]?.value), ...shown.map((h) => valueOf(r, h).text)].map((t) => displayWidth(t)))));
  // Blocks of columns that fit side by side.
  const blocks: number[][] = [];
  let current: number[] = [];
  let used = 0;
  colNatural.forEach((w, i) => {
    const need = Math.min(w, available) + 2;
    if (current.length && used + need > available + 2) {
      blocks.push(current);
      current = [];
      used = 0;
    }
    current.push(i);
    used += need;
  });
  if (current.length) blocks.push(current);
  const out: string[] = [];
  for (const block of blocks) {
    const widths = block.map((i) => Math.min(colNatural[i]!, available));
    const line = (label: string, cells: { text: string; styles: Style[] }[], labelStyles: Style[]): string =>
      `  ${paint(padToWidth(truncateToWidth(label, labelW), labelW), labelStyles, color)}  ${cells.map((cell, j) => paint(padToWidth(truncateToWidth(cell.text, widths[j]!), widths[j]!), cell.styles, color)).join('  ')}`.trimEnd();
    out.push(line('', block.map((i) => ({ text: `${rows[i]!.important ? '!' : ''}${visibleText(rows[i]!.name)}`, styles: ['bold'] as Style[] })), []));
    out.push(line(reference, block.map((i) => ({ text: cellText(rows[i]!.values[0]?.value), styles: [] })), ['dim']));
    for (const host of shown) {
      out.push(
        line(
          host,
          block.map((i) => {
            const v = valueOf(rows[i]!, host);
            return { text: v.text, styles: v.same ? (['dim'] as Style[]) : (['yellow'] as Style[]) };
          }),
          [],
        ),
      );
    }
  }
  if (hosts.length > shown.length) out.push(`  … and ${hosts.length - shown.length} more hosts (all in --json)`);
  const tied = rows.filter((r) => r.tied).map((r) => r.name);
  if (tied.length) out.push(`  no majority for ${tied.join(', ')}: as many hosts have another value; the reference shown is the first by value`);
  return out;
}

function renderSection(contexts: ContextId[], c: FleetContextComparison, comparison: FleetComparison, options: Required<RenderFleetOptions>): string {
  const { color, width, maxHosts } = options;
  const out: string[] = [paint(contexts.join(', '), ['bold'], color)];
  const refCount = c.counts.captured - new Set(c.variables.flatMap((v) => v.deviating)).size;
  const reference = comparison.reference.kind === 'baseline' ? `baseline ${comparison.reference.target}` : refCount > 0 ? `majority (${plural(refCount, 'host', 'hosts')})` : 'majority (per variable)';
  if (c.variables.length) out.push(...renderMatrix(c, reference, options));
  if (c.proxy.length) {
    out.push(`  effective proxy for ${c.proxy[0]!.url}:`);
    // Tools that decide the same on the same hosts share one entry.
    const shared = new Map<string, { tools: string[]; row: FleetContextComparison['proxy'][number] }>();
    for (const row of c.proxy) {
      const key = JSON.stringify(row.decisions.map((d) => [d.text, d.hosts]));
      const entry = shared.get(key);
      if (entry) entry.tools.push(row.tool);
      else shared.set(key, { tools: [row.tool], row });
    }
    const toolW = Math.min(40, Math.max(...[...shared.values()].map((e) => e.tools.join(', ').length)));
    for (const { tools, row } of shared.values()) {
      row.decisions.forEach((d, i) => {
        const who = d.hosts ? listWithin(d.hosts, Math.max(20, width - 50)) : comparison.reference.kind === 'baseline' ? 'baseline' : `majority (${d.count})`;
        const lead = padToWidth(i === 0 ? tools.join(', ') : '', toolW);
        out.push(`    ${lead}  ${paint(visibleText(d.text), i === 0 ? [] : ['yellow'], color)}  ${paint(`← ${who}`, ['dim'], color)}`);
      });
    }
  }
  if (c.statusDeviating.length) {
    const usual = `${STATUS_MARK[c.status] ?? ''} ${c.status}`;
    out.push(`  status: usually ${usual}; but on`);
    for (const d of c.statusDeviating.slice(0, maxHosts)) {
      out.push(`    ${d.target}: ${paint(`${STATUS_MARK[d.status] ?? ''} ${d.status}`, ['yellow'], color)}${d.reason ? ` (${truncateToWidth(visibleText(d.reason), Math.max(20, width - d.target.length - 20))})` : ''}`);
    }
    if (c.statusDeviating.length > maxHosts) out.push(`    … and ${c.statusDeviating.length - maxHosts} more`);
  }
  return out.join('\n');
}

/**
 * Render `comparison` for a terminal, at most `width` cells wide where values allow.
 *
 * Options spread over defaults: `width: 100`, `color: false`, `maxHosts: 20`.
 */
export function renderFleet(comparison: FleetComparison, options: RenderFleetOptions = {}): string {
  const opts: Required<RenderFleetOptions> = { width: 100, color: false, maxHosts: 20, ...options };
  const { color, width, maxHosts } = opts;
  const { counts } = comparison;
  const parts: string[] = [];

  const summary = [`${plural(counts.hosts, 'host', 'hosts')}: ${counts.alike} alike`];
  if (counts.outliers) summary.push(paint(`${counts.outliers} ${counts.outliers === 1 ? 'differs' : 'differ'}`, ['yellow'], color));
  if (counts.failed) summary.push(paint(`${counts.failed} failed`, ['red'], color));
  const against = comparison.reference.kind === 'baseline' ? `compared to baseline ${comparison.reference.target}` : 'compared to the majority';
  const ignored = new Set(comparison.perContext.flatMap((c) => c.ignored)).size;
  const head = [paint(summary.join(', '), ['bold'], color), `${plural(comparison.contexts.length, 'context', 'contexts')} ${against}${ignored ? `; ${plural(ignored, 'variable', 'variables')} ignored as host-specific or volatile (--show-volatile)` : ''}`];
  if (comparison.baselineProblem) head.push(paint(`note: ${comparison.baselineProblem}`, ['yellow'], color));
  parts.push(head.join('\n'));

  if (comparison.failed.length) {
    const lines = [paint(`Failed (${comparison.failed.length}):`, ['bold'], color)];
    for (const f of comparison.failed.slice(0, maxHosts)) lines.push(`  ${paint('✗', ['red'], color)} ${f.target}  ${f.error.kind}: ${truncateToWidth(visibleText(f.error.message), Math.max(30, width - f.target.length - f.error.kind.length - 8))}`);
    if (comparison.failed.length > maxHosts) lines.push(`  … and ${comparison.failed.length - maxHosts} more`);
    parts.push(lines.join('\n'));
  }

  if (comparison.outliers.length) {
    const lines = [paint(`Differ (${comparison.outliers.length}):`, ['bold'], color)];
    const targetW = Math.min(Math.max(...comparison.outliers.map((o) => displayWidth(o.target))), Math.floor(width * 0.4));
    for (const o of comparison.outliers.slice(0, maxHosts)) {
      // What differs, grouped by the contexts it differs in: "GOPROXY, EXTRA in login, zsh".
      const byContexts = new Map<string, { contexts: ContextId[]; items: string[] }>();
      const what = new Map<string, ContextId[]>();
      for (const c of o.contexts) {
        const items = [...c.variables.map((v) => visibleText(v)), ...(c.proxyTools.length ? [`proxy of ${c.proxyTools.length === 1 ? c.proxyTools[0] : plural(c.proxyTools.length, 'tool', 'tools')}`] : []), ...(c.status ? [c.status] : [])];
        for (const item of items) {
          const list = what.get(item);
          if (list) list.push(c.context);
          else what.set(item, [c.context]);
        }
      }
      for (const [item, contexts] of what) {
        const key = contexts.join(',');
        const entry = byContexts.get(key);
        if (entry) entry.items.push(item);
        else byContexts.set(key, { contexts, items: [item] });
      }
      const room = Math.max(30, width - targetW - 4);
      [...byContexts.values()].forEach(({ contexts, items: names }, i) => {
        let where = ` in ${contexts.length === comparison.contexts.length && contexts.length > 1 ? 'every context' : contexts.join(', ')}`;
        if (displayWidth(where) > room / 2) where = ` in ${contexts.length} contexts (${contexts[0]}, …)`;
        const lead = padToWidth(i === 0 ? truncateToWidth(o.target, targetW) : '', targetW);
        lines.push(`  ${lead}  ${truncateToWidth(listWithin(names, Math.max(20, room - displayWidth(where))) + where, room)}`);
      });
    }
    if (comparison.outliers.length > maxHosts) lines.push(`  … and ${comparison.outliers.length - maxHosts} more`);
    parts.push(lines.join('\n'));
  }

  if (comparison.groups.length > 1) {
    const lines = [paint('Groups of identical hosts (in every context):', ['bold'], color)];
    const countW = String(comparison.groups[0]!.hosts.length).length;
    for (const g of comparison.groups.slice(0, maxHosts)) lines.push(`  ${String(g.hosts.length).padStart(countW)}  ${listWithin(g.hosts, Math.max(30, width - countW - 4))}`);
    if (comparison.groups.length > maxHosts) lines.push(`  … and ${comparison.groups.length - maxHosts} more groups`);
    parts.push(lines.join('\n'));
  }

  // One section per distinct set of differences, naming every context that has it.
  const sections = new Map<string, { contexts: ContextId[]; c: FleetContextComparison }>();
  for (const c of comparison.perContext) {
    if (!c.variables.length && !c.proxy.length && !c.statusDeviating.length) continue;
    const key = sectionKey(c);
    const section = sections.get(key);
    if (section) section.contexts.push(c.context);
    else sections.set(key, { contexts: [c.context], c });
  }
  for (const { contexts, c } of sections.values()) parts.push(renderSection(contexts, c, comparison, opts));

  parts.push(comparison.alike ? paint('All hosts alike.', ['green'], color) : counts.captured === 0 ? 'No host could be captured.' : 'Differences found.');
  return parts.join('\n\n');
}

/**
 * Render what changed since an earlier fleet run ({@link FleetDrift}), one block per
 * host: each variable's `before → after` with the contexts it changed in, status
 * changes, hosts new, gone, newly failing or recovered.
 *
 * Options as {@link renderFleet}: `width: 100`, `color: false`, `maxHosts: 20`.
 */
export function renderFleetDrift(drift: FleetDrift, options: RenderFleetOptions = {}): string {
  const { width = 100, color = false, maxHosts = 20 } = options;
  const count = (change: string): number => drift.hosts.filter((h) => h.change === change).length;
  const parts = [
    `${drift.hosts.length ? `${plural(count('changed'), 'host', 'hosts')} changed` : 'nothing changed'}`,
    count('added') ? `${count('added')} new` : '',
    count('removed') ? `${count('removed')} gone` : '',
    count('now-failed') ? `${count('now-failed')} now failing` : '',
    count('recovered') ? `${count('recovered')} recovered` : '',
    `${drift.unchanged} unchanged`,
    drift.stillFailed ? `${drift.stillFailed} failed both times` : '',
  ].filter(Boolean);
  const lines = [paint(`Since ${drift.since}: ${parts.join(', ')}`, ['bold'], color)];
  const targetW = Math.min(Math.max(0, ...drift.hosts.map((h) => displayWidth(h.target))), Math.floor(width * 0.4));
  const cell = (v: string | undefined): string => (v === undefined ? '(unset)' : truncateToWidth(cellText(v), 40));
  for (const host of drift.hosts.slice(0, maxHosts)) {
    let items: string[];
    if (host.change === 'added') items = ['new host'];
    else if (host.change === 'removed') items = ['not in this run'];
    else if (host.change === 'recovered') items = ['captured again (failed last time)'];
    else if (host.change === 'now-failed') items = [paint(`now fails: ${host.error.kind}: ${visibleText(host.error.message)}`, ['red'], color)];
    else {
      // Group identical changes across contexts: "GOPROXY: a → b (login, zsh)".
      const seen = new Map<string, ContextId[]>();
      for (const c of host.contexts) {
        if (c.status) seen.set(`status ${c.status[0]} → ${c.status[1]}`, [...(seen.get(`status ${c.status[0]} → ${c.status[1]}`) ?? []), c.context]);
        for (const v of c.variables) {
          const key = `${visibleText(v.name)}: ${cell(v.before)} → ${cell(v.after)}`;
          seen.set(key, [...(seen.get(key) ?? []), c.context]);
        }
      }
      items = [...seen].map(([what, contexts]) => `${paint(what, ['yellow'], color)} (${contexts.length > 3 ? `${contexts.slice(0, 3).join(', ')} +${contexts.length - 3}` : contexts.join(', ')})`);
    }
    items.forEach((item, i) => lines.push(`  ${padToWidth(i === 0 ? truncateToWidth(host.target, targetW) : '', targetW)}  ${item}`));
  }
  if (drift.hosts.length > maxHosts) lines.push(`  … and ${drift.hosts.length - maxHosts} more (all in --json)`);
  return lines.join('\n');
}
