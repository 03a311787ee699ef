/**
 * `envlens fix` against the real OpenSSH test lab: plan, apply over SFTP, verify by
 * capturing again, undo byte for byte; and the faults: a file changed between preview
 * and apply, a result that fails `bash -n`, a connection dropped before the rename,
 * symlinked and mode-600 dotfiles, files outside the home or not the account's, a
 * read-only home.
 *
 * The accounts elfix (bash) and elfixz (zsh) are reserved for these tests: every test
 * starts from their lab dotfiles, rewritten here as root (test-lab/dotfiles.ts).
 */
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FixRequestInput } from '../../src/core/fix-plan';
import { applyFixPlan, planFromPreview, previewFix, undoFixEntry, restartVscodeServer, type ApplyOptions } from '../../src/node/fix-apply';
import { FixJournal } from '../../src/node/fix-journal';
import { withConnection } from '../../src/node/remote-session';
import { EnvlensService } from '../../src/node/service';
import { EnvlensError } from '../../src/shared/errors';
import { FIX_VALUES, LAB_USERS, labAccounts } from '../../test-lab/dotfiles';
import { installFakeServer, killFakeServers, launchFakeServer } from '../../test-lab/vscode';
import { lab, labOptions, labSkipReason, labTarget, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const BASH = LAB_USERS.fix;
const ZSH = LAB_USERS.fixZsh;
const GP = FIX_VALUES.GOPROXY;
const SHELL_CONTEXTS = ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'zsh', 'vscode-resolved'];

