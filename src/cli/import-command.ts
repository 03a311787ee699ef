/**
 * `envlens import PATH... [--json] [--out PATH]`: turn outputs of the script
 * `envlens probe` prints into snapshots (docs/fleet-at-scale.md).
 *
 * Inputs are files, or folders as Ansible's fetch lays them out (`<folder>/<host>/…/file`:
 * the host is the first folder under the given one). A malformed output is reported for
 * its host and the others are still imported. Exit 0 all imported, 1 some malformed,
 * 2 bad usage or nothing readable.
 */

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRedactor, type Redactor } from '../core/redact';
import { renderFleet } from '../core/render-fleet';
import { EnvlensError } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { writeJsonAtomic } from '../node/files';
import { collectProbeInputs, importedFleetResult, importProbeInputs, isImportFailure, type ImportEntry, type ProbeInput } from '../node/probe-import';
import { parse } from './args';
import { formatSnapshotSummary } from './format';
import { useColor, type Output } from './terminal';

/** Help for `envlens import`. */
export const IMPORT_HELP = `Usage: envlens import PATH... [--json] [--out PATH]

Turn outputs of the script 'envlens probe' prints into snapshots. PATH is a file (the
host is its name without extension: build-1.out → build-1) or a folder laid out like
Ansible's fetch (<folder>/<host>/…/file: the host is the first folder under it; files
directly in the folder are named by their file name).

  envlens import probe-out/ --out snapshots/
  envlens import probe-out/ --compare      the hosts side by side, as envlens fleet shows them
  envlens diff snapshots/build-1.json snapshots/build-2.json

Options:
  --json        one snapshot (one output) or a JSON array on stdout; malformed outputs
                appear in the array as { "host", "error" }
  --out PATH    save the snapshots: a .json file for one, a folder (one file per host)
                for several or when PATH is a folder or ends in /
  --compare     compare the imported hosts like envlens fleet (text, or with --json the
                fleet result envlens.fleet/v1 with malformed outputs as failed hosts)
  --no-redact   with --compare: show secret values instead of masks
  --quiet       no per-host lines on stderr

Exit status: 0 all imported (and alike, with --compare), 1 some output malformed
(reported per host) or, with --compare, some host differs, 2 bad usage or nothing readable.`;

/** Run `envlens import`; returns the exit code. */
export async function runImport(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, out: { type: 'string' }, compare: { type: 'boolean' }, 'no-redact': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } });
  if (values.help) {
    io.stdout.write(`${IMPORT_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new EnvlensError('usage', 'import needs at least one file or folder', 'Example: envlens import probe-out/ --out snapshots/');
  const inputs: ProbeInput[] = [];
  for (const p of positionals) inputs.push(...(await collectProbeInputs(p)));
  if (inputs.length === 0) throw new EnvlensError('usage', `no files in ${positionals.join(', ')}`);
  // With --compare, secrets are learnt from each snapshot as it arrives (while workers are
  // still parsing); every snapshot is learnt before any is masked, as redactSnapshots does.
  const redactor = values.compare && values['no-redact'] !== true ? createRedactor({ key: randomBytes(16).toString('hex') }) : undefined;
  const entries = await importProbeInputs(inputs, {
    workerScript: importWorkerScript(),
    onEntry: (entry, input) => {
      if (redactor && !isImportFailure(entry)) redactor.learn(entry);
      if (isImportFailure(entry)) io.stderr.write(`envlens: ${input.host}: ✗ ${input.file}: ${entry.error}\n`);
      else if (!values.quiet) io.stderr.write(`envlens: ${input.host}: imported ${input.file}\n`);
    },
  });
  const snapshots = entries.filter((e): e is Snapshot => !isImportFailure(e));
  const malformed = entries.length - snapshots.length;
  const readable = entries.filter((e) => !isImportFailure(e) || !e.unreadable).length;
  if (typeof values.out === 'string' && snapshots.length) await writeOut(values.out, snapshots, inputs.length > 1);
  if (values.compare) {
    if (readable === 0) return 2;
    return compareImported(entries, redactor, values.json === true, io.stdout);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(inputs.length === 1 ? entries[0] : entries, null, 2)}\n`);
  else for (const snapshot of snapshots) io.stdout.write(`${formatSnapshotSummary(snapshot, { color: io.stdout.isTTY })}\n`);
  if (readable === 0) {
    io.stderr.write('envlens: no probe output could be read\n');
    return 2;
  }
  return malformed ? 1 : 0;
}

/**
 * The worker script built next to the CLI bundle (out/cli/import-worker.mjs), which
 * spreads a large import over the CPUs; undefined when running from source (tests), where
 * the import stays on one thread.
 */
function importWorkerScript(): URL | undefined {
  const script = new URL('./import-worker.mjs', import.meta.url);
  return script.protocol === 'file:' && existsSync(script) ? script : undefined;
}

/** `--compare`: the imported hosts compared as `envlens fleet` does; returns the exit code. */
function compareImported(entries: ImportEntry[], redactor: Redactor | undefined, json: boolean, stdout: Output): number {
  const snapshots = entries.filter((e): e is Snapshot => !isImportFailure(e));
  const shown = redactor ? snapshots.map((s) => redactor.redactSnapshot(s).snapshot) : snapshots;
  const result = importedFleetResult(entries, shown);
  const comparison = result.comparison!;
  if (json) stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else stdout.write(`${renderFleet(comparison, { width: process.stdout.columns ?? 120, color: useColor(stdout) })}\n`);
  return comparison.alike ? 0 : 1;
}

async function writeOut(path: string, snapshots: Snapshot[], several: boolean): Promise<void> {
  const isDir = path.endsWith('/') || (await stat(path).then((s) => s.isDirectory(), () => false));
  if (several || isDir) {
    await mkdir(path, { recursive: true });
    for (const snapshot of snapshots) await writeJsonAtomic(join(path, `${snapshot.target.label.replace(/[^A-Za-z0-9_.@-]+/g, '_')}.json`), snapshot);
  } else {
    await writeJsonAtomic(path, snapshots[0]);
  }
}
