import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANTED_SECRETS, reportFixture } from '../core/report/report-fixture';
import { writeReport } from './report';

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
