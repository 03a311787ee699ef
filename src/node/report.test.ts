import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANTED_SECRETS, reportFixture } from '../core/report/report-fixture';
import { renderReport, reportFileName, writeReport } from './report';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReport', () => {
  it('redacts by default', async () => {
    const file = join(dir, 'r.html');
    await writeReport([reportFixture()], file);
    expect((await readFile(file, 'utf8')).includes(PLANTED_SECRETS.githubToken)).toBe(false);
  });

  it('lists what it masked', async () => {
    const { redactions } = await writeReport([reportFixture()], join(dir, 'r.html'));
    expect(redactions.some((r) => r.variable === 'GITHUB_TOKEN' && r.rule === 'secret-name')).toBe(true);
  });

  it('gives equal hashes under one redact key', async () => {
    const a = await writeReport([reportFixture()], join(dir, 'a.html'), { redactKey: 'k' });
    const b = await writeReport([reportFixture()], join(dir, 'b.html'), { redactKey: 'k' });
    expect(a.redactions.map((r) => r.hash)).toEqual(b.redactions.map((r) => r.hash));
  });

  it('keeps secrets with redact: false, in a file only the owner can read', async () => {
    const file = join(dir, 'r.html');
    await writeReport([reportFixture()], file, { redact: false });
    expect([(await readFile(file, 'utf8')).includes(PLANTED_SECRETS.githubToken), (await stat(file)).mode & 0o777]).toEqual([true, 0o600]);
  });

  it('leaves no temporary file behind', async () => {
    await writeReport([reportFixture()], join(dir, 'r.html'));
    expect(await readdir(dir)).toEqual(['r.html']);
  });
});

describe('renderReport and reportFileName', () => {
  it('renders the same report without writing, with a fresh key per report', () => {
    const a = renderReport([reportFixture()]);
    const b = renderReport([reportFixture()]);
    expect(a.html.includes(PLANTED_SECRETS.githubToken)).toBe(false);
    expect(a.redactions.map((r) => r.hash)).not.toEqual(b.redactions.map((r) => r.hash));
  });

  it('names the file after the first target, the number of others and the time, and says when it is unredacted', () => {
    const one = reportFixture();
    const other = { ...reportFixture(), target: { ...one.target, label: 'bob@build 2/x' } };
    const now = new Date('2026-01-02T10:00:00.123Z');
    expect(reportFileName([one], { now })).toBe(`envlens-report-${one.target.label.replace(/[^A-Za-z0-9._-]+/g, '_')}-2026-01-02T10-00-00Z.html`);
    expect(reportFileName([other, one], { now, redact: false })).toBe('envlens-report-bob_build_2_x-and-1-more-2026-01-02T10-00-00Z-UNREDACTED.html');
  });
});
