import { describe, expect, it } from 'vitest';
import type { ContextResult, SourceRef, ToolView } from '../shared/model';
import { findFindings, type Finding } from './findings';
import { renderFindings } from './render-findings';
import { makeSnapshot } from './test-snapshot';

const HOME = '/home/tina';
const base = { HOME, USER: 'tina', PATH: '/usr/bin:/bin' };
const GOENV = `${HOME}/.config/go/env`;
const CN = 'https://goproxy.cn,direct';
const ORG = 'https://proxy.golang.org,direct';
const byId = (findings: Finding[], id: string): Finding | undefined => findings.find((f) => f.id === id);
const goFromFile = (value = CN): ToolView => ({ status: 'ok', path: '/usr/bin/go', settings: { GOPROXY: { value, origin: GOENV, line: 1 } } });
const goFromEnv = (value: string): ToolView => ({ status: 'ok', path: '/usr/bin/go', settings: { GOPROXY: { value, origin: 'environment', variable: 'GOPROXY' } } });
const ctx = (env: Record<string, string>, tools: Record<string, ToolView>, sources?: Record<string, SourceRef[]>): ContextResult => ({ status: 'ok', env, tools, ...(sources ? { sources } : {}) });

describe('tool-aware findings: go', () => {
  it('missing but go resolves the same value from its env file there → low, with the file named', () => {
    const snap = makeSnapshot({
      'ssh-command': ctx(base, { go: goFromFile() }),
      login: ctx(base, { go: goFromFile() }),
      'bash-interactive': ctx({ ...base, GOPROXY: CN }, { go: goFromEnv(CN) }),
    });
    const f = byId(findFindings(snap), 'missing:GOPROXY');
    expect(f?.severity).toBe('low');
    expect(f?.explanation).toContain('Not a problem for go: in ssh-command, login it resolves the same GOPROXY from its own config (~/.config/go/env:1)');
    expect(byId(findFindings(snap), 'tool-override:go:GOPROXY')).toBeUndefined();
  });

  it('missing and go resolves another value from its file → told once, as a high tool-override', () => {
    const snap = makeSnapshot({
      'ssh-command': ctx(base, { go: goFromFile(CN) }),
      'bash-interactive': ctx({ ...base, GOPROXY: ORG }, { go: goFromEnv(ORG) }),
    });
    expect(byId(findFindings(snap), 'missing:GOPROXY')).toBeUndefined();
    expect(byId(findFindings(snap), 'tool-override:go:GOPROXY')?.severity).toBe('high');
  });

  it('without tool views a missing GOPROXY stays high', () => {
    const snap = makeSnapshot({ 'ssh-command': base, 'bash-interactive': { ...base, GOPROXY: CN } });
    expect(byId(findFindings(snap), 'missing:GOPROXY')?.severity).toBe('high');
  });

  describe('env overrides the go env file with another value', () => {
    const src = { GOPROXY: [{ file: `${HOME}/.bashrc`, line: 120, kind: 'set' as const }] };
    const snap = makeSnapshot({
      'ssh-command': ctx(base, { go: goFromFile() }),
      login: ctx(base, { go: goFromFile() }),
      'login-interactive': ctx({ ...base, GOPROXY: ORG }, { go: goFromEnv(ORG) }, src),
      'bash-interactive': ctx({ ...base, GOPROXY: ORG }, { go: goFromEnv(ORG) }, src),
    });
    const f = byId(findFindings(snap), 'tool-override:go:GOPROXY');
    it('is a high finding about the overriding contexts', () => {
      expect([f?.kind, f?.severity, f?.contexts]).toEqual(['tool-override', 'high', ['login-interactive', 'bash-interactive']]);
    });
    it('says which value wins where, with file and line', () => {
      expect(f?.cause).toBe(`go env file ~/.config/go/env:1 says ${CN}, but login-interactive, bash-interactive export GOPROXY=${ORG} (~/.bashrc:120), which wins for go`);
    });
    it('suggests making the environment agree with the tool config', () => {
      expect(f?.fix).toEqual({ variable: 'GOPROXY', value: CN, contexts: ['login-interactive', 'bash-interactive'] });
    });
    it('renders in diff output', () => {
      expect(renderFindings([f!])).toContain('which wins for go');
    });
  });

  it('an environment value equal to the config is no override', () => {
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { go: goFromFile() }), 'bash-interactive': ctx({ ...base, GOPROXY: CN }, { go: goFromEnv(CN) }) });
    expect(byId(findFindings(snap), 'tool-override:go:GOPROXY')).toBeUndefined();
  });
});

