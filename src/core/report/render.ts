/**
 * The report model as one self-contained HTML page.
 *
 * A ticket attachment has to open anywhere, offline, years later, without running
 * anything: inline CSS, no script (collapsing is `<details>`), no fonts, images or
 * links to load, and a CSP `<meta>` that forbids loading anything at all should a
 * value ever slip through as markup. Every piece of text goes through the `html` tag of
 * ./html.ts (one escaping function); values additionally show invisible characters.
 */

import { CONTEXT_LABELS, type CaptureTimings, type ContextId, type ContextResult, type SourceRef } from '../../shared/model';
import { listSeparator, splitList } from '../catalog';
import type { Comparison, VarRow } from '../diff';
import type { Finding } from '../findings';
import type { ProxyDecision } from '../proxy';
import { isMask, type RedactionRule } from '../redact';
import { html, join, proseHtml, valueHtml, type SafeHtml } from './html';
import { buildReportModel, type ProxyTable, type ReportInput, type ReportModel, type SnapshotReport } from './model';
import { REPORT_CSS } from './styles';
import { vscodeSettingsSection } from './vscode-section';

/** The Content-Security-Policy of every report: nothing may load; inline styles only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Short plural nouns for the redaction banner ("35 secret-named variables, 8 URL passwords"). */
const RULE_NOUNS: Record<RedactionRule, [string, string]> = {
  'secret-name': ['secret-named variable', 'secret-named variables'],
  'url-password': ['URL password', 'URL passwords'],
  'private-key': ['private key', 'private keys'],
  'aws-access-key': ['AWS key id', 'AWS key ids'],
  'github-token': ['GitHub token', 'GitHub tokens'],
  'gitlab-token': ['GitLab token', 'GitLab tokens'],
  'slack-token': ['Slack token', 'Slack tokens'],
  'npm-token': ['npm token', 'npm tokens'],
  'openai-key': ['sk- API key', 'sk- API keys'],
  'stripe-key': ['Stripe key', 'Stripe keys'],
  'google-api-key': ['Google API key', 'Google API keys'],
  'huggingface-token': ['Hugging Face token', 'Hugging Face tokens'],
  'pypi-token': ['PyPI token', 'PyPI tokens'],
  'docker-token': ['Docker Hub token', 'Docker Hub tokens'],
  jwt: ['JWT', 'JWTs'],
  'auth-header': ['Authorization header', 'Authorization headers'],
  'secret-assignment': ['password=/token= value', 'password=/token= values'],
  'high-entropy': ['random-looking string', 'random-looking strings'],
  recurring: ['repeat of a secret found elsewhere', 'repeats of secrets found elsewhere'],
};

/** Findings shown before the rest fold into a "more" section. */
const FINDINGS_SHOWN = 12;

// ---------------------------------------------------------------------------
// small formatters

