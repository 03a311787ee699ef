/**
 * `envlens import PATH... [--json] [--out PATH]`: turn outputs of the script
 * `envlens probe` prints into snapshots (docs/fleet-at-scale.md).
 *
 * Inputs are files, or folders as Ansible's fetch lays them out (`<folder>/<host>/…/file`:
 * the host is the first folder under the given one). A malformed output is reported for
 * its host and the others are still imported. Exit 0 all imported, 1 some malformed,
 * 2 bad usage or nothing readable.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareFleet, FLEET_SCHEMA, type FleetHost, type FleetResult } from '../core/fleet';
import { redactSnapshots } from '../core/redact';
import { renderFleet } from '../core/render-fleet';
import { hostNameOf, importProbeOutput, MalformedProbeOutput } from '../core/probe-import';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, type Snapshot } from '../shared/model';
import { VERSION } from '../shared/version';
import { writeJsonAtomic } from '../node/files';
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

interface Input {
  file: string;
  host: string;
}

async function collect(path: string): Promise<Input[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new EnvlensError('usage', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) return [{ file: path, host: hostNameOf(path) }];
  const root = path.replace(/\/+$/, '') || '/';
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  await walk(root);
  return files.map((file) => ({ file, host: hostNameOf(file, root) }));
}

/** Run `envlens import`; returns the exit code. */
export async function runImport(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, out: { type: 'string' }, compare: { type: 'boolean' }, 'no-redact': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } });
  if (values.help) {
    io.stdout.write(`${IMPORT_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new EnvlensError('usage', 'import needs at least one file or folder', 'Example: envlens import probe-out/ --out snapshots/');
  const inputs: Input[] = [];
  for (const p of positionals) inputs.push(...(await collect(p)));
  if (inputs.length === 0) throw new EnvlensError('usage', `no files in ${positionals.join(', ')}`);
  const snapshots: Snapshot[] = [];
  const entries: (Snapshot | { host: string; file: string; error: string })[] = [];
  let malformed = 0;
  let readable = 0;
  for (const input of inputs) {
    try {
      const [bytes, info] = await Promise.all([readFile(input.file), stat(input.file)]);
      readable++;
      const snapshot = importProbeOutput(bytes, { hostName: input.host, id: randomUUID(), capturedAt: info.mtime.toISOString(), version: VERSION });
      snapshots.push(snapshot);
      entries.push(snapshot);
      if (!values.quiet) io.stderr.write(`envlens: ${input.host}: imported ${input.file}\n`);
    } catch (error) {
      if (!(error instanceof MalformedProbeOutput) && !(error as NodeJS.ErrnoException).code) throw error;
      malformed++;
      const message = (error as Error).message;
      entries.push({ host: input.host, file: input.file, error: message });
      io.stderr.write(`envlens: ${input.host}: ✗ ${input.file}: ${message}\n`);
    }
  }
  if (typeof values.out === 'string' && snapshots.length) await writeOut(values.out, snapshots, inputs.length > 1);
  if (values.compare) {
    if (readable === 0) return 2;
    return compareImported(entries, values['no-redact'] !== true, values.json === true, io.stdout);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(inputs.length === 1 ? entries[0] : entries, null, 2)}\n`);
  else for (const snapshot of snapshots) io.stdout.write(`${formatSnapshotSummary(snapshot, { color: io.stdout.isTTY })}\n`);
  if (readable === 0) {
    io.stderr.write('envlens: no probe output could be read\n');
    return 2;
  }
  return malformed ? 1 : 0;
}

/** `--compare`: the imported hosts compared as `envlens fleet` does; returns the exit code. */
function compareImported(entries: (Snapshot | { host: string; file: string; error: string })[], redact: boolean, json: boolean, stdout: Output): number {
  const snapshots = entries.flatMap((e) => ('error' in e ? [] : [e]));
  const shown = redact ? redactSnapshots(snapshots, { key: randomBytes(16).toString('hex') }).snapshots : snapshots;
  let next = 0;
  const hosts: FleetHost[] = entries.map((e) =>
    'error' in e ? { target: e.host, status: 'failed', error: { kind: 'probe', message: `${e.file}: ${e.error}` } } : { target: e.target.label, status: 'ok', snapshot: shown[next++]! },
  );
  const present = new Set(snapshots.flatMap((s) => Object.keys(s.contexts)));
  const contexts = CONTEXT_IDS.filter((id) => present.has(id));
  const comparison = compareFleet(hosts, { contexts });
  if (json) {
    const result: FleetResult = { schema: FLEET_SCHEMA, capturedAt: new Date().toISOString(), contexts, hosts, comparison };
    stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    stdout.write(`${renderFleet(comparison, { width: process.stdout.columns ?? 120, color: useColor(stdout) })}\n`);
  }
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
