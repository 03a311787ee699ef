import { describe, expect, it } from 'vitest';
import type { ContextId, ContextResult, SourceRef } from '../shared/model';
import { findFindings, type Finding } from './findings';
import { makeSnapshot } from './test-snapshot';

const HOME = '/home/alice';
const base = { HOME, USER: 'alice', LANG: 'C.UTF-8', PATH: '/usr/local/bin:/usr/bin:/bin' };
const set = (file: string, line: number): SourceRef[] => [{ file, line, kind: 'set' }];
const ok = (env: Record<string, string>, sources?: Record<string, SourceRef[]>, extra: Partial<ContextResult> = {}): ContextResult =>
  sources ? { status: 'ok', env, sources, ...extra } : { status: 'ok', env, ...extra };
const byId = (findings: Finding[], id: string): Finding | undefined => findings.find((f) => f.id === id);
const ids = (findings: Finding[]): string[] => findings.map((f) => f.id);

describe('missing', () => {
  const goproxy = { ...base, GOPROXY: 'https://goproxy.cn,direct' };
  const guard = makeSnapshot({
    'ssh-command': base,
    login: base,
    'login-interactive': ok(goproxy, { GOPROXY: set(`${HOME}/.bashrc`, 12) }),
    'bash-interactive': ok(goproxy, { GOPROXY: set(`${HOME}/.bashrc`, 12) }),
  });
  const findings = findFindings(guard);

  it('reports an important variable missing in some contexts as high', () => {
    expect(byId(findings, 'missing:GOPROXY')?.severity).toBe('high');
  });
  it('names the contexts where it is missing', () => {
    expect(byId(findings, 'missing:GOPROXY')?.contexts).toEqual(['ssh-command', 'login']);
  });
  it('explains an export below the interactive guard of ~/.bashrc', () => {
    expect(byId(findings, 'missing:GOPROXY')?.cause).toBe(
      'GOPROXY is exported at /home/alice/.bashrc:12, below the interactive guard, so only interactive shells read it',
    );
  });
  it('proposes the value to set where it is missing', () => {
    expect(byId(findings, 'missing:GOPROXY')?.fix).toEqual({ variable: 'GOPROXY', value: 'https://goproxy.cn,direct', contexts: ['ssh-command', 'login'] });
  });
  it('gives evidence for every context, with the source where it is set', () => {
    expect(byId(findings, 'missing:GOPROXY')?.evidence[2]).toEqual({ context: 'login-interactive', value: 'https://goproxy.cn,direct', source: { file: '/home/alice/.bashrc', line: 12, kind: 'set' } });
  });
  it('says what the variable does and who reads it', () => {
    expect(byId(findings, 'missing:GOPROXY')?.explanation).toContain('Read by: go.');
  });

  it('hedges the cause when the capture was not traced', () => {
    const s = makeSnapshot({ 'ssh-command': base, 'bash-interactive': goproxy });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.cause).toMatch(/^only interactive shells have GOPROXY: it is probably set below the interactive guard/);
  });
  it('reports an ordinary variable as low', () => {
    const s = makeSnapshot({ 'ssh-command': base, login: { ...base, EDITOR: 'vim' } });
    expect(byId(findFindings(s), 'missing:EDITOR')?.severity).toBe('low');
  });
  it('explains a login-only file', () => {
    const s = makeSnapshot({ 'ssh-command': base, login: ok({ ...base, EDITOR: 'vim' }, { EDITOR: set(`${HOME}/.profile`, 2) }) });
    expect(byId(findFindings(s), 'missing:EDITOR')?.cause).toBe('EDITOR is set in /home/alice/.profile:2, which only login shells read; ssh-command is not a login shell');
  });
  it('explains a zsh-only file', () => {
    const s = makeSnapshot({ 'ssh-command': base, zsh: ok(goproxy, { GOPROXY: set(`${HOME}/.zshrc`, 3) }) });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.cause).toMatch(/only zsh reads/);
  });
  it('rates a variable missing only for systemd user services medium', () => {
    const s = makeSnapshot({ 'ssh-command': goproxy, 'systemd-user': base });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.severity).toBe('medium');
  });
  it('points systemd user services to environment.d', () => {
    const s = makeSnapshot({ 'ssh-command': goproxy, 'systemd-user': base });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.cause).toMatch(/environment\.d/);
  });
  it('rates GO* low where the go env -w file supplies the same value', () => {
    const tools = { go: { status: 'ok' as const, settings: { GOPROXY: { value: 'https://goproxy.cn,direct', origin: `${HOME}/.config/go/env` } } } };
    const s = makeSnapshot({ 'ssh-command': ok(base, undefined, { tools }), 'bash-interactive': goproxy });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.severity).toBe('low');
  });
  it('blames a stale VS Code server when only its processes lack a variable', () => {
    const s = makeSnapshot({ 'ssh-command': goproxy, 'vscode-server': base });
    expect(byId(findFindings(s), 'missing:GOPROXY')?.cause).toMatch(/^the running VS Code server started before GOPROXY was set/);
  });
  it("ignores VS Code's own variables that exist only in its processes", () => {
    const s = makeSnapshot({ 'ssh-command': base, 'vscode-server': { ...base, VSCODE_AGENT_FOLDER: '/home/alice/.vscode-server' } });
    expect(findFindings(s)).toEqual([]);
  });
});