/** `2026-11-25T14:00:00.000Z` → `2026-11-25 14:00:00 UTC`; other text is returned as is. */
function when(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function where(ref: SourceRef | undefined): string | undefined {
  if (!ref) return undefined;
  if (ref.kind === 'inherited') return 'inherited (set before any startup file ran)';
  const at = ref.line > 0 ? `${ref.file}:${ref.line}` : ref.file;
  return ref.kind === 'pam' ? `${at} (PAM)` : at;
}

function sourceHtml(ref: SourceRef | undefined): SafeHtml {
  const text = where(ref);
  return html`${text !== undefined && html`<span class="src">${text}</span>`}`;
}

/** Single-quote `value` for a POSIX shell. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const anchor = (report: SnapshotReport, part: string): string => `s${report.index}-${part}`;

function statusChip(id: ContextId, r: ContextResult | undefined, extra?: string): SafeHtml {
  const status = r?.status ?? 'unavailable';
  const title = `${CONTEXT_LABELS[id]}${r?.reason ? ` · ${r.reason}` : ''}`;
  return html`<li class="chip ${status}" title="${title}"><span class="dot"></span><span class="mono">${id}</span><span class="muted">${extra ?? status}</span></li>`;
}

// ---------------------------------------------------------------------------
// sections

function header(model: ReportModel, sections: { id: string; label: string }[]): SafeHtml {
  const n = model.snapshots.length;
  const rules = model.redactionCounts.map((c) => `${c.count} ${RULE_NOUNS[c.rule][c.count === 1 ? 0 : 1]}`).join(', ');
  const banner = model.redacted
    ? html`<p class="banner redacted" data-testid="redaction-banner"><strong>Secrets redacted.</strong> ${
        model.redactionTotal > 0 ? `${plural(model.redactionTotal, 'secret')} masked: ${rules}. ` : 'No secrets were found to mask. '
      }Masks such as <span class="mask">•••(8)</span> show the length, and with a key a short keyed hash, so equal secrets can be recognised without being revealed.</p>`
    : html`<p class="banner unredacted" data-testid="redaction-banner">Not redacted: this report may contain passwords and tokens. Do not attach it to a ticket.</p>`;
  return html`<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span>envlens report</div>
  <h1>${model.title}</h1>
  <p class="generated">Generated ${when(model.generatedAt)} by envlens ${model.version} · ${plural(n, 'snapshot')}</p>
  ${banner}
  <nav class="toc" aria-label="Contents">${sections.map((s) => html`<a href="#${s.id}">${s.label}</a>`)}</nav>
</header>`;
}

function summaryCard(report: SnapshotReport, model: ReportModel): SafeHtml {
  const s = report.snapshot;
  const sev = report.severities;
  const head = report.findings[0];
  const ok = report.contexts.filter((c) => c.status === 'ok').length;
  const title = model.snapshots.length > 1 ? html`<h3><a href="#${anchor(report, 'findings')}">${s.target.label}</a></h3>` : html`<h3>${s.target.label}</h3>`;
  return html`<div class="card" data-testid="summary-card">
  ${title}
  <div class="card-body"><div>
  <dl class="kv">
    <dt>Host</dt><dd>${s.host.hostname || s.target.host}${s.target.port !== 22 && s.target.label !== 'local' ? `:${s.target.port}` : ''}</dd>
    <dt>Account</dt><dd>${s.target.user} · <span class="mono">${s.host.shell}</span></dd>
    <dt>System</dt><dd>${s.host.os}${s.host.kernel ? ` · ${s.host.kernel}` : ''}</dd>
    <dt>Captured</dt><dd>${when(s.capturedAt)}${s.durationMs !== undefined ? ` in ${duration(s.durationMs)}` : ''}</dd>
    <dt>Contexts</dt><dd>${ok} of ${report.contexts.length} captured${s.traced ? ', with provenance' : ''}</dd>
  </dl></div><div>
  <ul class="chips">${report.contexts.map((c) => statusChip(c.id, s.contexts[c.id], c.status === 'ok' && c.durationMs !== undefined ? duration(c.durationMs) : c.status))}</ul>
  <div class="tally">${
    report.findings.length === 0
      ? html`<span class="all-good">No differences that matter between the captured contexts.</span>`
      : html`<strong>${plural(report.findings.length, 'finding')}</strong>${(['high', 'medium', 'low'] as const).map((k) => sev[k] > 0 && html` <span class="sev ${k}">${sev[k]} ${k}</span>`)}`
  }</div>
  ${head && html`<div class="headline sev-${head.severity}" data-testid="headline"><span class="label">Headline</span><a href="#${findingAnchor(report, head)}">${proseHtml(head.title)}</a></div>`}
  </div></div>
</div>`;
}

function summary(model: ReportModel): SafeHtml {
  const t = model.totals;
  const across = model.fleet
    ? html`; across hosts, <a href="#fleet">${plural(model.fleet.comparison.counts.different + model.fleet.comparison.counts.missing, 'variable differs', 'variables differ')}</a> in <span class="mono">${model.fleet.context}</span>`
    : '';
  const fleetLine =
    model.snapshots.length > 1
      ? html`<p>${plural(model.snapshots.length, 'snapshot')}, ${plural(t.findings, 'finding')} within them${t.high ? html` (<span class="sev high">${t.high} high</span>)` : ''}${across}${
          model.headline ? html`. Headline: <a href="#${findingAnchor(model.snapshots[model.headline.snapshot]!, model.headline.finding)}">${proseHtml(model.headline.finding.title)}</a>` : ''
        }.</p>`
      : '';
  return html`<section id="summary"><h2>Summary</h2>${fleetLine}<div class="cards${model.snapshots.length === 1 ? ' single' : ''}">${model.snapshots.map((r) => summaryCard(r, model))}</div></section>`;
}

function findingAnchor(report: SnapshotReport, f: Finding): string {
  return `${anchor(report, 'f')}-${f.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function fixHtml(f: Finding, target: string): SafeHtml {
  const fix = f.fix;
  if (!fix || fix.contexts.length === 0) return html``;
  const processes = fix.contexts.every((c) => c === 'vscode-server' || c === 'vscode-exthost');
  const where = fix.contexts.join(', ');
  const masked = fix.value !== undefined && /•••\(\d+/.test(fix.value);
  const command = processes
    ? undefined
    : `envlens fix ${shellQuote(target)} --var ${shellQuote(fix.variable)}${fix.value !== undefined && !masked ? ` --value ${shellQuote(fix.value)}` : ''} --contexts ${fix.contexts.join(',')} --dry-run`;
  const what =
    fix.value === undefined
      ? html`Remove <code>${fix.variable}</code> from ${where}.`
      : html`Make <code>${fix.variable}</code> = <span class="val">${valueHtml(fix.value)}</span> in ${where}.`;
  return html`<div class="fix"><strong>Recommended fix:</strong> ${what}${
    processes
      ? html` Running processes keep the environment they started with: restart the VS Code server (“Remote-SSH: Kill VS Code Server on Host”) after fixing the startup files.`
      : html` Preview the change, then run it again with <code>--apply</code>${masked ? ' and the real value (redacted here)' : ''}:<pre>${command}</pre>`
  }</div>`;
}

/**
 * Evidence rows, contexts with the same value and source folded into one row
 * (`ssh-command, login, systemd-user: not set`), in the order first seen.
 */
function evidenceRows(f: Finding): SafeHtml[] {
  const groups = new Map<string, { contexts: string[]; e: Finding['evidence'][number] }>();
  for (const e of f.evidence) {
    const key = JSON.stringify([e.variable ?? '', e.value ?? null, where(e.source) ?? '']);
    const g = groups.get(key);
    if (g) g.contexts.push(e.context);
    else groups.set(key, { contexts: [e.context], e });
  }
  return [...groups.values()].map(
    ({ contexts, e }) => html`<tr><th scope="row">${join(contexts.map((c) => html`<span class="mono">${c}</span>`), ', ')}${e.variable && html` <code>${e.variable}</code>`}</th><td class="val">${
      e.value === undefined ? html`<span class="unset">not set</span>` : e.value === '' ? html`<span class="unset">empty</span>` : valueHtml(e.value)
    }${sourceHtml(e.source)}</td></tr>`,
  );
}

function findingHtml(report: SnapshotReport, f: Finding): SafeHtml {
  const rows = evidenceRows(f);
  return html`<article class="finding sev-${f.severity}" id="${findingAnchor(report, f)}" data-testid="finding">
  <header><span class="sev ${f.severity}">${f.severity}</span><h3>${proseHtml(f.title)}</h3><code class="fid">${f.id}</code></header>
  <p>${proseHtml(f.explanation)}</p>
  ${f.cause && html`<p class="cause"><strong>Likely cause:</strong> ${proseHtml(f.cause)}</p>`}
  ${rows.length > 0 && html`<div class="scroll evidence"><table><tbody>${rows}</tbody></table></div>`}
  ${fixHtml(f, report.snapshot.target.label)}
</article>`;
}

function findingsSection(report: SnapshotReport, suffix: SafeHtml): SafeHtml {
  const shown = report.findings.slice(0, FINDINGS_SHOWN).map((f) => findingHtml(report, f));
  const rest = report.findings.slice(FINDINGS_SHOWN);
  const body =
    report.findings.length === 0
      ? html`<p class="all-good">No findings: the captured contexts agree on everything that matters.</p>`
      : html`${shown}${rest.length > 0 && html`<details class="more"><summary>${plural(rest.length, 'more finding')}</summary>${rest.map((f) => findingHtml(report, f))}</details>`}`;
  return html`<section id="${anchor(report, 'findings')}"><h2>Findings${suffix}</h2>${body}</section>`;
}

/** A cell of a comparison matrix: the value (as entries for lists) and where it was set. */
function cellHtml(row: VarRow, i: number, common: Set<string> | undefined): SafeHtml {
  const value = row.values[i];
  if (value === undefined) return html`<td class="val"><span class="unset">not set</span></td>`;
  const source = sourceHtml(row.sources[i]);
  if (common && listSeparator(row.name) !== undefined && !isMask(value) && value !== '') {
    const entries = splitList(row.name, value);
    return html`<td class="val"><ol class="entries">${entries.map((e) => html`<li class="${common.has(e) ? '' : 'partial'}">${e === '' ? html`<span class="unset">(empty entry)</span>` : valueHtml(e)}</li>`)}</ol>${source}</td>`;
  }
  return html`<td class="val">${value === '' ? html`<span class="unset">empty</span>` : valueHtml(value)}${source}</td>`;
}

/** Entries of a list variable present in every column that has it set. */
function commonEntries(row: VarRow): Set<string> | undefined {
  if (listSeparator(row.name) === undefined) return undefined;
  const lists = row.values.filter((v): v is string => v !== undefined).map((v) => new Set(splitList(row.name, v)));
  const first = lists[0];
  if (!first) return undefined;
  return new Set([...first].filter((e) => lists.every((l) => l.has(e))));
}

/**
 * Columns that show the same thing in every row (same value, same source) are merged
 * into one, headed by all their names: three interactive contexts that agree take one
 * column, not three, and the columns that remain are the ones that differ.
 */
function groupColumns(comparison: Comparison): number[][] {
  const groups: number[][] = [];
  const signature = (i: number): string => JSON.stringify(comparison.rows.map((r) => [r.values[i] ?? null, where(r.sources[i]) ?? null]));
  const bySignature = new Map<string, number[]>();
  comparison.columns.forEach((_, i) => {
    const key = signature(i);
    const group = bySignature.get(key);
    if (group) group.push(i);
    else {
      const fresh = [i];
      bySignature.set(key, fresh);
      groups.push(fresh);
    }
  });
  return groups;
}

function matrixHtml(comparison: Comparison, testid: string, columnSub: (i: number) => string): SafeHtml {
  const anyList = comparison.rows.some((r) => listSeparator(r.name) !== undefined);
  const groups = groupColumns(comparison);
  const head = groups.map((g) => {
    const labels = g.map((i) => comparison.columns[i]?.label ?? '');
    return html`<th scope="col">${join(labels.map((l) => html`<span class="col-label">${l}</span>`), ' ')}${g.length === 1 ? html`<span class="sub">${columnSub(g[0]!)}</span>` : html`<span class="sub">same values</span>`}</th>`;
  });
  const rows = comparison.rows.map((row) => {
    const common = commonEntries(row);
    return html`<tr class="${row.important ? 'important' : ''}"><th scope="row"><code>${row.name}</code>${row.category && html`<span class="tag">${row.category}</span>`}<span class="tag kind-${row.kind}">${row.kind === 'missing' ? 'missing somewhere' : 'different'}</span></th>${groups.map((g) => cellHtml(row, g[0]!, common))}</tr>`;
  });
  const c = comparison.counts;
  return html`<p class="counts">${plural(c.different, 'variable')} set differently, ${c.missing} missing somewhere, ${c.same} the same everywhere${
    c.hiddenVolatile ? `; ${c.hiddenVolatile} volatile (SHLVL, SSH_CONNECTION, sockets…) left out` : ''
  }.${groups.length < comparison.columns.length ? ' Columns that agree on all of these are merged.' : ''}${anyList ? html` <span class="legend"><span class="sw"></span>list entries not in every column</span>` : ''}</p>
<div class="scroll"><table class="matrix" data-testid="${testid}"><thead><tr><th scope="col">Variable</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function diffSection(report: SnapshotReport, suffix: SafeHtml): SafeHtml {
  const cmp = report.comparison;
  const body =
    cmp.rows.length === 0
      ? html`<p>All ${plural(cmp.counts.same, 'variable')} are the same in every captured context${cmp.counts.hiddenVolatile ? ` (${cmp.counts.hiddenVolatile} volatile left out)` : ''}.</p>`
      : matrixHtml(cmp, 'diff-matrix', (i) => {
          const col = cmp.columns[i];
          const r = col ? report.snapshot.contexts[col.key as ContextId] : undefined;
          return col?.status === 'ok' ? `${Object.keys(r?.env ?? {}).length} vars` : (col?.status ?? '');
        });
  const missing = report.contexts.filter((c) => c.status !== 'ok');
  const notCaptured = missing.length
    ? html` Not compared: ${join(missing.map((c) => html`<span class="mono">${c.id}</span> (${c.reason ?? c.status})`), ', ')}.`
    : '';
  return html`<section id="${anchor(report, 'diff')}"><h2>Variables that differ${suffix}</h2><p class="muted small">Proxy, TLS, toolchain and search-path variables first. Under each value: the file and line that set it${report.snapshot.traced ? '' : ' (capture with --trace to see them)'}.${notCaptured}</p>${body}</section>`;
}

function decisionHtml(d: ProxyDecision): SafeHtml {
  if (d.kind === 'proxy') return html`<span class="dec-proxy">${valueHtml(d.proxy)}</span><span class="note">from ${d.variable}</span>`;
  if (d.reason === 'no-proxy-match') return html`<span class="dec-direct">direct</span><span class="note">${d.variable} lists ${d.entry}</span>`;
  if (d.reason === 'ignored') return html`<span class="dec-direct">direct</span><span class="note">${proseHtml(d.note)}</span>`;
  return html`<span class="dec-direct muted">direct</span>`;
}

function proxyTableHtml(table: ProxyTable): SafeHtml {
  // Contexts in which every tool behaves the same share a column.
  const groups: number[][] = [];
  const seen = new Map<string, number[]>();
  table.contexts.forEach((_, i) => {
    const key = JSON.stringify(table.rows.map((r) => r.decisions[i]));
    const g = seen.get(key);
    if (g) g.push(i);
    else {
      const fresh = [i];
      seen.set(key, fresh);
      groups.push(fresh);
    }
  });
  const rows = table.rows.map(
    (r) => html`<tr class="${r.differs ? 'differs' : ''}"><th scope="row"><span class="mono">${r.tool}</span></th>${groups.map((g) => html`<td>${decisionHtml(r.decisions[g[0]!]!)}</td>`)}</tr>`,
  );
  const head = groups.map((g) => html`<th scope="col">${g.map((i) => html`<span class="col-label">${table.contexts[i]}</span>`)}</th>`);
  return html`<h3 class="small muted" style="margin-top:14px">Requests to <span class="mono">${table.url}</span></h3>
<div class="scroll"><table class="matrix" data-testid="proxy-table"><thead><tr><th scope="col">Tool</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function proxySection(report: SnapshotReport, suffix: SafeHtml): SafeHtml {
  let body: SafeHtml;
  if (report.proxies.length === 0) body = html`<p class="muted">No context was captured, so no proxy can be resolved.</p>`;
  else if (!report.anyProxy) body = html`<p>No proxy variable is set in any captured context: every tool connects directly.</p>`;
  else
    body = html`<p class="muted small">Which proxy each tool really uses, by its own rules (curl, git and wget read only lowercase <code>http_proxy</code>; Go prefers uppercase; Node.js ignores proxies unless <code>NODE_USE_ENV_PROXY=1</code>). Contexts where every tool behaves alike share a column; marked rows differ between columns.</p>${report.proxies.map(proxyTableHtml)}`;
  return html`<section id="${anchor(report, 'proxy')}"><h2>Effective proxy per tool${suffix}</h2>${body}</section>`;
}

function toolsSection(report: SnapshotReport, suffix: SafeHtml): SafeHtml {
  if (report.toolSettings.length === 0) return html``;
  const rows = report.toolSettings.map(
    (r) => html`<tr class="${r.differs ? 'differs' : ''}"><th scope="row"><span class="mono">${r.tool}</span> <code>${r.setting}</code></th>${r.values.map((v) =>
      v ? html`<td class="val">${v.value === '' ? html`<span class="unset">empty</span>` : valueHtml(v.value)}<span class="src">${v.origin}</span></td>` : html`<td><span class="unset">not set</span></td>`,
    )}</tr>`,
  );
  return html`<section id="${anchor(report, 'tools')}"><h2>What the tools resolve${suffix}</h2><p class="muted small">Settings as go, git, npm and pip themselves report them, with the file or source they come from.</p>
<div class="scroll"><table class="matrix"><thead><tr><th scope="col">Setting</th>${report.toolContexts.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function fleetSection(model: ReportModel): SafeHtml {
  const fleet = model.fleet;
  if (!fleet) return html``;
  const cmp = fleet.comparison;
  const body =
    cmp.rows.length === 0
      ? html`<p>All hosts agree: ${plural(cmp.counts.same, 'variable')} the same in <span class="mono">${fleet.context}</span>.</p>`
      : matrixHtml(cmp, 'fleet-matrix', (i) => {
          const s = model.snapshots[i]?.snapshot;
          return cmp.columns[i]?.status === 'ok' ? (s?.host.os ?? '') : (cmp.columns[i]?.status ?? '');
        });
  return html`<section id="fleet"><h2>Across hosts <span class="target">· context ${fleet.context}</span></h2><p class="muted small">${proseHtml(CONTEXT_LABELS[fleet.context])}. One column per snapshot${
    fleet.notCaptured ? `; ${fleet.notCaptured} did not capture this context` : ''
  }.</p>${body}</section>`;
}

function metaSection(model: ReportModel): SafeHtml {
  const blocks = model.snapshots.map((report) => {
    const s = report.snapshot;
    const h = s.host;
    const rows = report.contexts.map((c) => {
      const r = s.contexts[c.id];
      const proc = r?.process;
      return html`<tr><th scope="row"><span class="mono">${c.id}</span><span class="note">${proseHtml(CONTEXT_LABELS[c.id])}</span></th><td>${c.status}${c.reason && html`<span class="note">${c.reason}</span>`}</td><td class="nowrap">${duration(c.durationMs)}</td><td>${r?.exitCode ?? '—'}</td><td>${c.status === 'ok' ? c.variables : '—'}</td><td class="val">${r?.command ?? ''}${
        proc && html`<span class="src">pid ${proc.pid}${proc.startedAt ? `, started ${when(proc.startedAt)}` : ''}${proc.layout ? `, ${proc.layout} layout` : ''}${proc.quality ? `, ${proc.quality}` : ''}</span><span class="src">${valueHtml(proc.cmdline)}</span>`
      }</td></tr>`;
    });
    const files = Object.entries(h.startupFiles ?? {});
    const shells = Object.entries(h.shells ?? {});
    return html`<h3 style="margin-top:16px">${s.target.label}</h3>
<dl class="meta">
  <dt>Snapshot</dt><dd class="mono">${s.id} · ${s.schema}</dd>
  <dt>Captured</dt><dd>${when(s.capturedAt)}${s.durationMs !== undefined ? `, ${duration(s.durationMs)} in all (connection included)` : ''}</dd>
  <dt>Captured by</dt><dd>${s.producer ? `envlens ${s.producer.version}, probe protocol ${s.producer.probe}` : 'unknown'}${s.traced ? ', provenance traced' : ', no provenance (--trace off)'}</dd>
  ${s.producer?.timings && html`<dt>Timings</dt><dd>${timings(s.producer.timings)}</dd>`}
  <dt>Target</dt><dd class="mono">${s.target.user}@${s.target.host}:${s.target.port}</dd>
  <dt>Host</dt><dd>${h.hostname} · ${h.os}${h.kernel ? ` · ${h.kernel}` : ''}${h.bootedAt ? ` · booted ${when(h.bootedAt)}` : ''}</dd>
  <dt>Account</dt><dd>${s.target.user}${h.uid !== undefined ? ` (uid ${h.uid})` : ''}, login shell <span class="mono">${h.shell}</span></dd>
  ${shells.length > 0 && html`<dt>Shells</dt><dd class="mono">${join(shells.map(([n, p]) => `${n} ${p}`), ' · ')}</dd>`}
  ${files.length > 0 && html`<dt>Startup files</dt><dd>${join(files.map(([f, t]) => html`<span class="mono">${f}</span> <span class="muted">${when(t)}</span>`), ' · ')}</dd>`}
</dl>
<div class="scroll"><table><thead><tr><th scope="col">Context</th><th scope="col">Status</th><th scope="col">Time</th><th scope="col">Exit</th><th scope="col">Vars</th><th scope="col">Command</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  });
  return html`<section id="details"><h2>Capture details</h2><p class="muted small">Report generated ${when(model.generatedAt)} by envlens ${model.version}.</p>${blocks}</section>`;
}