interface Account {
  home: string;
  uid: number;
  gid: number;
  files: Record<string, string>;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function passwd(user: string): { uid: number; gid: number; home: string } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no account ${user}`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
}

/** Put the account back to its lab dotfiles exactly (as root): nothing else in its home. */
async function resetAccount(user: string): Promise<Account> {
  const { uid, gid, home } = passwd(user);
  await killFakeServers([uid]);
  chmodSync(home, 0o755);
  chownSync(home, uid, gid);
  for (const name of readdirSync(home)) rmSync(join(home, name), { recursive: true, force: true });
  const spec = labAccounts(() => home, '/usr/bin/zsh').find((a) => a.user === user)!;
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(spec.files)) {
    if (content === null) continue;
    const path = join(home, name);
    writeFileSync(path, content, { mode: 0o644 });
    chmodSync(path, 0o644);
    chownSync(path, uid, gid);
    files[name] = content;
  }
  return { home, uid, gid, files };
}

/** Names in the home directory that a fix leaves behind (backups, temp files). */
const leftovers = (home: string): string[] => readdirSync(home).filter((n) => n.includes('.envlens-'));

describeLab('envlens fix against the lab', () => {
  let journal: FixJournal;
  let bash: Account;
  let zsh: Account;
  beforeEach(async () => {
    journal = new FixJournal(tempDir('envlens-fix-journal-'));
    bash = await resetAccount(BASH);
    zsh = await resetAccount(ZSH);
  });

  /** Capture, preview, plan and apply on one connection. */
  async function fix(user: string, request: FixRequestInput, extra: Partial<ApplyOptions> & { between?: () => void } = {}) {
    return withConnection(labTarget(lab!, user), labOptions(lab!), async (session) => {
      const snapshot = await session.capture({ trace: true });
      const preview = await previewFix(session, snapshot, [request.variable]);
      const plan = planFromPreview(preview, request);
      extra.between?.();
      const result = await applyFixPlan(session, preview, plan, { journal, ...extra });
      return { plan, preview, result };
    });
  }

  async function undo(user: string, fixId: string, force = false) {
    const entry = await journal.read(fixId);
    return withConnection(labTarget(lab!, user), labOptions(lab!), (session) => undoFixEntry(session, entry, { journal, force }));
  }

  const outcome = (contexts: { context: string; status: string; after?: Record<string, string | null> }[], name: string) =>
    Object.fromEntries(contexts.filter((c) => SHELL_CONTEXTS.includes(c.context)).map((c) => [c.context, [c.status, c.after?.[name]]]));

  it('fixes the seed case (GOPROXY below the interactive guard) in every bash and zsh context, verified', async () => {
    const { result } = await fix(BASH, { variable: 'GOPROXY' });
    expect(result.strategy).toBe('bashrc');
    expect(result.verification?.verified).toBe(true);
    expect(outcome(result.verification!.contexts, 'GOPROXY')).toEqual(Object.fromEntries(SHELL_CONTEXTS.map((c) => [c, ['ok', GP]])));
    const text = readFileSync(join(bash.home, '.bashrc'), 'utf8');
    expect(text.startsWith(`# >>> envlens GOPROXY >>>\n`)).toBe(true);
    expect(text.endsWith(bash.files['.bashrc']!)).toBe(true);
    expect(result.files[0]?.backup).toBe(`${bash.home}/.bashrc.envlens-backup-${result.fixId}`);
    expect(readFileSync(result.files[0]!.backup!, 'utf8')).toBe(bash.files['.bashrc']);
  });

  it('undo leaves every touched file byte-identical and removes its backups', async () => {
    const before = sha(join(bash.home, '.bashrc'));
    const { result } = await fix(BASH, { variable: 'http_proxy', value: FIX_VALUES.http_proxy });
    expect(sha(join(bash.home, '.bashrc'))).not.toBe(before);
    const undone = await undo(BASH, result.fixId);
    expect(undone.files).toEqual([{ path: '.bashrc', real: `${bash.home}/.bashrc`, action: 'restored' }]);
    expect(sha(join(bash.home, '.bashrc'))).toBe(before);
    expect(leftovers(bash.home)).toEqual([]);
    expect((await journal.read(result.fixId)).status).toBe('undone');
  });

  it('resolves the http_proxy/HTTP_PROXY disagreement in every context', async () => {
    const { result } = await fix(BASH, { variable: 'http_proxy', value: FIX_VALUES.http_proxy });
    expect(result.verification?.verified).toBe(true);
    for (const c of result.verification!.contexts.filter((x) => SHELL_CONTEXTS.includes(x.context))) {
      expect({ context: c.context, after: c.after }).toEqual({ context: c.context, after: { http_proxy: FIX_VALUES.http_proxy, HTTP_PROXY: FIX_VALUES.http_proxy } });
    }
    expect(readFileSync(join(bash.home, '.bashrc'), 'utf8')).toContain(`: # envlens-disabled HTTP_PROXY: export HTTP_PROXY=${FIX_VALUES.HTTP_PROXY}\n`);
  });

  it('makes a zsh account’s ~/.profile export visible to zsh through ~/.zshenv', async () => {
    const before = sha(join(zsh.home, '.zshenv'));
    const { plan, result } = await fix(ZSH, { variable: 'GOPROXY' });
    expect(plan.assignments[0]?.target).toEqual({ kind: 'set', value: FIX_VALUES.zshGoproxy });
    expect(result.strategy).toBe('zshenv');
    expect(result.verification?.verified).toBe(true);
    expect(outcome(result.verification!.contexts, 'GOPROXY')).toEqual(Object.fromEntries(SHELL_CONTEXTS.map((c) => [c, ['ok', FIX_VALUES.zshGoproxy]])));
    await undo(ZSH, result.fixId);
    expect(sha(join(zsh.home, '.zshenv'))).toBe(before);
  });

  it('undo removes a file the fix created', async () => {
    expect(existsSync(join(bash.home, '.zshenv'))).toBe(false);
    const { result } = await fix(BASH, { variable: 'GOPROXY', contexts: ['zsh'] }, { strategyId: 'zshenv' });
    expect(result.files).toEqual([{ path: '.zshenv', real: `${bash.home}/.zshenv`, created: true, deleted: false }]);
    expect(result.verification?.verified).toBe(true);
    expect(statSync(join(bash.home, '.zshenv')).uid).toBe(bash.uid);
    await undo(BASH, result.fixId);
    expect(existsSync(join(bash.home, '.zshenv'))).toBe(false);
    expect(leftovers(bash.home)).toEqual([]);
  });

  it('fault: refuses when a file changed between preview and apply, and writes nothing', async () => {
    const bashrc = join(bash.home, '.bashrc');
    const edited = `${bash.files['.bashrc']}export EDITED_MEANWHILE=1\n`;
    const attempt = fix(BASH, { variable: 'GOPROXY' }, { between: () => writeFileSync(bashrc, edited) });
    await expect(attempt).rejects.toMatchObject({ kind: 'fix-refused', message: expect.stringMatching(/~\/\.bashrc was modified .* since the preview: nothing was written/) });
    expect(readFileSync(bashrc, 'utf8')).toBe(edited);
    expect(leftovers(bash.home)).toEqual([]);
    expect(await journal.list()).toEqual([]);
  });

  it('fault: refuses a result that fails bash -n (the file was already broken) and writes nothing', async () => {
    const bashrc = join(bash.home, '.bashrc');
    const broken = `${bash.files['.bashrc']}if true; then\n  echo unterminated\n`;
    writeFileSync(bashrc, broken);
    const attempt = fix(BASH, { variable: 'GOPROXY' });
    await expect(attempt).rejects.toMatchObject({ kind: 'fix-refused', message: expect.stringMatching(/fails `bash -n`.*already fails it before the fix.*nothing was written/) });
    expect(readFileSync(bashrc, 'utf8')).toBe(broken);
    expect(leftovers(bash.home)).toEqual([]);
  });

  it('fault: a connection dropped before the rename leaves the old file; the leftovers go with the next fix or undo', async () => {
    const bashrc = join(bash.home, '.bashrc');
    const before = sha(bashrc);
    let failedId = '';
    const attempt = withConnection(labTarget(lab!, BASH), labOptions(lab!), async (session) => {
      const snapshot = await session.capture({ trace: true });
      const preview = await previewFix(session, snapshot, ['GOPROXY']);
      const plan = planFromPreview(preview, { variable: 'GOPROXY' });
      return applyFixPlan(session, preview, plan, { journal, onStep: (step) => void (step === 'before-rename' && session.destroy()) });
    });
    await expect(attempt).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/connection was lost.*nothing was replaced/) });
    expect(sha(bashrc)).toBe(before);
    const [entry] = await journal.list();
    failedId = entry!.id;
    expect(entry?.status).toBe('failed');
    expect(leftovers(bash.home).some((n) => n.includes('.envlens-tmp-'))).toBe(true);
    // A new fix cleans the temp file up and works.
    const { result } = await fix(BASH, { variable: 'GOPROXY' });
    expect(result.notes.join(' ')).toMatch(/removed 1 temp file/);
    expect(result.verification?.verified).toBe(true);
    await undo(BASH, result.fixId);
    const undoneFailed = await undo(BASH, failedId);
    expect(undoneFailed.files[0]?.action).toBe('unchanged');
    expect(sha(bashrc)).toBe(before);
    expect(leftovers(bash.home)).toEqual([]);
  });

  it('keeps a symlinked ~/.bashrc a symlink and edits its real target', async () => {
    const dir = join(bash.home, 'dotfiles');
    mkdirSync(dir);
    lchownSync(dir, bash.uid, bash.gid);
    renameSync(join(bash.home, '.bashrc'), join(dir, 'bashrc'));
    symlinkSync('dotfiles/bashrc', join(bash.home, '.bashrc'));
    lchownSync(join(bash.home, '.bashrc'), bash.uid, bash.gid);
    const before = sha(join(dir, 'bashrc'));
    const { preview, result } = await fix(BASH, { variable: 'GOPROXY' });
    expect(preview.files.find((f) => f.path === '.bashrc')).toMatchObject({ symlink: true, real: `${bash.home}/dotfiles/bashrc` });
    expect(result.verification?.verified).toBe(true);
    expect(lstatSync(join(bash.home, '.bashrc')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(bash.home, '.bashrc'))).toBe('dotfiles/bashrc');
    expect(readFileSync(join(dir, 'bashrc'), 'utf8')).toContain("export GOPROXY='https://goproxy.cn,direct'");
    await undo(BASH, result.fixId);
    expect(lstatSync(join(bash.home, '.bashrc')).isSymbolicLink()).toBe(true);
    expect(sha(join(dir, 'bashrc'))).toBe(before);
  });

  it('keeps a mode-600 ~/.bashrc mode 600 (and its backup)', async () => {
    const bashrc = join(bash.home, '.bashrc');
    chmodSync(bashrc, 0o600);
    const before = sha(bashrc);
    const { result } = await fix(BASH, { variable: 'GOPROXY' });
    expect(result.verification?.verified).toBe(true);
    expect(statSync(bashrc).mode & 0o7777).toBe(0o600);
    expect(statSync(result.files[0]!.backup!).mode & 0o7777).toBe(0o600);
    expect(statSync(bashrc).uid).toBe(bash.uid);
    await undo(BASH, result.fixId);
    expect(statSync(bashrc).mode & 0o7777).toBe(0o600);
    expect(sha(bashrc)).toBe(before);
  });

  it('fault: will not edit a dotfile outside the home or not owned by the account', async () => {
    const outside = '/tmp/envlens-fix-test-outside-bashrc';
    writeFileSync(outside, bash.files['.bashrc']!);
    chownSync(outside, bash.uid, bash.gid);
    rmSync(join(bash.home, '.bashrc'));
    symlinkSync(outside, join(bash.home, '.bashrc'));
    lchownSync(join(bash.home, '.bashrc'), bash.uid, bash.gid);
    chownSync(join(bash.home, '.profile'), 0, 0);
    try {
      const attempt = fix(BASH, { variable: 'GOPROXY' }, { strategyId: 'bashrc' });
      await expect(attempt).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('no strategy "bashrc"') });
      await withConnection(labTarget(lab!, BASH), labOptions(lab!), async (session) => {
        const preview = await previewFix(session, await session.capture({ trace: true }), ['GOPROXY']);
        expect(preview.files.find((f) => f.path === '.bashrc')?.locked).toMatch(/outside the home directory/);
        expect(preview.files.find((f) => f.path === '.profile')?.locked).toMatch(/owned by uid 0/);
        const plan = planFromPreview(preview, { variable: 'GOPROXY' });
        expect(plan.strategies.some((s) => s.units.includes('bashrc') || s.units.includes('login'))).toBe(false);
        expect(plan.notes.join(' ')).toMatch(/Not offered: bashrc .*outside the home directory/);
      });
      expect(readFileSync(outside, 'utf8')).toBe(bash.files['.bashrc']);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('fault: says clearly that a read-only home cannot be written, and changes nothing', async () => {
    const before = sha(join(bash.home, '.bashrc'));
    chmodSync(bash.home, 0o555);
    const attempt = fix(BASH, { variable: 'GOPROXY' });
    await expect(attempt).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/permission denied/), hint: expect.stringMatching(/read-only/) });
    chmodSync(bash.home, 0o755);
    expect(sha(join(bash.home, '.bashrc'))).toBe(before);
    expect(leftovers(bash.home)).toEqual([]);
    expect(await journal.list()).toEqual([]);
  });

  it('reports the running VS Code server as needing a restart, and restarts it when asked', async () => {
    const paths = installFakeServer({ key: 'fix', user: BASH, uid: bash.uid, gid: bash.gid, home: bash.home, shell: '/bin/bash', layout: 'cli', exthostExtraEnv: {}, sshPort: lab!.port }, realpathSync(lab!.vscode.alice.nodePath));
    const server = await launchFakeServer({ key: 'fix', user: BASH, uid: bash.uid, gid: bash.gid, home: bash.home, shell: '/bin/bash', layout: 'cli', exthostExtraEnv: {}, sshPort: lab!.port }, paths, join(tempDir(), 'vscode-fix.log'));
    const { result } = await fix(BASH, { variable: 'GOPROXY' });
    const byContext = Object.fromEntries(result.verification!.contexts.map((c) => [c.context, c.status]));
    expect([byContext['vscode-server'], byContext['vscode-exthost']]).toEqual(['restart-needed', 'restart-needed']);
    expect(result.verification?.verified).toBe(true);
    const { killed } = await withConnection(labTarget(lab!, BASH), labOptions(lab!), (session) => restartVscodeServer(session));
    expect(killed).toEqual([server.serverPid]);
    for (let i = 0; i < 50 && existsSync(`/proc/${server.exthostPid}`); i++) await new Promise((r) => setTimeout(r, 50));
    expect([existsSync(`/proc/${server.serverPid}`), existsSync(`/proc/${server.exthostPid}`)]).toEqual([false, false]);
    await undo(BASH, result.fixId);
  });

  it('works through the service the UI uses: plan, apply, list, undo', async () => {
    const dataDir = tempDir('envlens-fix-service-');
    const service = new EnvlensService({ dataDir, mode: 'browser', capture: { identities: [lab!.clientKey], knownHostsFile: lab!.knownHostsFile, sshConfigFile: labOptions(lab!).sshConfigFile!, timeoutSec: 5 } });
    const before = sha(join(bash.home, '.bashrc'));
    const { planId, plan, files } = await service.planFix({ target: labTarget(lab!, BASH), variable: 'GOPROXY' });
    expect(plan.defaultStrategy).toBe('bashrc');
    expect(files.find((f) => f.path === '.bashrc')).toMatchObject({ exists: true, sha256: before, mode: 0o644 });
    const result = await service.applyFix(planId);
    expect(result.verification?.verified).toBe(true);
    await expect(service.applyFix(planId)).rejects.toBeInstanceOf(EnvlensError);
    expect((await service.listFixes({ target: labTarget(lab!, BASH) })).map((f) => [f.id, f.status])).toEqual([[result.fixId, 'applied']]);
    const undone = await service.undoFix(result.fixId);
    expect(undone.files[0]?.action).toBe('restored');
    expect(sha(join(bash.home, '.bashrc'))).toBe(before);
  });

  it('CLI: --dry-run shows the diff, --apply needs --yes without a terminal, then applies and --undo restores', () => {
    const env = { ENVLENS_DATA_DIR: tempDir('envlens-fix-cli-') };
    const conn = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', labOptions(lab!).sshConfigFile!, '--quiet'];
    const target = labTarget(lab!, BASH);
    const before = sha(join(bash.home, '.bashrc'));
    const dry = runCli(['fix', target, '--var', 'GOPROXY', '--dry-run', ...conn], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("+export GOPROXY='https://goproxy.cn,direct'");
    expect(dry.stdout).toMatch(/\* +1 +bashrc +reaches 6\/6/);
    expect(sha(join(bash.home, '.bashrc'))).toBe(before);
    const refused = runCli(['fix', target, '--var', 'GOPROXY', '--apply', ...conn], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no terminal to ask on/);
    const applied = runCli(['fix', target, '--var', 'GOPROXY', '--apply', '--yes', ...conn], env);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    expect(applied.stdout).toMatch(/Verified: every chosen context/);
    const undone = runCli(['fix', target, '--var', 'GOPROXY', '--undo', ...conn], env);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('restored byte for byte');
    expect(sha(join(bash.home, '.bashrc'))).toBe(before);
    expect(runCli(['fix', target, '--var', 'GOPROXY', '--undo', ...conn], env).code).toBe(2);
  });

  it('fault: CLI: an applied fix that cannot be verified exits 1', () => {
    const env = { ENVLENS_DATA_DIR: tempDir('envlens-fix-cli-') };
    const conn = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', labOptions(lab!).sshConfigFile!, '--quiet'];
    // ~/.zshenv alone does not reach `ssh host cmd` of a bash account.
    const applied = runCli(['fix', labTarget(lab!, BASH), '--var', 'GOPROXY', '--apply', '--yes', '--strategy', 'zshenv', '--contexts', 'ssh-command,zsh', ...conn], env);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toMatch(/Not verified/);
    expect(runCli(['fix', labTarget(lab!, BASH), '--var', 'GOPROXY', '--undo', ...conn], env).code).toBe(0);
    expect(existsSync(join(bash.home, '.zshenv'))).toBe(false);
  });
});