describe('tool-aware findings: git, npm, pip', () => {
  it('git: http.proxy in ~/.gitconfig wins over a different http_proxy', () => {
    const git: ToolView = { status: 'ok', settings: { 'http.proxy': { value: 'http://git-proxy:3128', origin: `${HOME}/.gitconfig`, line: 2 } } };
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { git }), 'bash-interactive': ctx({ ...base, http_proxy: 'http://other:8080' }, { git }) });
    const f = byId(findFindings(snap), 'tool-override:git:http.proxy');
    expect(f?.contexts).toEqual(['bash-interactive']);
    expect(f?.cause).toBe("bash-interactive exports http_proxy=http://other:8080, but git's http.proxy in ~/.gitconfig:2 says http://git-proxy:3128, which wins for git");
    expect(f?.fix).toBeUndefined();
  });
  it('npm: npm_config_proxy (any case) wins over ~/.npmrc', () => {
    const file: ToolView = { status: 'ok', settings: { proxy: { value: 'http://npmrc:1', origin: `${HOME}/.npmrc`, line: 1 } } };
    const env: ToolView = { status: 'ok', settings: { proxy: { value: 'http://env:2', origin: 'environment', variable: 'NPM_CONFIG_PROXY' } } };
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { npm: file }), zsh: ctx({ ...base, NPM_CONFIG_PROXY: 'http://env:2' }, { npm: env }) });
    const f = byId(findFindings(snap), 'tool-override:npm:proxy');
    expect([f?.variable, f?.contexts, f?.cause]).toEqual(['NPM_CONFIG_PROXY', ['zsh'], "npm's proxy in ~/.npmrc:1 says http://npmrc:1, but zsh exports NPM_CONFIG_PROXY=http://env:2, which wins for npm"]);
  });
  it('pip: PIP_INDEX_URL missing where pip.conf gives the same index → low', () => {
    const conf: ToolView = { status: 'ok', settings: { 'index-url': { value: 'https://pypi.lab/simple', origin: `${HOME}/.config/pip/pip.conf`, line: 2 } } };
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { pip: conf }), 'bash-interactive': ctx({ ...base, PIP_INDEX_URL: 'https://pypi.lab/simple' }, { pip: { status: 'ok', settings: { 'index-url': { value: 'https://pypi.lab/simple', origin: 'environment', variable: 'PIP_INDEX_URL' } } } }) });
    expect(byId(findFindings(snap), 'missing:PIP_INDEX_URL')?.severity).toBe('low');
  });
  it('a tool that is not on PATH in a context takes no part', () => {
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { go: { status: 'unavailable', reason: 'not on PATH' } }), 'bash-interactive': ctx({ ...base, GOPROXY: ORG }, { go: goFromEnv(ORG) }) });
    expect(byId(findFindings(snap), 'tool-override:go:GOPROXY')).toBeUndefined();
    expect(byId(findFindings(snap), 'missing:GOPROXY')?.severity).toBe('high');
  });
});

describe('missing, where the tool falls back to another value', () => {
  it('the tool-override finding says what the tool uses where the variable is missing', () => {
    const snap = makeSnapshot({ 'ssh-command': ctx(base, { go: goFromFile(CN) }), 'bash-interactive': ctx({ ...base, GOPROXY: ORG }, { go: goFromEnv(ORG) }) });
    expect(byId(findFindings(snap), 'tool-override:go:GOPROXY')?.explanation).toContain(`go uses ${ORG} in bash-interactive and ${CN} in ssh-command, where the variable is not set.`);
  });
  it('a tool-override finding of one variable leaves the missing findings of others alone', () => {
    const snap = makeSnapshot({
      'ssh-command': ctx(base, { go: goFromFile(CN) }),
      'bash-interactive': ctx({ ...base, GOPROXY: ORG, EDITOR: 'vim' }, { go: goFromEnv(ORG) }),
    });
    expect(byId(findFindings(snap), 'missing:EDITOR')).toBeDefined();
  });
});
