/**
 * `envlens diff <a> [b] [--contexts L] [--json]`.
 *
 * One argument: the contexts of one snapshot (a file or a target captured now, traced)
 * against each other, with findings. Two: the same contexts across two snapshots
 * (before/after a fix, two hosts). Exit 0 when no variable that matters differs, 1 when
 * one does (so it can gate CI: `envlens diff build-1 --contexts login,vscode-server
 * --var GOPROXY`), 2 on trouble (CONTRACT.md).
 */

import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { columnsAcrossSnapshots, columnsFromSnapshot, compareColumns, type Comparison, type CompareOptions } from '../core/diff';
import { findFindings, type Finding } from '../core/findings';
import { redactSnapshots } from '../core/redact';
import { renderComparisonTable, renderFindings } from '../core/render-table';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, SNAPSHOT_SCHEMA, type ContextId, type Snapshot } from '../shared/model';
import { captureSnapshot } from '../node/capture';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, contextList, parse } from './args';
import { workspaceOption } from './capture-command';
import { progressPrinter, terminalPrompter, useColor, type Output } from './terminal';
import { renderVscodeSettingsText } from '../core/vscode-settings';
import { diffToolSettings, renderToolDiffs, type ToolColumn, type ToolDiff } from '../core/tool-diff';

/** Help for `envlens diff`. */
export const DIFF_HELP = `Usage: envlens diff <a> [b] [options]

Compare environments. <a> and <b> are snapshot files (from \`envlens capture --out\`)
or targets, captured now with provenance tracing.

  envlens diff alice@build-1              contexts of one host against each other
  envlens diff before.json after.json     the same contexts across two snapshots
  envlens diff build-1 --contexts login,vscode-server --var GOPROXY   gate CI on one variable

Options:
  --contexts LIST      contexts to compare (default: all captured)
  --var NAME           only these variables (repeatable)
  --all                also list variables that are the same everywhere
  --important          only proxy, TLS, toolchain and search-path variables
  --show-volatile      include variables that differ by nature (SHLVL, SSH_CONNECTION…)
  --filter TEXT        only variables whose name or value contains TEXT
  --json               machine-readable result on stdout
  --no-redact          show secret values (tokens, passwords) instead of masks
  --workspace DIR      for targets: also read the VS Code settings of this folder on
                       the host (.vscode/settings.json, *.code-workspace)
  --width N            table width (default: the terminal's, else 120)

Below the variables, the go, git, npm and pip settings that differ (what the tools
themselves resolve, with where each value came from; see capture --no-tools); in --json
as comparisons[].tools.
${CONNECTION_HELP}

Exit status: 0 no differences that matter, 1 differences, 2 trouble.`;

/** The `--json` result of `envlens diff`. */
export interface DiffResult {
  schema: 'envlens.diff/v1';
  mode: 'contexts' | 'snapshots';
  snapshots: { id: string; target: string; capturedAt: string; file?: string }[];
  /**
   * One comparison for `contexts` mode; one per context for `snapshots` mode. `tools`:
   * the go, git, npm and pip settings (and tool statuses) that differ across the same
   * columns, in column order (see src/core/tool-diff.ts).
   */
  comparisons: { context?: ContextId; comparison: Comparison; tools: ToolDiff[] }[];
  findings: Finding[];
  /** Whether any non-volatile variable differs among the compared `ok` columns. */
  differs: boolean;
}

