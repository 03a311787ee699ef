import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main';
import { captureIo } from './test-io';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-import-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const io = captureIo;

describe('envlens probe + import (local sh)', () => {
  it('prints a probe whose output imports, per host, with a truncated one reported (exit 1)', async () => {
    const printed = io();
    expect(await main(['probe', '--contexts', 'login', '--timeout', '5'], printed.io)).toBe(0);
    const script = join(dir, 'probe.sh');
    await writeFile(script, printed.out());
    const output = execFileSync('sh', [script], { cwd: dir });
    for (const host of ['a', 'b']) {
      await mkdir(join(dir, 'out', host, 'tmp'), { recursive: true });
      await writeFile(join(dir, 'out', host, 'tmp', 'envlens.out'), host === 'b' ? output.subarray(0, 300) : output);
    }
    const run = io();
    expect(await main(['import', join(dir, 'out'), '--json', '--out', join(dir, 'snaps/')], run.io)).toBe(1);
    const entries = JSON.parse(run.out()) as ({ target: { label: string }; contexts: Record<string, { status: string }> } | { host: string; error: string })[];
    expect(entries).toHaveLength(2);
    const [a, b] = entries;
    expect(a && 'target' in a ? [a.target.label, a.contexts.login?.status] : a).toEqual(['a', 'ok']);
    expect(b && 'error' in b ? b.host : b).toBe('b');
    expect(run.err()).toMatch(/b: ✗ .*DONE/);
    expect(JSON.parse(await readFile(join(dir, 'snaps', 'a.json'), 'utf8'))).toMatchObject({ schema: 'envlens.snapshot/v1' });
  }, 30_000);

  it('refuses nothing to read (exit 2)', async () => {
    const run = io();
    expect(await main(['import'], run.io)).toBe(2);
    expect(await main(['import', join(dir, 'missing')], run.io)).toBe(2);
    expect(await main(['probe', 'host'], run.io)).toBe(2);
  });

  it('refuses --limit without --inventory and a bad inventory (exit 2)', async () => {
    const run = io();
    expect(await main(['fleet', '--limit', 'web'], run.io)).toBe(2);
    const inv = join(dir, 'inv.ini');
    await writeFile(inv, '[web]\nweb1 ansible_port\n');
    expect(await main(['fleet', '--inventory', inv], run.io)).toBe(2);
    expect(run.err()).toMatch(/line 2/);
    await writeFile(inv, '[web]\nweb1\n');
    expect(await main(['fleet', '--inventory', inv, '--limit', 'db'], run.io)).toBe(2);
    expect(run.err()).toMatch(/no inventory host matches/);
  });
});
