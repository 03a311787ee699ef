/**
 * A large `envlens import` spreads the parsing over worker threads (out/cli/import-worker.mjs,
 * built next to the CLI): the result must be exactly what one thread gives, in input
 * order, with the same per-host failures, and the CLI must answer as before.
 * 600 probe outputs made from real lab runs (test-lab/fleet-outputs.ts: drift, outputs cut
 * short or corrupted). Runs the built bundle.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectProbeInputs, importedFleetResult, importProbeInputs, isImportFailure, WORKER_MIN_INPUTS, type ImportEntry, type ProbeInput } from '../../src/node/probe-import';
import { generateFleetOutputs, labProbeOutput } from '../../test-lab/fleet-outputs';
import { lab, labSkipReason, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const HOSTS = 600;
const WORKER = pathToFileURL(resolve('out/cli/import-worker.mjs'));

/** Entries without what differs from run to run (random ids, the time of the comparison). */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'id' || key === 'capturedAt' ? undefined : v));
}

describeLab('import on worker threads', () => {
  let dir: string;
  let inputs: ProbeInput[];
  let oneThread: ImportEntry[];
  let malformed: number;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error('run `npm run build` before the integration tests (out/cli/import-worker.mjs is missing)');
    expect(HOSTS).toBeGreaterThanOrEqual(WORKER_MIN_INPUTS);
    dir = tempDir('envlens-import-workers-');
    const contexts = ['login', 'bash-interactive'] as const;
    const gen = generateFleetOutputs(join(dir, 'out'), HOSTS, labProbeOutput(lab!, lab!.users.fleet, contexts), labProbeOutput(lab!, lab!.users.fleet2, contexts));
    expect(gen.malformed).toBeGreaterThan(0);
    malformed = gen.malformed;
    // Not a probe output at all, and a file that disappears before it is read.
    mkdirSync(join(gen.dir, 'zz-notes'));
    writeFileSync(join(gen.dir, 'zz-notes', 'README'), 'not a probe output\n');
    inputs = [...(await collectProbeInputs(gen.dir)), { host: 'zz-gone', file: join(gen.dir, 'zz-gone', 'envlens.out') }];
    oneThread = await importProbeInputs(inputs);
  }, 120_000);

  it('gives exactly the entries of one thread, reported once each in input order', async () => {
    const seen: string[] = [];
    const entries = await importProbeInputs(inputs, { workerScript: WORKER, workers: 2, onEntry: (_, input) => seen.push(input.file) });
    expect(seen).toEqual(inputs.map((i) => i.file));
    expect(comparable(entries)).toEqual(comparable(oneThread));
    const failures = entries.filter(isImportFailure);
    expect(failures).toHaveLength(malformed + 2);
    expect(failures.find((f) => f.host === 'zz-notes')?.error).toMatch(/no "ENVLENS-PROBE/);
    expect(failures.find((f) => f.host === 'zz-gone')).toMatchObject({ unreadable: true, error: expect.stringMatching(/ENOENT/) });
    expect(comparable(importedFleetResult(entries).comparison)).toEqual(comparable(importedFleetResult(oneThread).comparison));
  });

  it('fails with the reason, instead of hanging, when a worker dies', async () => {
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, 'process.exit(3);\n');
    await expect(importProbeInputs(inputs, { workerScript: pathToFileURL(broken), workers: 2 })).rejects.toThrow(/import worker stopped \(exit code 3\)/);
  });

  it('the CLI (which starts the workers) prints the same comparison and per-host failures, exit 1', () => {
    const r = runCli(['import', join(dir, 'out'), '--compare', '--json', '--no-redact']);
    expect(r.code).toBe(1);
    const printed = JSON.parse(r.stdout) as ReturnType<typeof importedFleetResult>;
    const expected = importedFleetResult(oneThread.slice(0, -1));
    expect(comparable(printed.comparison)).toEqual(comparable(expected.comparison));
    expect(comparable(printed.hosts)).toEqual(comparable(expected.hosts));
    const failed = r.stderr.split('\n').filter((l) => l.includes(': ✗ '));
    expect(failed).toHaveLength(malformed + 1);
    expect(failed.at(-1)).toContain('zz-notes');
  });
});
