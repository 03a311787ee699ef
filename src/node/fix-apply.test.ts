// The applier over local files (LocalHostFs), with a fake session: no sshd needed.
// The same code runs over SFTP in test/integration/fix.test.ts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSnapshot } from '../core/test-snapshot';
import { checkApiArgs } from '../shared/api-args';
import { applyFixPlan, planFromPreview, previewFix, undoFixEntry } from './fix-apply';
import { FixJournal, isValidFixId } from './fix-journal';
import { LocalHostFs, type ExecOutput, type RemoteSession } from './remote-session';

const GUARD = "case $- in\n    *i*) ;;\n      *) return;;\nesac\n";

function setup(bashrc: string | null) {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'envlens-fix-home-')));
  if (bashrc !== null) writeFileSync(join(home, '.bashrc'), bashrc);
  writeFileSync(join(home, '.profile'), '. "$HOME/.bashrc"\n');
  const base = { HOME: home, PATH: '/usr/bin:/bin' };
  const snapshot = makeSnapshot(
    { 'ssh-command': base, login: base, 'bash-interactive': { ...base, GOPROXY: 'https://p,direct' } },
    { host: { shell: '/bin/bash', uid: process.getuid?.() ?? 0, shells: { bash: '/usr/bin/bash' } } },
  );
  const session: RemoteSession = {
    target: 'test',
    user: 'test',
    host: 'localhost',
    port: 0,
    kind: 'local',
    capture: async () => snapshot,
    exec: (command) =>
      new Promise<ExecOutput>((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr, timedOut: false }));
      }),
    fs: async () => new LocalHostFs(),
    destroy: () => {},
  };
  const journal = new FixJournal(mkdtempSync(join(tmpdir(), 'envlens-fix-journal-')));
  return { home, snapshot, session, journal };
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('applyFixPlan / undoFixEntry over local files', () => {
  it('applies the default strategy and undo restores the exact bytes and mode', async () => {
    const { home, snapshot, session, journal } = setup(`# rc\n${GUARD}export GOPROXY=https://p,direct\n`);
    chmodSync(join(home, '.bashrc'), 0o640);
    const before = sha(join(home, '.bashrc'));
    const preview = await previewFix(session, snapshot, ['GOPROXY']);
    const plan = planFromPreview(preview, { variable: 'GOPROXY' });
    const result = await applyFixPlan(session, preview, plan, { journal, verify: false });
    expect(result.strategy).toBe('bashrc');
    expect(readFileSync(join(home, '.bashrc'), 'utf8').startsWith('# >>> envlens GOPROXY >>>\n')).toBe(true);
    expect(statSync(join(home, '.bashrc')).mode & 0o777).toBe(0o640);
    const entry = await journal.read(result.fixId);
    expect(entry.status).toBe('applied');
    expect(Buffer.from(entry.files[0]!.originalBase64!, 'base64').toString()).toBe(`# rc\n${GUARD}export GOPROXY=https://p,direct\n`);
    await undoFixEntry(session, entry, { journal });
    expect(sha(join(home, '.bashrc'))).toBe(before);
    expect(statSync(join(home, '.bashrc')).mode & 0o777).toBe(0o640);
    expect(readdirSync(home).sort()).toEqual(['.bashrc', '.profile']);
  });

  it('refuses to undo over later changes unless forced', async () => {
    const { home, snapshot, session, journal } = setup(`${GUARD}export GOPROXY=https://p,direct\n`);
    const preview = await previewFix(session, snapshot, ['GOPROXY']);
    const result = await applyFixPlan(session, preview, planFromPreview(preview, { variable: 'GOPROXY' }), { journal, verify: false });
    writeFileSync(join(home, '.bashrc'), 'changed later\n');
    const entry = await journal.read(result.fixId);
    await expect(undoFixEntry(session, entry, { journal })).rejects.toMatchObject({ kind: 'fix-refused' });
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('changed later\n');
    await undoFixEntry(session, entry, { journal, force: true });
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(`${GUARD}export GOPROXY=https://p,direct\n`);
  });

  it('creates a missing ~/.bashrc and undo removes it', async () => {
    const { home, snapshot, session, journal } = setup(null);
    const preview = await previewFix(session, snapshot, ['GOPROXY']);
    const result = await applyFixPlan(session, preview, planFromPreview(preview, { variable: 'GOPROXY' }), { journal, verify: false });
    expect(result.files).toEqual([{ path: '.bashrc', real: join(home, '.bashrc'), created: true, deleted: false }]);
    await undoFixEntry(session, await journal.read(result.fixId), { journal });
    expect(existsSync(join(home, '.bashrc'))).toBe(false);
  });

  it('undo∘apply is the identity on the bytes, for generated dotfiles', async () => {
    const text = fc.array(fc.oneof(fc.constantFrom(GUARD.trimEnd(), 'export GOPROXY=https://p,direct', 'x=1', '# c', ''), fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((s) => `# ${s.replace(/[\n\0]/g, ' ')}`)), { maxLength: 6 }).map((l) => l.join('\n'));
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (body, eol) => {
        const bashrc = eol && body ? `${body}\n` : body;
        const { home, snapshot, session, journal } = setup(bashrc);
        const preview = await previewFix(session, snapshot, ['GOPROXY']);
        const plan = planFromPreview(preview, { variable: 'GOPROXY' });
        if (!plan.defaultStrategy) return;
        const result = await applyFixPlan(session, preview, plan, { journal, verify: false });
        await undoFixEntry(session, await journal.read(result.fixId), { journal });
        expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(bashrc);
      }),
      { numRuns: 25 },
    );
  });
});

describe('fix journal and API arguments', () => {
  it('makes sortable ids', () => {
    const journal = new FixJournal('/nowhere');
    const id = journal.newId(new Date('2026-11-25T14:00:00.123Z'));
    expect(id).toMatch(/^20261125T140000Z-[0-9a-f]{6}$/);
    expect(isValidFixId(id)).toBe(true);
    expect(isValidFixId('../etc/passwd')).toBe(false);
    expect(() => journal.file('../x')).toThrow(/not a fix id/);
  });

  it('checks the fix methods’ arguments', () => {
    expect(checkApiArgs('planFix', [{ target: 'a', variable: 'GOPROXY', value: '' }])).toBeUndefined();
    expect(checkApiArgs('planFix', [{ target: 'a', variable: 'GO PROXY' }])).toMatch(/variable name/);
    expect(checkApiArgs('planFix', [{ target: 'a', variable: 'X', contexts: ['nope'] }])).toMatch(/context id/);
    expect(checkApiArgs('applyFix', ['p1', { strategyId: 'bashrc' }])).toBeUndefined();
    expect(checkApiArgs('applyFix', ['p1', { strategy: 'bashrc' }])).toMatch(/unknown key/);
    expect(checkApiArgs('undoFix', ['f', { force: 'yes' }])).toMatch(/true or false/);
    expect(checkApiArgs('listFixes', [])).toBeUndefined();
    expect(checkApiArgs('restartVscodeServer', [''])).toMatch(/must not be empty/);
  });
});