/** Run `envlens diff`; returns the exit code. */
export async function runDiff(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    contexts: { type: 'string' },
    var: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    important: { type: 'boolean' },
    'show-volatile': { type: 'boolean' },
    filter: { type: 'string' },
    json: { type: 'boolean' },
    width: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    'no-redact': { type: 'boolean' },
    workspace: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${DIFF_HELP}\n`);
    return 0;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new EnvlensError('usage', `diff takes one or two snapshots or targets, got ${positionals.length}`, 'Example: envlens diff alice@build-1, or envlens diff before.json after.json');
  }
  const contexts = values.contexts === undefined ? undefined : contextList(values.contexts);
  const capture = {
    ...connectionOptions(values),
    trace: true,
    ...(typeof values.workspace === 'string' ? { workspace: workspaceOption(values.workspace) } : {}),
    prompter: terminalPrompter(),
    onEvent: progressPrinter(io.stderr, { quiet: values.quiet === true || values.json === true }),
    ...(contexts ? { contexts } : {}),
  };
  const loaded: { snapshot: Snapshot; file?: string }[] = [];
  for (const arg of positionals) loaded.push(await loadOrCapture(arg, capture));
  const vars = Array.isArray(values.var) ? values.var.map(String) : undefined;
  const compareOptions: CompareOptions = {
    showVolatile: values['show-volatile'] === true,
    onlyDifferent: values.all !== true,
    onlyImportant: values.important === true,
    ...(typeof values.filter === 'string' ? { filter: values.filter } : {}),
  };
  // Output is pasted into tickets and CI logs: mask secrets unless asked not to. One
  // redactor with a per-run key, so equal secrets still compare equal and different
  // ones still differ.
  const snapshots = loaded.map((l) => l.snapshot);
  const shown = values['no-redact'] === true ? snapshots : redactSnapshots(snapshots, { key: randomBytes(16).toString('hex') }).snapshots;
  const result = diffSnapshots(shown, { contexts, vars, compare: compareOptions });
  result.snapshots.forEach((s, i) => {
    const file = loaded[i]?.file;
    if (file) s.file = file;
  });

  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const color = useColor(io.stdout);
    const width = values.width !== undefined ? Number(values.width) : (process.stdout.columns ?? 120);
    const parts: string[] = [];
    if (result.findings.length) parts.push(renderFindings(result.findings, { color }));
    const vscode = shown.length === 1 && (!contexts || contexts.some((c) => c.startsWith('vscode-'))) ? renderVscodeSettingsText(shown[0]!.vscodeSettings) : [];
    if (vscode.length) parts.push(vscode.join('\n'));
    for (const { context, comparison, tools } of result.comparisons) {
      if (context) parts.push(`${color ? '\x1b[1m' : ''}${context}${color ? '\x1b[0m' : ''}: ${result.snapshots.map((s) => s.target).join(' → ')}`);
      parts.push(renderComparisonTable(comparison, { width: Number.isFinite(width) && width > 40 ? width : 120, color }));
      const toolLines = renderToolDiffs(tools, toolColumns(shown, context, comparison));
      if (toolLines.length) parts.push(`${color ? '\x1b[1m' : ''}What the tools resolve${color ? '\x1b[0m' : ''} (differences):\n${toolLines.map((l) => `  ${l}`).join('\n')}`);
    }
    parts.push(result.differs ? 'Differences found.' : 'No differences that matter.');
    io.stdout.write(`${parts.join('\n\n')}\n`);
  }
  return result.differs ? 1 : 0;
}

/** Options of {@link diffSnapshots}. */
export interface DiffSnapshotsOptions {
  contexts?: readonly ContextId[] | undefined;
  /** Only these variable names. */
  vars?: readonly string[] | undefined;
  compare?: CompareOptions;
}

/**
 * Compare one snapshot's contexts, or two snapshots context by context.
 *
 * Pure over its inputs: the CLI and tests share it.
 */
export function diffSnapshots(snapshots: readonly Snapshot[], options: DiffSnapshotsOptions = {}): DiffResult {
  const restrict = (comparison: Comparison): Comparison => {
    if (!options.vars) return comparison;
    const wanted = new Set(options.vars);
    return { ...comparison, rows: comparison.rows.filter((r) => wanted.has(r.name)) };
  };
  // Gate on a comparison computed with every row (not only the displayed ones).
  const differsIn = (columns: Parameters<typeof compareColumns>[0]): boolean => {
    const full = compareColumns(columns, { showVolatile: false });
    return full.rows.some((r) => r.kind !== 'same' && !r.volatile && (!options.vars || options.vars.includes(r.name)));
  };
  const toolOptions = options.vars ? { settings: options.vars } : {};
  const toolsDiffer = (diffs: ToolDiff[]): boolean => diffs.some((d) => d.kind === 'setting' && d.valueDiffers);
  const meta = snapshots.map((s) => ({ id: s.id, target: s.target.label, capturedAt: s.capturedAt }));
  if (snapshots.length === 1) {
    const snapshot = snapshots[0]!;
    const columns = columnsFromSnapshot(snapshot, options.contexts);
    const findings = findFindings(snapshot, options.contexts ? { contexts: options.contexts } : {}).filter((f) => !options.vars || options.vars.includes(f.variable));
    const comparison = restrict(compareColumns(columns, options.compare));
    const tools = diffToolSettings(toolColumns(snapshots, undefined, comparison), toolOptions);
    return {
      schema: 'envlens.diff/v1',
      mode: 'contexts',
      snapshots: meta,
      comparisons: [{ comparison, tools }],
      findings,
      differs: differsIn(columns) || toolsDiffer(tools),
    };
  }
  const [a, b] = snapshots as [Snapshot, Snapshot];
  const wanted = options.contexts ?? CONTEXT_IDS.filter((id) => a.contexts[id] || b.contexts[id]);
  const comparisons: DiffResult['comparisons'] = [];
  let differs = false;
  for (const context of wanted) {
    const columns = columnsAcrossSnapshots([a, b], context);
    const comparison = restrict(compareColumns(columns, options.compare));
    const tools = diffToolSettings(toolColumns(snapshots, context, comparison), toolOptions);
    differs = differs || differsIn(columns) || toolsDiffer(tools);
    comparisons.push({ context, comparison, tools });
  }
  return { schema: 'envlens.diff/v1', mode: 'snapshots', snapshots: meta, comparisons, findings: [], differs };
}

/**
 * The tools of each column of `comparison`: contexts of the one snapshot, or `context` of
 * each snapshot, in the comparison's column order.
 */
function toolColumns(snapshots: readonly Snapshot[], context: ContextId | undefined, comparison: Comparison): ToolColumn[] {
  return comparison.columns.map((column, i) => {
    const ctx = context === undefined ? snapshots[0]?.contexts[column.key as ContextId] : snapshots[i]?.contexts[context];
    const home = ctx?.env?.HOME;
    return { label: column.label, ...(ctx?.tools ? { tools: ctx.tools } : {}), ...(home ? { home } : {}) };
  });
}

/** Read a snapshot file, or capture the target when `arg` is not a file. */
async function loadOrCapture(arg: string, capture: Parameters<typeof captureSnapshot>[1]): Promise<{ snapshot: Snapshot; file?: string }> {
  const isFile = await stat(arg).then((s) => s.isFile(), () => false);
  if (!isFile) return { snapshot: await captureSnapshot(arg, capture) };
  return { snapshot: await readSnapshotFile(arg), file: arg };
}

/** Read and check a snapshot JSON file; clear errors for the usual mistakes. */
export async function readSnapshotFile(file: string): Promise<Snapshot> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EnvlensError('io', `${file} is not a readable JSON snapshot: ${(error as Error).message}`, 'Snapshots come from `envlens capture --out FILE` or `--json`.');
  }
  const snapshot = parsed as Partial<Snapshot>;
  if (!snapshot || typeof snapshot !== 'object' || snapshot.schema !== SNAPSHOT_SCHEMA || typeof snapshot.contexts !== 'object' || !snapshot.target) {
    throw new EnvlensError('io', `${file} is not an envlens snapshot (expected "schema": "${SNAPSHOT_SCHEMA}")`);
  }
  return snapshot as Snapshot;
}