describe('volatile and unavailable contexts', () => {
  it('never reports volatile variables', () => {
    const s = makeSnapshot({ 'ssh-command': { ...base, SHLVL: '1', SSH_CONNECTION: '1 2 3 4' }, login: { ...base, SHLVL: '2', VSCODE_IPC_HOOK_CLI: '/run/user/1/vscode-ipc-ab.sock' } });
    expect(findFindings(s)).toEqual([]);
  });
  it('ignores contexts that are not ok', () => {
    const s = makeSnapshot({ 'ssh-command': base, login: base, zsh: { status: 'timeout', reason: 'hung' } });
    expect(findFindings(s)).toEqual([]);
  });
  it('considers only the requested contexts', () => {
    const s = makeSnapshot({ 'ssh-command': base, login: base, zsh: { ...base, GOPROXY: 'x' } });
    expect(findFindings(s, { contexts: ['ssh-command', 'login'] })).toEqual([]);
  });
});

describe('different', () => {
  const s = makeSnapshot({
    'ssh-command': ok({ ...base, GOPROXY: 'https://proxy.golang.org,direct' }, { GOPROXY: set('/etc/environment', 4) }),
    login: ok({ ...base, GOPROXY: 'https://goproxy.cn,direct' }, { GOPROXY: set(`${HOME}/.profile`, 9) }),
    'bash-interactive': ok({ ...base, GOPROXY: 'https://goproxy.cn,direct' }, { GOPROXY: set(`${HOME}/.profile`, 9) }),
  });
  const findings = findFindings(s);
  it('reports an important variable with different values as high', () => {
    expect(byId(findings, 'different:GOPROXY')?.severity).toBe('high');
  });
  it('names where each value comes from', () => {
    expect(byId(findings, 'different:GOPROXY')?.cause).toBe('ssh-command gets it from /etc/environment:4; login, bash-interactive get it from /home/alice/.profile:9');
  });
  it('fixes toward the most common value', () => {
    expect(byId(findings, 'different:GOPROXY')?.fix).toEqual({ variable: 'GOPROXY', value: 'https://goproxy.cn,direct', contexts: ['ssh-command'] });
  });
});

describe('proxy-case', () => {
  const mixed = makeSnapshot({ 'ssh-command': base, login: { ...base, http_proxy: 'http://proxy-a:3128', HTTP_PROXY: 'http://proxy-b:8080' } });
  it('reports http_proxy and HTTP_PROXY disagreeing in one context as high', () => {
    expect(byId(findFindings(mixed), 'proxy-case:http_proxy:differ')?.severity).toBe('high');
  });
  it('says which tool uses which proxy', () => {
    expect(byId(findFindings(mixed), 'proxy-case:http_proxy:differ')?.explanation).toContain(
      'curl, git, python, wget use http://proxy-a:3128 (http_proxy); go uses http://proxy-b:8080 (HTTP_PROXY)',
    );
  });
  it('reports only-uppercase HTTP_PROXY as medium (curl, git and wget ignore it)', () => {
    const s = makeSnapshot({ login: { ...base, HTTP_PROXY: 'http://proxy-b:8080' } });
    expect(byId(findFindings(s), 'proxy-case:http_proxy:upper-only')?.severity).toBe('medium');
  });
  it('does not report lowercase-only proxies, which every tool reads', () => {
    const s = makeSnapshot({ login: { ...base, http_proxy: 'http://p:1', https_proxy: 'http://p:1' } });
    expect(findFindings(s)).toEqual([]);
  });
});

describe('no-proxy-case', () => {
  it('reports NO_PROXY without no_proxy as medium when a proxy is set', () => {
    const s = makeSnapshot({ login: { ...base, https_proxy: 'http://p:1', NO_PROXY: '.corp' } });
    expect(byId(findFindings(s), 'no-proxy-case:upper-only')?.severity).toBe('medium');
  });
  it('reports no_proxy and NO_PROXY listing different hosts', () => {
    const s = makeSnapshot({ login: { ...base, https_proxy: 'http://p:1', no_proxy: 'a', NO_PROXY: 'b' } });
    expect(byId(findFindings(s), 'no-proxy-case:differ')?.fix).toEqual({ variable: 'NO_PROXY', value: 'a', contexts: ['login'] });
  });
});

