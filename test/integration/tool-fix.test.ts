/**
 * Tool-native fixes against the real OpenSSH test lab (issue #11, part 3): `go env -w`
 * with the interactive export that would override it disabled in the same plan,
 * `git config --global`, undo back to the exact bytes, and the refusals (the tool's own
 * validation, the tool absent).
 *
 * The account eltoolfix is reserved for these tests: every test starts from its lab
 * dotfiles, rewritten here as root (test-lab/dotfiles.ts, TOOLFIX_VALUES): a go env file
 * saying goproxy.cn and an interactive-only `export GOPROXY=…proxy.golang.org…`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FixApplyResult, FixUndoResult } from '../../src/shared/fix';
import type { FixPlan } from '../../src/core/fix-plan';
import { LAB_USERS, TOOLFIX_VALUES, labAccounts } from '../../test-lab/dotfiles';
import { lab, labOptions, labSkipReason, labTarget, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const USER = LAB_USERS.toolFix;
const SHELL_CONTEXTS = ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'zsh', 'vscode-resolved'];
const GOENV = '.config/go/env';

interface Account {
  home: string;
  uid: number;
  gid: number;
}

function passwd(user: string): Account {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no account ${user}: run npx tsx test-lab/cli.ts start`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
}

/** Put eltoolfix back to its lab dotfiles exactly (as root): nothing else in its home. */
function resetAccount(): Account {
  const account = passwd(USER);
  const { home, uid, gid } = account;
  for (const name of readdirSync(home)) rmSync(join(home, name), { recursive: true, force: true });
  const spec = labAccounts(() => home, '/usr/bin/zsh').find((a) => a.user === USER)!;
  for (const [name, content] of Object.entries(spec.files)) {
    if (content === null) continue;
    const path = join(home, name);
    for (let d = dirname(path); d.startsWith(`${home}/`) && !existsSync(d); d = dirname(d)) {
      mkdirSync(d, { recursive: true });
    }
    writeFileSync(path, content, { mode: 0o644 });
    for (let p = path; p.startsWith(`${home}/`); p = dirname(p)) chownSync(p, uid, gid);
  }
  return account;
}

const sha = (path: string): string => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');
const leftovers = (home: string): string[] => readdirSync(home).filter((n) => n.includes('.envlens-'));

