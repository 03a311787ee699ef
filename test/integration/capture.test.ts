/**
 * Capture against the real OpenSSH test lab: every trigger of DOMAIN.md, captured per
 * context exactly as the shells see it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot } from '../../src/node/capture';
import type { Snapshot } from '../../src/shared/model';
import { ALICE_ODD_VALUES, EL_BYTES_VALUE, HUGE_VAR_COUNT, bigValue } from '../../test-lab/lab';
import { lab, labOptions, labSkipReason, labTarget, liveProcessesOf } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

describeLab('capture of a bash account with Debian-style dotfiles (elalice)', () => {
  let snap: Snapshot;
  beforeAll(async () => {
    snap = await captureSnapshot(labTarget(lab!, lab!.users.bash), labOptions(lab!, { trace: true }));
  });

  it('captures every shell context as ok', () => {
    for (const id of ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'zsh', 'vscode-resolved'] as const) {
      expect({ id, status: snap.contexts[id]?.status, reason: snap.contexts[id]?.reason }).toEqual({ id, status: 'ok', reason: undefined });
    }
  });

  it('sees GOPROXY (exported below the interactive guard) only in interactive bash contexts', () => {
    const has = (id: keyof Snapshot['contexts']): boolean => snap.contexts[id]?.env?.GOPROXY !== undefined;
    expect({
      'ssh-command': has('ssh-command'),
      login: has('login'),
      'login-interactive': has('login-interactive'),
      'bash-interactive': has('bash-interactive'),
      zsh: has('zsh'),
      'vscode-resolved': has('vscode-resolved'),
      'vscode-server': has('vscode-server'),
      'vscode-exthost': has('vscode-exthost'),
    }).toEqual({
      'ssh-command': false,
      login: false,
      'login-interactive': true,
      'bash-interactive': true,
      zsh: false,
      'vscode-resolved': true,
      'vscode-server': false,
      'vscode-exthost': true,
    });
  });

  it('keeps the upper/lower-case proxy disagreement as the shell has it', () => {
    const env = snap.contexts['bash-interactive']!.env!;
    expect([env.http_proxy, env.HTTP_PROXY]).toEqual(['http://proxy-a.lab:3128', 'http://proxy-b.lab:8080']);
  });

  it('round-trips odd values exactly: newlines, =, spaces, Unicode', () => {
    const env = snap.contexts['ssh-command']!.env!;
    for (const [name, value] of Object.entries(ALICE_ODD_VALUES)) {
      if (name === 'EL_BYTES') continue;
      expect({ name, value: env[name] }).toEqual({ name, value });
    }
  });

  it('keeps non-UTF-8 bytes losslessly in raw (base64) and as escape surrogates in env', () => {
    const ctx = snap.contexts['ssh-command']!;
    expect(Buffer.from(ctx.raw!.EL_BYTES!.valueBase64, 'base64')).toEqual(Buffer.from(EL_BYTES_VALUE));
    expect(ctx.env!.EL_BYTES).toBe('\udcff\udcfeok');
  });

  it('keeps exported bash functions', () => {
    const env = snap.contexts['bash-interactive']!.env!;
    expect(env['BASH_FUNC_elfn%%']).toMatch(/^\(\) \{.*echo hi/s);
  });

  it('names the file and line that exported GOPROXY', () => {
    const refs = snap.contexts['bash-interactive']!.sources!.GOPROXY!;
    expect(refs.at(-1)).toMatchObject({ file: lab!.lines.aliceGoproxy!.file, line: lab!.lines.aliceGoproxy!.line, kind: 'set' });
  });

  it('does not leak tracing variables into the captured environment', () => {
    const env = snap.contexts['login']!.env!;
    expect([env.PS4, env.BASH_XTRACEFD, snap.contexts['vscode-resolved']!.env!.VSCODE_RESOLVING_ENVIRONMENT]).toEqual([undefined, undefined, undefined]);
  });

  it('finds the running VS Code server (current cli layout) and its extension host', () => {
    const server = snap.contexts['vscode-server']!;
    const exthost = snap.contexts['vscode-exthost']!;
    expect(server.process).toMatchObject({ pid: lab!.vscode.alice.serverPid, layout: 'cli', quality: 'stable' });
    expect(exthost.process?.pid).toBe(lab!.vscode.alice.exthostPid);
    expect(Date.parse(server.process!.startedAt!)).toBeGreaterThan(Date.parse(snap.host.bootedAt!));
  });

  it('records host facts: hostname, shell, startup file times', () => {
    expect(snap.host.shell).toBe('/bin/bash');
    expect(Object.keys(snap.host.startupFiles!)).toContain('/home/elalice/.bashrc');
  });
});

describeLab('capture of a zsh account (elzoe)', () => {
  let snap: Snapshot;
  beforeAll(async () => {
    snap = await captureSnapshot(labTarget(lab!, lab!.users.zsh), labOptions(lab!, { trace: true }));
  });

  it('runs login contexts with zsh, which never reads ~/.profile', () => {
    const login = snap.contexts.login!.env!;
    expect([login.EL_ZSHENV, login.EL_ZPROFILE, login.EL_PROFILE_ONLY]).toEqual(['1', '1', undefined]);
  });

  it('reads ~/.zshrc only in interactive zsh', () => {
    expect([snap.contexts.login!.env!.EL_ZSHRC, snap.contexts.zsh!.env!.EL_ZSHRC]).toEqual([undefined, '1']);
  });

  it('bash -i reads the account’s ~/.bashrc even though its shell is zsh', () => {
    expect(snap.contexts['bash-interactive']!.env!.EL_ZOE_BASHRC).toBe('1');
  });

  it('traces zsh startup files to file:line', () => {
    const ref = snap.contexts.zsh!.sources!.EL_ZSHRC!.at(-1)!;
    expect(ref.file).toBe('/home/elzoe/.zshrc');
    expect(ref.line).toBeGreaterThan(0);
  });

  it('finds the VS Code server in the legacy layout', () => {
    expect(snap.contexts['vscode-server']!.process).toMatchObject({ pid: lab!.vscode.zoe.serverPid, layout: 'legacy' });
  });
});

describeLab('hostile dotfiles', () => {
  it('fault: survives rc files that print banners, ANSI codes, binary junk and fake markers', async () => {
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.noisy), labOptions(lab!));
    const values = ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'vscode-resolved'].map(
      (id) => snap.contexts[id as 'login']?.env?.EL_NOISY,
    );
    expect(values).toEqual(['survived', 'survived', 'survived', 'survived', 'survived']);
  });

  it('fault: times out only the contexts whose startup file hangs, soon after the deadline, leaving no process behind', async () => {
    const started = Date.now();
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.hang), labOptions(lab!, { timeoutSec: 3, trace: true }));
    const elapsed = Date.now() - started;
    const statuses = Object.fromEntries(Object.entries(snap.contexts).map(([id, r]) => [id, r!.status]));
    expect(statuses).toMatchObject({
      'ssh-command': 'ok',
      login: 'timeout',
      'login-interactive': 'timeout',
      'bash-interactive': 'ok',
      'vscode-resolved': 'timeout',
    });
    expect(snap.contexts.login!.reason).toContain('.bash_profile');
    expect(elapsed).toBeLessThan(3000 + 2500);
    expect(await liveProcessesOf(lab!.users.hang, 'sleep')).toBe('');
  });

  it('fault: captures an environment of thousands of variables and a 100 KiB+ value exactly', async () => {
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.huge), labOptions(lab!, { contexts: ['bash-interactive'] }));
    const env = snap.contexts['ssh-command']!.env!;
    expect(Object.keys(env).filter((k) => k.startsWith('EL_V')).length).toBe(HUGE_VAR_COUNT);
    expect(env.EL_BIG === bigValue()).toBe(true);
  });
});

describeLab('context selection', () => {
  it('captures only the requested contexts (plus ssh-command) and marks absent ones unavailable with a reason', async () => {
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { contexts: ['login', 'vscode-server'] }));
    expect(Object.keys(snap.contexts).sort()).toEqual(['login', 'ssh-command', 'vscode-server']);
    expect(snap.contexts['vscode-server']).toMatchObject({ status: 'unavailable' });
    expect(snap.contexts['vscode-server']!.reason).toMatch(/no VS Code server/);
  });
});
