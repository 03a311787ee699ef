import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANTED_SECRETS, fleetFixture, reportFixture } from '../core/report/report-fixture';
import { main } from './main';
import { captureIo } from './test-io';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-report-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const io = captureIo;

async function snapshotFile(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

describe('envlens report', () => {
  it('writes a redacted report from a snapshot file and exits 0', async () => {
    const file = await snapshotFile('s.json', reportFixture());
    const t = io();
    const code = await main(['report', file, '--html', join(dir, 'r.html')], t.io);
    const html = await readFile(join(dir, 'r.html'), 'utf8');
    expect([code, html.includes(PLANTED_SECRETS.proxyPassword), html.includes('proxy.corp:3128')]).toEqual([0, false, true]);
  });

  it('reads an array of snapshots (capture --json with several targets)', async () => {
    const file = await snapshotFile('fleet.json', fleetFixture());
    const t = io();
    await main(['report', file, '--html', join(dir, 'r.html')], t.io);
    expect(t.err()).toContain('3 snapshots');
  });

  it('reads a folder of snapshots (capture --out DIR)', async () => {
    await snapshotFile('a.json', fleetFixture()[0]);
    await snapshotFile('b.json', fleetFixture()[1]);
    const t = io();
    await main(['report', dir, '--html', join(dir, 'r.html')], t.io);
    expect(t.err()).toContain('2 snapshots');
  });

  it('prints the report to stdout with --html -', async () => {
    const file = await snapshotFile('s.json', reportFixture());
    const t = io();
    await main(['report', file, '--html', '-'], t.io);
    expect(t.out().startsWith('<!doctype html>')).toBe(true);
  });

  it('keeps secrets with --no-redact', async () => {
    const file = await snapshotFile('s.json', reportFixture());
    const t = io();
    await main(['report', file, '--html', join(dir, 'r.html'), '--no-redact'], t.io);
    expect((await readFile(join(dir, 'r.html'), 'utf8')).includes(PLANTED_SECRETS.proxyPassword)).toBe(true);
  });

  it('refuses a file that is not a snapshot with exit 2', async () => {
    const file = await snapshotFile('s.json', { schema: 'something/v9' });
    const t = io();
    expect(await main(['report', file, '--html', join(dir, 'r.html')], t.io)).toBe(2);
  });

  it('says why a file is not a snapshot', async () => {
    const file = await snapshotFile('s.json', { schema: 'something/v9' });
    const t = io();
    await main(['report', file, '--html', join(dir, 'r.html')], t.io);
    expect(t.err()).toContain('schema is "something/v9"');
  });

  it('says a missing snapshot file is missing instead of trying to connect to it', async () => {
    const t = io();
    await main(['report', join(dir, 'gone.json'), '--html', join(dir, 'r.html')], t.io);
    expect(t.err()).toContain('no such snapshot file');
  });

  it('needs --html', async () => {
    const file = await snapshotFile('s.json', reportFixture());
    const t = io();
    expect(await main(['report', file], t.io)).toBe(2);
  });

  it('prints help with --help', async () => {
    const t = io();
    await main(['report', '--help'], t.io);
    expect(t.out()).toContain('Usage: envlens report');
  });
});
