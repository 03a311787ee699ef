/**
 * Tool views against the real OpenSSH lab: what go, git, npm and pip resolve in each
 * context must be exactly what running those tools by hand in the same shell prints.
 *
 * eltools has a go env file (GOPROXY, GOPRIVATE) that interactive shells override with an
 * export below the ~/.bashrc guard, ~/.gitconfig http.proxy and sslCAInfo, ~/.npmrc
 * (npm_config_registry exported interactively too) and pip.conf; eltoolhang has a `go`
 * that never answers first on the login PATH, and interactive shells with no tool at all.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot } from '../../src/node/capture';
import type { ContextId, Snapshot, ToolView } from '../../src/shared/model';
import { TOOLS_VALUES } from '../../test-lab/dotfiles';
import { emptySshConfig, lab, labOptions, labSkipReason, labTarget, liveProcessesOf, runCli } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

/** How a person starts each shell context by hand over plain OpenSSH (CONTRACT.md). */
const BY_HAND: Partial<Record<ContextId, (cmd: string) => string>> = {
  'ssh-command': (cmd) => cmd,
  login: (cmd) => `bash -l -c ${quote(cmd)}`,
  'login-interactive': (cmd) => `bash -l -i -c ${quote(cmd)}`,
  'bash-interactive': (cmd) => `bash -i -c ${quote(cmd)}`,
  zsh: (cmd) => `zsh -l -i -c ${quote(cmd)}`,
  'vscode-resolved': (cmd) => `VSCODE_RESOLVING_ENVIRONMENT=1 bash -i -l -c ${quote(cmd)}`,
};

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Run `command` as `user` over plain ssh; stdout (interactive shells' noise goes to stderr). */
function ssh(user: string, command: string): string {
  const res = spawnSync(
    'ssh',
    ['-p', String(lab!.port), '-i', lab!.clientKey, '-o', `UserKnownHostsFile=${lab!.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-F', '/dev/null', '-n', `${user}@${lab!.hosts[0]}`, command],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (res.error) throw res.error;
  return res.stdout;
}

/** The sections of `echo @@name; cmd` output, by name. */
function sections(out: string): Record<string, string> {
  const result: Record<string, string> = {};
  let name = '';
  for (const line of out.split('\n')) {
    const m = /^@@(\S+)$/.exec(line);
    if (m) {
      name = m[1]!;
      result[name] = '';
    } else if (name) result[name] += `${line}\n`;
  }
  return result;
}

/** What pip resolves for `pip install` from `pip config list`: environment > [install] > [global]. */
function pipResolved(list: string): Record<string, string> {
  const bySection: Record<string, Record<string, string>> = {};
  for (const line of list.split('\n')) {
    const m = /^([^.]+)\.([^=]+)='(.*)'$/.exec(line);
    if (m) (bySection[m[1]!] ??= {})[m[2]!] = m[3]!;
  }
  return { ...bySection.global, ...bySection.install, ...bySection[':env:'] };
}

function settingValues(view: ToolView | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(view?.settings ?? {}).map(([k, s]) => [k, s.value]));
}

const BY_HAND_SCRIPT = [
  'echo @@go; go env GOPROXY GOPRIVATE GONOPROXY GONOSUMDB GOSUMDB GOENV',
  'echo @@gitproxy; git config --show-origin --get http.proxy',
  'echo @@gitca; git config --show-origin --get http.sslcainfo',
  'echo @@npm; npm config get registry proxy https-proxy',
  'echo @@pip; pip config list',
  'echo @@end',
].join('; ');

describeLab('tool views of eltools match the tools run by hand in the same shells', () => {
  let snap: Snapshot;
  const byHand: Partial<Record<ContextId, Record<string, string>>> = {};
  beforeAll(async () => {
    snap = await captureSnapshot(labTarget(lab!, lab!.users.tools), labOptions(lab!));
    for (const [id, wrap] of Object.entries(BY_HAND)) byHand[id as ContextId] = sections(ssh(lab!.users.tools, wrap(BY_HAND_SCRIPT)));
  }, 120_000);

  for (const id of Object.keys(BY_HAND) as ContextId[]) {
    it(`${id}: go, git, npm and pip say what they say by hand`, () => {
      const tools = snap.contexts[id]?.tools;
      const hand = byHand[id]!;
      expect(Object.fromEntries(Object.entries(tools ?? {}).map(([t, v]) => [t, v.status]))).toEqual({ go: 'ok', git: 'ok', npm: 'ok', pip: 'ok' });
      const go = settingValues(tools?.go);
      expect([go.GOPROXY, go.GOPRIVATE, go.GONOPROXY, go.GONOSUMDB, go.GOSUMDB, go.GOENV].join('\n') + '\n').toBe(hand.go);
      const git = tools!.git!.settings!;
      expect(`file:${git['http.proxy']?.origin}\t${git['http.proxy']?.value}\n`).toBe(hand.gitproxy);
      expect(`file:${git['http.sslcainfo']?.origin}\t${git['http.sslcainfo']?.value}\n`).toBe(hand.gitca);
      const npm = settingValues(tools?.npm);
      expect(`registry=${npm.registry}\nproxy=${npm.proxy}\nhttps-proxy=${npm['https-proxy']}\n`).toBe(hand.npm);
      expect(settingValues(tools?.pip)).toEqual(pipResolved(hand.pip ?? ''));
    });
  }

  it('says where each value came from: the go env file outside interactive shells, the export inside', () => {
    const home = `/home/${lab!.users.tools}`;
    const goEnv = `${home}/.config/go/env`;
    const login = snap.contexts.login!.tools!;
    const interactive = snap.contexts['bash-interactive']!.tools!;
    expect(login.go!.settings!.GOPROXY).toEqual({ value: TOOLS_VALUES.goEnvGoproxy, origin: goEnv, line: 1 });
    expect(interactive.go!.settings!.GOPROXY).toEqual({ value: TOOLS_VALUES.interactiveGoproxy, origin: 'environment', variable: 'GOPROXY' });
    // GONOPROXY is not set anywhere: go derives it from GOPRIVATE, so it has GOPRIVATE's origin.
    expect(login.go!.settings!.GONOPROXY).toEqual({ value: TOOLS_VALUES.goEnvGoprivate, origin: goEnv, line: 2 });
    expect(login.go!.settings!.GOSUMDB!.origin).toBe('default');
    expect(login.npm!.settings!.registry).toEqual({ value: TOOLS_VALUES.npmRegistry, origin: `${home}/.npmrc` });
    expect(interactive.npm!.settings!.registry).toEqual({ value: TOOLS_VALUES.interactiveNpmRegistry, origin: 'environment', variable: 'npm_config_registry' });
    expect(login.pip!.settings!.proxy).toEqual({ value: TOOLS_VALUES.pipProxy, origin: `${home}/.config/pip/pip.conf` });
    expect(login.go!.path).toBe('/usr/bin/go');
    expect(login.go!.version).toMatch(/^go1\.\d+/);
    expect(login.git!.version).toMatch(/^\d+\.\d+/);
  });

  it('records nothing of the tools with tools: false (--no-tools)', async () => {
    const plain = await captureSnapshot(labTarget(lab!, lab!.users.tools), labOptions(lab!, { tools: false, contexts: ['login'] }));
    expect(plain.contexts.login?.status).toBe('ok');
    expect(plain.contexts.login?.tools).toBeUndefined();
    expect(plain.contexts['ssh-command']?.tools).toBeUndefined();
  });
});

describeLab('running the tools leaves nothing in the account', () => {
  it('a capture with tool views writes no file in the home folder (no ~/.npm logs, cache or update stamp, no pip or go cache)', async () => {
    const home = `/home/${lab!.users.tools}`;
    // Tools run by hand earlier (above) may have left their own files: start clean.
    spawnSync('rm', ['-rf', `${home}/.npm`, `${home}/.cache`], { encoding: 'utf8' });
    const listing = (): string => spawnSync('find', [home, '-printf', '%P %s\n'], { encoding: 'utf8' }).stdout.split('\n').sort().join('\n');
    const before = listing();
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.tools), labOptions(lab!));
    expect(snap.contexts.login?.tools?.npm?.status).toBe('ok');
    expect(snap.contexts.login?.tools?.pip?.status).toBe('ok');
    expect(listing()).toBe(before);
  }, 60_000);
});

describeLab('tool views of the running VS Code server and extension host (elalice)', () => {
  it('runs the tools with exactly the environment of each process (/proc/PID/environ)', async () => {
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.bash), labOptions(lab!, { contexts: ['vscode-server', 'vscode-exthost'] }));
    for (const id of ['vscode-server', 'vscode-exthost'] as const) {
      const ctx = snap.contexts[id]!;
      expect({ id, status: ctx.status }).toEqual({ id, status: 'ok' });
      const go = ctx.tools!.go!;
      expect(go.status).toBe('ok');
      const exported = ctx.env!.GOPROXY;
      expect(go.settings!.GOPROXY).toEqual(exported ? { value: exported, origin: 'environment', variable: 'GOPROXY' } : { value: 'https://proxy.golang.org,direct', origin: 'default' });
      // The extension host is a node child with NODE_CHANNEL_FD: node drops it for its own children, and so do the tool runs.
      expect({ id, npm: ctx.tools!.npm!.status }).toEqual({ id, npm: 'ok' });
    }
    expect(snap.contexts['vscode-exthost']!.env!.NODE_CHANNEL_FD).toBeDefined();
  }, 60_000);
});

describeLab('envlens diff and capture --no-tools (built CLI) on eltools', () => {
  const flags = (): string[] => ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5'];

  it('lists the tool settings that differ, with their origins, in the table and in --json', () => {
    const home = `/home/${lab!.users.tools}`;
    const table = runCli(['diff', labTarget(lab!, lab!.users.tools), '--contexts', 'login,bash-interactive', ...flags()]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(
      `go: GOPROXY ${TOOLS_VALUES.goEnvGoproxy} (from ~/.config/go/env) in login; ${TOOLS_VALUES.interactiveGoproxy} (from environment) in bash-interactive`,
    );
    expect(table.stdout).toContain(
      `npm: registry ${TOOLS_VALUES.npmRegistry} (from ~/.npmrc) in login; ${TOOLS_VALUES.interactiveNpmRegistry} (from environment npm_config_registry) in bash-interactive`,
    );
    const json = runCli(['diff', labTarget(lab!, lab!.users.tools), '--contexts', 'login,bash-interactive', '--json', ...flags()]);
    const result = JSON.parse(json.stdout) as { comparisons: { tools: { kind: string; tool: string; setting?: string; values?: unknown[] }[] }[] };
    const goproxy = result.comparisons[0]!.tools.find((d) => d.tool === 'go' && d.setting === 'GOPROXY');
    expect(goproxy?.values).toEqual([
      { value: TOOLS_VALUES.goEnvGoproxy, origin: `${home}/.config/go/env`, line: 1 },
      { value: TOOLS_VALUES.interactiveGoproxy, origin: 'environment', variable: 'GOPROXY' },
    ]);
    expect(result.comparisons[0]!.tools.some((d) => d.tool === 'git')).toBe(false);
  });

  it('capture --no-tools leaves tools out of the snapshot', () => {
    const { code, stdout } = runCli(['capture', labTarget(lab!, lab!.users.tools), '--contexts', 'login', '--no-tools', '--json', '--quiet', ...flags()]);
    expect(code).toBe(0);
    const snap = JSON.parse(stdout) as Snapshot;
    expect(snap.contexts.login?.env?.HOME).toBe(`/home/${lab!.users.tools}`);
    expect(snap.contexts.login?.tools).toBeUndefined();
  });
});

describeLab('tool views of eltoolhang: a hanging go and missing tools', () => {
  it('reports a go that never answers as timeout within the deadline, a missing one as unavailable, and leaves nothing running', async () => {
    const timeoutSec = 2;
    const started = performance.now();
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.toolHang), labOptions(lab!, { timeoutSec, contexts: ['login', 'bash-interactive'] }));
    const seconds = (performance.now() - started) / 1000;
    const login = snap.contexts.login!.tools!;
    expect(login.go).toMatchObject({ status: 'timeout', path: `/home/${lab!.users.toolHang}/bin/go` });
    expect(login.go!.reason).toContain(`within ${timeoutSec} s`);
    expect(login.git!.status).toBe('ok');
    // The contexts end at once; the tool runs get the deadline again after that.
    expect(seconds).toBeLessThan(2 * timeoutSec + 3);
    const interactive = snap.contexts['bash-interactive']!.tools!;
    for (const tool of ['go', 'git', 'npm', 'pip']) {
      expect({ tool, status: interactive[tool]?.status, reason: interactive[tool]?.reason }).toEqual({ tool, status: 'unavailable', reason: `${tool} is not on this context's PATH` });
    }
    expect(await liveProcessesOf(lab!.users.toolHang, 'sleep 30')).toBe('');
    expect(await liveProcessesOf(lab!.users.toolHang, 'bin/go')).toBe('');
  }, 60_000);
});
