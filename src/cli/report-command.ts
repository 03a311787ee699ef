/**
 * `envlens report <snapshot-or-target>... --html FILE [--no-redact]`.
 *
 * Arguments that name an existing file are read as snapshot JSON (one snapshot, or the
 * array `capture --json` prints for several targets); a folder is read for its `*.json`
 * snapshots (as `capture --out DIR` writes them); anything else is a target, captured
 * now with provenance tracing. Exit 0 when the report was written, 2 on trouble
 * (CONTRACT.md); when some targets fail, the report of the others is still written and
 * the exit status is 2.
 */

import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvlensError, toErrorInfo } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { captureSnapshot } from '../node/capture';
import { writeReport } from '../node/report';
import { validateSnapshot } from '../node/store';
import { renderReportHtml } from '../core/report';
import { redactSnapshots } from '../core/redact';
import { VERSION } from '../shared/version';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, contextList, parse } from './args';
import { workspaceOption } from './capture-command';
import { progressPrinter, terminalPrompter, type Output } from './terminal';

/** Help for `envlens report`. */
export const REPORT_HELP = `Usage: envlens report <snapshot-or-target>... --html FILE [options]

Write one self-contained HTML file for a ticket: summary, findings with fixes, the
variables that differ (with the file and line that set them), the proxy each tool
really uses, a host-by-host matrix for several hosts, and every environment in full.
No scripts, nothing loaded from the network. Secrets are masked unless --no-redact.

Arguments are snapshot files (from 'envlens capture --out/--json'), folders of them,
or targets to capture now: [user@]host[:port], an ~/.ssh/config Host alias, or local.

Options:
  --html FILE             where to write the report ('-' for stdout); required
  --no-redact             keep secrets in the report (it then carries a warning banner)
  --redact-key KEY        key for the short hashes in masks, so reports made with the
                          same key can be compared (default: random per report;
                          or set ENVLENS_REDACT_KEY)
  --title TEXT            page title (default: envlens report: <targets>)
  --contexts LIST         contexts to capture for targets (default: all)
  --no-trace              capture targets without provenance (faster, no file:line)
  --workspace DIR         for targets: also read the VS Code settings of this folder
                          on the host (.vscode/settings.json, *.code-workspace)
  --quiet                 no progress on stderr
  --verbose               debug lines (auth, host keys) on stderr
${CONNECTION_HELP}

Exit status: 0 report written, 2 trouble (bad usage, unreadable snapshot, a target
that could not be captured; the report of the others is still written).`;

/** Read the snapshots in `path`: a snapshot file, an array file, or a folder of `*.json`. */
async function readSnapshots(path: string): Promise<Snapshot[]> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
    if (names.length === 0) throw new EnvlensError('usage', `${path} holds no .json snapshots`);
    return (await Promise.all(names.map((n) => readSnapshots(join(path, n))))).flat();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EnvlensError('usage', `${path} is not readable JSON: ${(error as Error).message}`, 'Snapshots come from envlens capture --out FILE or --json.');
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((value, i) => {
    try {
      return validateSnapshot(value);
    } catch (error) {
      if (error instanceof EnvlensError) throw new EnvlensError('usage', `${path}${Array.isArray(parsed) ? ` [${i}]` : ''}: ${error.message}`, error.hint);
      throw error;
    }
  });
}

/** What an argument is: an existing file or folder, or a target. */
async function isPath(arg: string): Promise<boolean> {
  return stat(arg).then(() => true, () => false);
}

/** Run `envlens report`; returns the exit code. */
export async function runReport(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    html: { type: 'string' },
    'no-redact': { type: 'boolean' },
    'redact-key': { type: 'string' },
    title: { type: 'string' },
    contexts: { type: 'string' },
    'no-trace': { type: 'boolean' },
    workspace: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout.write(`${REPORT_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new EnvlensError('usage', 'report needs at least one snapshot file or target', 'Example: envlens report local --html report.html');
  const out = values.html;
  if (typeof out !== 'string' || out === '') throw new EnvlensError('usage', 'report needs --html FILE', 'Example: envlens report snapshot.json --html report.html');
  const redact = values['no-redact'] !== true;
  const redactKey = typeof values['redact-key'] === 'string' ? values['redact-key'] : process.env.ENVLENS_REDACT_KEY || undefined;

  const kinds = await Promise.all(positionals.map(isPath));
  // Targets never hold a `/` or end in .json: such an argument is a snapshot file that is missing.
  const missing = positionals.filter((arg, i) => !kinds[i] && (arg.includes('/') || arg.endsWith('.json')));
  if (missing.length) throw new EnvlensError('usage', `no such snapshot file: ${missing.join(', ')}`, 'Snapshots come from envlens capture --out FILE or --json; targets are [user@]host[:port], a Host alias, or local.');
  const targets = positionals.filter((_, i) => !kinds[i]);
  const capture = {
    ...connectionOptions(values),
    contexts: contextList(values.contexts),
    trace: values['no-trace'] !== true,
    ...(typeof values.workspace === 'string' ? { workspace: workspaceOption(values.workspace) } : {}),
    prompter: targets.length === 1 ? terminalPrompter() : undefined,
    onEvent: progressPrinter(io.stderr, { quiet: values.quiet === true, verbose: values.verbose === true }),
  };
  let failed = 0;
  const results = await Promise.all(
    positionals.map(async (arg, i): Promise<Snapshot[]> => {
      if (kinds[i]) return readSnapshots(arg);
      try {
        return [await captureSnapshot(arg, capture)];
      } catch (error) {
        failed++;
        const info = toErrorInfo(error);
        io.stderr.write(`envlens: ${arg}: ${info.message}\n${info.hint ? `  ${info.hint}\n` : ''}`);
        return [];
      }
    }),
  );
  const snapshots = results.flat();
  if (snapshots.length === 0) {
    io.stderr.write('envlens: nothing to report: no snapshot could be read or captured\n');
    return 2;
  }

  const title = typeof values.title === 'string' ? values.title : undefined;
  let masked: number;
  if (out === '-') {
    const key = redactKey ?? randomBytes(16).toString('hex');
    const redacted = redact ? redactSnapshots(snapshots, { key }) : { snapshots, redactions: [] };
    io.stdout.write(
      renderReportHtml({ snapshots: redacted.snapshots, generatedAt: new Date().toISOString(), version: VERSION, redacted: redact, redactions: redacted.redactions, ...(title !== undefined ? { title } : {}) }),
    );
    masked = redacted.redactions.length;
  } else {
    // writeReport says what went wrong (full disk, permissions) and what to do.
    const result = await writeReport(snapshots, out, { redact, ...(redactKey !== undefined ? { redactKey } : {}), ...(title !== undefined ? { title } : {}) });
    masked = result.redactions.length;
    if (values.quiet !== true) {
      const what = redact ? `${masked} secret${masked === 1 ? '' : 's'} masked` : 'NOT redacted: it contains secrets';
      io.stderr.write(`envlens: wrote ${out} (${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}, ${what})\n`);
    }
  }
  return failed ? 2 : 0;
}