/** Where the time of a capture went, in one line. */
function timings(t: CaptureTimings): string {
  const parts: string[] = [];
  if (t.resolveMs !== undefined) parts.push(`ssh config ${duration(t.resolveMs)}`);
  for (const hop of t.hops ?? []) parts.push(`via ${hop.name} ${duration(hop.tcpMs + hop.kexMs + hop.authMs)}`);
  const connect = [t.tcpMs, t.kexMs, t.authMs].filter((n): n is number => n !== undefined);
  if (connect.length) parts.push(`connect ${duration(connect.reduce((a, b) => a + b, 0))} (tcp ${duration(t.tcpMs)}, key exchange ${duration(t.kexMs)}, auth ${duration(t.authMs)})`);
  parts.push(`start ${duration(t.execMs)}`, `probe ${duration(t.probeMs)}`);
  if (t.promptMs) parts.push(`waiting for answers ${duration(t.promptMs)}`);
  parts.push(`total ${duration(t.totalMs)}`);
  return parts.join(' · ');
}

function envTable(r: ContextResult): SafeHtml {
  const names = Object.keys(r.env ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = names.map((name) => {
    const value = r.env?.[name] ?? '';
    return html`<tr><th scope="row"><code>${name}</code></th><td class="val">${value === '' ? html`<span class="unset">empty</span>` : valueHtml(value)}${sourceHtml(r.sources?.[name]?.at(-1))}</td></tr>`;
  });
  return html`<div class="scroll" style="border:0;margin:0"><table><tbody>${rows}</tbody></table></div>`;
}

function fullSection(model: ReportModel): SafeHtml {
  const blocks = model.snapshots.map((report) => {
    const s = report.snapshot;
    const items = report.contexts.map((c) => {
      const r = s.contexts[c.id];
      if (!r) return html``;
      const stderr = r.stderr?.trim() ? r.stderr : undefined;
      const label = model.snapshots.length > 1 ? `${s.target.label} · ${c.id}` : c.id;
      return html`<details class="env" data-testid="env-${c.id}"><summary>${label} <span class="muted">— ${
        c.status === 'ok' ? plural(c.variables, 'variable') : `${c.status}${c.reason ? `: ${c.reason}` : ''}`
      }${stderr ? ', with stderr' : ''}</span></summary>${c.status === 'ok' && r.env ? envTable(r) : html`<p style="padding:8px 12px">${c.reason ?? c.status}</p>`}${
        stderr && html`<div class="stderr"><strong class="small">stderr of the startup files</strong><pre>${valueHtml(stderr.replace(/\n$/, ''))}</pre></div>`
      }</details>`;
    });
    return html`${items}`;
  });
  return html`<section id="environments"><h2>Full environments</h2><p class="muted small">Every variable of every context, sorted by name. Click to expand.</p>${blocks}</section>`;
}

// ---------------------------------------------------------------------------

function page(model: ReportModel): string {
  const many = model.snapshots.length > 1;
  const suffix = (r: SnapshotReport): SafeHtml => (many ? html` <span class="target">· ${r.snapshot.target.label}</span>` : html``);
  const first = model.snapshots[0];
  const sections = [
    { id: 'summary', label: 'Summary' },
    ...(model.fleet ? [{ id: 'fleet', label: 'Across hosts' }] : []),
    ...(first && !many
      ? [
          { id: anchor(first, 'findings'), label: `Findings (${first.findings.length})` },
          { id: anchor(first, 'diff'), label: 'Differences' },
          { id: anchor(first, 'proxy'), label: 'Proxies' },
          ...(first.toolSettings.length ? [{ id: anchor(first, 'tools'), label: 'Tools' }] : []),
          ...(first.snapshot.vscodeSettings ? [{ id: anchor(first, 'vscode'), label: 'VS Code settings' }] : []),
        ]
      : model.snapshots.map((r) => ({ id: anchor(r, 'findings'), label: r.snapshot.target.label }))),
    { id: 'details', label: 'Capture details' },
    { id: 'environments', label: 'Full environments' },
  ];
  const perSnapshot = model.snapshots.map((r) => html`${findingsSection(r, suffix(r))}${diffSection(r, suffix(r))}${proxySection(r, suffix(r))}${toolsSection(r, suffix(r))}${vscodeSettingsSection(r.snapshot.vscodeSettings, anchor(r, 'vscode'), suffix(r))}`);
  const body = html`<div class="page">
${header(model, sections)}
<main>
${summary(model)}
${fleetSection(model)}
${perSnapshot}
${metaSection(model)}
${fullSection(model)}
</main>
<footer>envlens ${model.version} · ${model.redacted ? 'secrets redacted' : 'NOT redacted'} · generated ${when(model.generatedAt)} · one self-contained file: no scripts, nothing loaded from the network.</footer>
</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
${html`<meta name="generator" content="envlens ${model.version}">`}
<link rel="icon" href="data:,">
${html`<title>${model.title}</title>`}
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * Render snapshots as one self-contained HTML report.
 *
 * The page holds, in order: a summary (hosts, capture time, contexts with their
 * status, number of findings and the headline finding), the findings with
 * explanations and recommended fixes, the variables that differ between contexts
 * (proxy/toolchain first, with file:line provenance), the effective proxy of each tool
 * in each context, a variable × host matrix when snapshots of several hosts are given,
 * capture metadata, and every context's full environment collapsed at the end.
 *
 * The function does not redact: pass snapshots through `redactSnapshots` first (as
 * `writeReport` does) and say so with `redacted: true`. Deterministic: the same input
 * gives the same bytes.
 */
export function renderReportHtml(input: ReportInput): string {
  return page(buildReportModel(input));
}