/** Run `command` through plain OpenSSH as eltoolfix (not envlens): what a person would see. */
function ssh(command: string): string {
  const res = spawnSync('ssh', ['-p', String(lab!.port), '-i', lab!.clientKey, '-o', `UserKnownHostsFile=${lab!.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-F', '/dev/null', `${USER}@${lab!.hosts[0]}`, command], { encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) throw new Error(`ssh ${command}: exit ${res.status}: ${res.stderr}`);
  return res.stdout;
}

/** `go env GOPROXY` as `bash -ic`, `bash -lc` and the exec shell (`ssh host cmd`) see it. */
function goproxyByHand(): string[] {
  return ["bash -ic 'go env GOPROXY' 2>/dev/null", "bash -lc 'go env GOPROXY'", 'go env GOPROXY'].map((c) => ssh(c).trim());
}

describeLab('tool-native fixes against the lab', () => {
  let account: Account;
  let env: NodeJS.ProcessEnv;
  let conn: string[];
  let target: string;
  beforeEach(() => {
    account = resetAccount();
    env = { ENVLENS_DATA_DIR: tempDir('envlens-tool-fix-') };
    conn = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', labOptions(lab!).sshConfigFile!, '--quiet'];
    target = labTarget(lab!, USER);
  });
  afterAll(() => {
    resetAccount();
  });

  it('go env -w + disabling the interactive export makes GOPROXY agree everywhere; undo restores the bytes', () => {
    const NEW = 'https://goproxy.io,direct';
    const bashrc = join(account.home, '.bashrc');
    const goenv = join(account.home, GOENV);
    const before = { bashrc: sha(bashrc), goenv: sha(goenv) };
    expect(goproxyByHand()).toEqual([TOOLFIX_VALUES.interactiveGoproxy, TOOLFIX_VALUES.goEnvGoproxy, TOOLFIX_VALUES.goEnvGoproxy]);

    const dry = runCli(['fix', target, '--var', 'GOPROXY', '--value', NEW, '--strategy', 'go-env', '--dry-run', '--json', ...conn], env);
    expect(dry.code).toBe(0);
    const plan = (JSON.parse(dry.stdout) as { plan: FixPlan }).plan;
    const go = plan.strategies.find((s) => s.id === 'go-env')!;
    expect(go.commands?.[0]?.argv.slice(1)).toEqual(['env', '-w', `GOPROXY=${NEW}`]);
    expect(go.edits.map((e) => [e.path, e.disabled.map((d) => d.text)])).toEqual([['.bashrc', [`export GOPROXY=${TOOLFIX_VALUES.interactiveGoproxy}`]]]);
    expect(Object.fromEntries(go.reach.filter((r) => r.chosen).map((r) => [r.context, r.outcome]))).toEqual(Object.fromEntries(SHELL_CONTEXTS.map((c) => [c, 'tool'])));
    expect([sha(bashrc), sha(goenv)]).toEqual([before.bashrc, before.goenv]);

    const applied = runCli(['fix', target, '--var', 'GOPROXY', '--value', NEW, '--strategy', 'go-env', '--apply', '--yes', '--json', ...conn], env);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    const { result } = JSON.parse(applied.stdout) as { result: FixApplyResult };
    expect(result.tools).toEqual([{ tool: 'go', setting: 'GOPROXY', command: expect.stringContaining(`env -w GOPROXY=${NEW}`), previous: TOOLFIX_VALUES.goEnvGoproxy }]);
    // Recapture: the variable is unset in every shell context and go resolves the new value from its file.
    const checked = result.verification!.contexts.filter((c) => SHELL_CONTEXTS.includes(c.context));
    expect(checked.map((c) => [c.context, c.status, c.after?.GOPROXY])).toEqual(SHELL_CONTEXTS.map((c) => [c, 'ok', null]));
    const views = checked.map((c) => c.tool);
    if (views.every((v) => v !== undefined)) {
      expect(views.map((v) => [v.value, v.origin])).toEqual(SHELL_CONTEXTS.map(() => [NEW, goenv]));
    } else {
      console.warn('tool views are not in this capture yet: verified through the environment and `go env` read back only');
    }
    expect(result.verification!.toolChecks?.map((t) => [t.value, t.ok])).toEqual([[NEW, true]]);
    expect(result.verification!.verified).toBe(true);
    // By hand, through plain ssh.
    expect(goproxyByHand()).toEqual([NEW, NEW, NEW]);
    expect(readFileSync(goenv, 'utf8')).toBe(`GOPROXY=${NEW}\n`);

    const undone = runCli(['fix', target, '--var', 'GOPROXY', '--undo', '--json', ...conn], env);
    expect(undone.code).toBe(0);
    const undo = JSON.parse(undone.stdout) as FixUndoResult;
    expect(undo.tools).toEqual([{ tool: 'go', setting: 'GOPROXY', command: expect.stringContaining(`env -w GOPROXY=${TOOLFIX_VALUES.goEnvGoproxy}`), restored: TOOLFIX_VALUES.goEnvGoproxy, verified: true }]);
    expect([sha(bashrc), sha(goenv)]).toEqual([before.bashrc, before.goenv]);
    expect(goproxyByHand()).toEqual([TOOLFIX_VALUES.interactiveGoproxy, TOOLFIX_VALUES.goEnvGoproxy, TOOLFIX_VALUES.goEnvGoproxy]);
    expect(leftovers(account.home)).toEqual([]);
  });

  it('go env -w on an account without a go env file: undo leaves no file behind', () => {
    const goenv = join(account.home, GOENV);
    rmSync(goenv);
    const NEW = 'https://goproxy.io,direct';
    const applied = runCli(['fix', target, '--var', 'GOPROXY', '--value', NEW, '--strategy', 'go-env', '--contexts', 'ssh-command,login', '--apply', '--yes', '--json', ...conn], env);
    expect(applied.code).toBe(0);
    expect((JSON.parse(applied.stdout) as { result: FixApplyResult }).result.tools?.[0]?.previous).toBeNull();
    expect(readFileSync(goenv, 'utf8')).toBe(`GOPROXY=${NEW}\n`);
    const undone = runCli(['fix', target, '--var', 'GOPROXY', '--undo', ...conn], env);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('unset again');
    expect(existsSync(goenv)).toBe(false);
    expect(ssh('go env GOPROXY').trim()).toBe('https://proxy.golang.org,direct');
  });

  it('git config --global http.proxy with quotes, spaces, $ and backticks; undo restores ~/.gitconfig byte for byte', () => {
    const gitconfig = join(account.home, '.gitconfig');
    const before = sha(gitconfig);
    const hostile = `http://u:p'"a b$HOME\`id\`$(id)@proxy.lab:3128`;
    const applied = runCli(['fix', target, '--var', 'http_proxy', '--value', hostile, '--strategy', 'git-config', '--apply', '--yes', '--json', ...conn], env);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    const { result } = JSON.parse(applied.stdout) as { result: FixApplyResult };
    expect(result.tools?.[0]).toMatchObject({ tool: 'git', setting: 'http.proxy', previous: TOOLFIX_VALUES.gitProxy });
    expect(result.files).toEqual([]);
    expect(ssh('git config --global --get http.proxy')).toBe(`${hostile}\n`);
    expect(ssh("bash -ic 'git config --get http.proxy' 2>/dev/null")).toBe(`${hostile}\n`);
    expect(result.verification?.verified).toBe(true);
    const undone = runCli(['fix', target, '--var', 'http_proxy', '--undo', ...conn], env);
    expect(undone.code).toBe(0);
    expect(sha(gitconfig)).toBe(before);
    expect(ssh('git config --global --get http.proxy')).toBe(`${TOOLFIX_VALUES.gitProxy}\n`);
  });

  it('npm config set and pip config set, with undo leaving no config file behind', () => {
    const npmrc = join(account.home, '.npmrc');
    const pipconf = join(account.home, '.config/pip');
    const value = "http://npm 'proxy':1/$x";
    const npm = runCli(['fix', target, '--var', 'http_proxy', '--value', value, '--strategy', 'npm-config', '--apply', '--yes', '--json', ...conn], env);
    expect({ code: npm.code, stderr: npm.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ssh('npm config get proxy')).toBe(`${value}\n`);
    expect(runCli(['fix', target, '--var', 'http_proxy', '--undo', ...conn], env).code).toBe(0);
    expect(existsSync(npmrc)).toBe(false);
    const index = 'https://pypi.lab/simple';
    const pip = runCli(['fix', target, '--var', 'PIP_INDEX_URL', '--value', index, '--strategy', 'pip-config', '--apply', '--yes', '--json', ...conn], env);
    expect({ code: pip.code, stderr: pip.stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(pip.stdout) as { result: FixApplyResult }).result.verification?.toolChecks?.[0]).toMatchObject({ value: index, ok: true });
    expect(ssh('pip config --user get global.index-url')).toBe(`${index}\n`);
    expect(runCli(['fix', target, '--var', 'PIP_INDEX_URL', '--undo', ...conn], env).code).toBe(0);
    expect(existsSync(pipconf)).toBe(false);
  });

  it('refuses a value the tool itself rejects, with its message, and changes nothing', () => {
    const bashrc = join(account.home, '.bashrc');
    const goenv = join(account.home, GOENV);
    const before = [sha(bashrc), sha(goenv)];
    const refused = runCli(['fix', target, '--var', 'GO111MODULE', '--value', 'maybe', '--strategy', 'go-env', '--apply', '--yes', ...conn], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('go refused: go: invalid GO111MODULE value "maybe"');
    expect([sha(bashrc), sha(goenv)]).toEqual(before);
    expect(leftovers(account.home)).toEqual([]);
    expect(readdirSync(join(env.ENVLENS_DATA_DIR!, 'fix-journal'))).toEqual([]);
  });

  it('refuses the go strategy when go is not on the PATH of the chosen contexts', () => {
    // A PATH holding every command of /usr/bin except the go toolchain, set above the guard.
    const bin = join(account.home, 'nogo-bin');
    mkdirSync(bin);
    for (const name of readdirSync('/usr/bin')) if (!/^go/.test(name)) symlinkSync(`/usr/bin/${name}`, join(bin, name));
    const bashrc = join(account.home, '.bashrc');
    writeFileSync(bashrc, `export PATH=${bin}\n${readFileSync(bashrc, 'utf8')}`);
    const before = sha(bashrc);
    const dry = runCli(['fix', target, '--var', 'GOPROXY', '--value', 'https://goproxy.io,direct', '--contexts', 'ssh-command,login,bash-interactive', '--dry-run', ...conn], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Not offered: go-env (go is not installed on the host');
    const refused = runCli(['fix', target, '--var', 'GOPROXY', '--value', 'https://goproxy.io,direct', '--contexts', 'ssh-command,login,bash-interactive', '--strategy', 'go-env', '--apply', '--yes', ...conn], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('there is no strategy "go-env" for this fix: go is not installed on the host');
    expect(sha(bashrc)).toBe(before);
  });
});