describe('path-entries', () => {
  it('reports a toolchain directory missing from PATH in ssh-command as high', () => {
    const s = makeSnapshot({ 'ssh-command': base, 'bash-interactive': { ...base, PATH: `${base.PATH}:/usr/local/go/bin` } });
    expect([byId(findFindings(s), 'path-entries:PATH')?.severity, byId(findFindings(s), 'path-entries:PATH')?.contexts]).toEqual(['high', ['ssh-command']]);
  });
  it('lists the missing entries in the title', () => {
    const s = makeSnapshot({ login: base, 'bash-interactive': { ...base, PATH: `/opt/tools:${base.PATH}` } });
    expect(byId(findFindings(s), 'path-entries:PATH')?.title).toBe('PATH lacks /opt/tools in login');
  });
  it('counts rather than lists many missing entries, keeping the title short', () => {
    const many = `/a:/b:/c:/d:${base.PATH}`;
    const s = makeSnapshot({ 'ssh-command': base, login: base, zsh: base, 'vscode-server': base, 'bash-interactive': { ...base, PATH: many } });
    expect(byId(findFindings(s), 'path-entries:PATH')?.title).toBe('PATH lacks 4 entries (/a, /b, …) in 4 contexts');
  });
  it("ignores the VS Code server's own PATH entries", () => {
    const s = makeSnapshot({ 'ssh-command': base, 'vscode-server': { ...base, PATH: `${HOME}/.vscode-server/cli/servers/Stable-abc/server/bin/remote-cli:${base.PATH}` } });
    expect(findFindings(s)).toEqual([]);
  });
  it('reports the same entries in another order as low', () => {
    const s = makeSnapshot({ login: base, zsh: { ...base, PATH: '/usr/bin:/usr/local/bin:/bin' } });
    expect(byId(findFindings(s), 'path-entries:PATH')?.severity).toBe('low');
  });
});

describe('vscode-stale', () => {
  const server: ContextResult = ok({ ...base, GOPROXY: 'https://old.example' }, undefined, { process: { pid: 42, cmdline: 'node server-main.js', startedAt: '2026-11-20T08:00:00.000Z' } });
  const contexts: Partial<Record<ContextId, ContextResult | Record<string, string>>> = {
    'ssh-command': { ...base, GOPROXY: 'https://goproxy.cn' },
    'vscode-resolved': { ...base, GOPROXY: 'https://goproxy.cn' },
    'vscode-server': server,
    'vscode-exthost': { ...base, GOPROXY: 'https://old.example' },
  };

  it('reports an extension host that differs from a fresh resolve', () => {
    expect(byId(findFindings(makeSnapshot(contexts)), 'vscode-stale:GOPROXY')?.severity).toBe('high');
  });
  it('reports a server older than a startup file change', () => {
    const s = makeSnapshot(contexts, { host: { startupFiles: { [`${HOME}/.bashrc`]: '2026-11-24T10:00:00.000Z' } } });
    expect(byId(findFindings(s), 'vscode-stale:server-start')?.cause).toBe('changed after the server started: /home/alice/.bashrc (2026-11-24T10:00:00.000Z)');
  });
  it('does not report a server started after the last change', () => {
    const s = makeSnapshot(contexts, { host: { startupFiles: { [`${HOME}/.bashrc`]: '2026-11-01T10:00:00.000Z' } } });
    expect(byId(findFindings(s), 'vscode-stale:server-start')).toBeUndefined();
  });
  it('says a stale extension host once: the missing finding does not list the extension host again', () => {
    const s = makeSnapshot({
      'ssh-command': base,
      'vscode-resolved': { ...base, http_proxy: 'http://p:3128' },
      'vscode-exthost': base,
    });
    const findings = findFindings(s);
    expect([byId(findings, 'missing:http_proxy')?.contexts, byId(findings, 'vscode-stale:http_proxy')?.kind]).toEqual([['ssh-command'], 'vscode-stale']);
  });
  it('reports a variable left over in the running server after it was removed', () => {
    const s = makeSnapshot({ 'ssh-command': base, 'vscode-server': { ...base, http_proxy: 'http://gone:3128' } });
    expect(ids(findFindings(s))).toEqual(['vscode-stale:http_proxy']);
  });
});

describe('options and order', () => {
  const s = makeSnapshot({ 'ssh-command': base, login: { ...base, GOPROXY: 'x', EDITOR: 'vim' } });
  it('sorts by severity first', () => {
    expect(findFindings(s).map((f) => f.severity)).toEqual(['high', 'low']);
  });
  it('drops findings below minSeverity', () => {
    expect(ids(findFindings(s, { minSeverity: 'high' }))).toEqual(['missing:GOPROXY']);
  });
});
