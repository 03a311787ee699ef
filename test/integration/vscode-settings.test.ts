/**
 * VS Code's settings layer against the real sshd: elzoe's remote machine settings
 * (JSON with comments and trailing commas, written by the lab next to its fake VS Code
 * server) and its workspace folder ~/proj, captured through the CLI with and without
 * `--workspace`; and hostile settings files (a fifo, a symlink to /dev/zero, a file over
 * 1 MiB, malformed JSON) that must neither hang nor crash the capture.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot, VscodeOverlayEntry } from '../../src/shared/model';
import { captureSnapshot } from '../../src/node/capture';
import { emptySshConfig, lab, labOptions, labSkipReason, labTarget, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const VSCODE_CONTEXTS = 'vscode-resolved,vscode-server,vscode-exthost';

function byVariable(entries: readonly VscodeOverlayEntry[]): Record<string, VscodeOverlayEntry> {
  return Object.fromEntries(entries.map((e) => [e.variable, e]));
}

describeLab('VS Code settings overlay (elzoe, CLI)', () => {
  let flags: string[];
  let home: string;
  let machine: string;
  beforeAll(() => {
    if (!existsSync('out/cli/envlens.mjs')) throw new Error('run `npm run build` before the integration tests');
    flags = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5', '--contexts', VSCODE_CONTEXTS];
    home = `/home/${lab!.users.zsh}`;
    machine = `${home}/.vscode-server/data/Machine/settings.json`;
  });

  function capture(extra: string[] = []): Snapshot {
    const { code, stdout, stderr } = runCli(['capture', labTarget(lab!, lab!.users.zsh), '--json', ...flags, ...extra]);
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout) as Snapshot;
  }

  it('without --workspace: reads the machine settings (comments, trailing commas) with each value’s line, and computes what gopls and terminals see', () => {
    const s = capture().vscodeSettings!;
    expect(s.files.map((f) => [f.path, f.scope, f.problems])).toEqual([[machine, 'machine', []]]);
    const go = byVariable(s.overlay.goTools);
    expect(go.GOPROXY).toMatchObject({ value: 'https://goproxy.vscode.lab,direct', file: machine, line: lab!.lines.zoeMachineGoproxy!.line, baseContext: 'vscode-exthost' });
    expect(go.GOPROXY!.baseValue).toBeUndefined();
    expect(go.GOFLAGS).toMatchObject({ value: '-mod=mod', line: lab!.lines.zoeMachineGoflags!.line });
    expect(go.EL_TOOLS_HOME!.value).toBe(`${home}/tools`);
    // http.proxy applies (the fake extension host runs with --useHostProxy=false) and wins for the four proxy variables.
    expect([go.http_proxy?.value, go.HTTPS_PROXY?.key, s.overlay.httpProxy?.line]).toEqual(['http://proxy.vscode.lab:3128', 'http.proxy', lab!.lines.zoeMachineHttpProxy!.line]);
    const term = byVariable(s.overlay.terminal);
    expect([term.EL_TERM?.value, term.EL_ZSHENV?.value, term.EL_ZSHENV?.baseValue, term.EL_ZSHENV?.line]).toEqual(['set-by-vscode', undefined, '1', lab!.lines.zoeMachineTermUnset!.line]);
    const inherit = s.files[0]!.settings.find((x) => x.key === 'terminal.integrated.inheritEnv')!;
    expect([inherit.line, inherit.ignored]).toEqual([lab!.lines.zoeMachineInheritEnv!.line, expect.stringMatching(/application-scoped/)]);
    expect(s.notes.join('\n')).toMatch(/No workspace folder was named/);
  });

  it('with --workspace ~/proj: workspace folder > workspace file > machine, ${workspaceFolder} substituted', () => {
    const s = capture(['--workspace', '~/proj']).vscodeSettings!;
    expect([s.workspace, s.workspaceResolved, s.workspaceFound]).toEqual(['~/proj', `${home}/proj`, true]);
    expect(s.files.map((f) => f.scope)).toEqual(['machine', 'workspace-file', 'folder']);
    const go = byVariable(s.overlay.goTools);
    expect(go.GOPROXY).toMatchObject({ value: 'https://goproxy.workspace.lab,direct', file: `${home}/proj/proj.code-workspace`, line: lab!.lines.zoeWorkspaceGoproxy!.line });
    expect(go.GOPROXY!.shadowed).toEqual([{ file: machine, line: lab!.lines.zoeMachineGoproxy!.line, scope: 'machine', raw: 'https://goproxy.vscode.lab,direct' }]);
    expect(go.GOFLAGS).toMatchObject({ value: '-mod=vendor', file: `${home}/proj/.vscode/settings.json`, line: lab!.lines.zoeFolderGoflags!.line });
    expect(go.GOPATH!.value).toBe(`${home}/proj/.gopath`);
    // http.proxy in a workspace is machine-scoped: ignored, the machine's value stays.
    const wsProxy = s.files[1]!.settings.find((x) => x.key === 'http.proxy')!;
    expect([wsProxy.line, wsProxy.ignored]).toEqual([lab!.lines.zoeWorkspaceHttpProxy!.line, expect.stringMatching(/machine-scoped/)]);
    expect(s.overlay.httpProxy?.value).toBe('http://proxy.vscode.lab:3128');
  });

  it('says so when the workspace folder does not exist', () => {
    const s = capture(['--workspace', '/nonexistent/envlens-ws']).vscodeSettings!;
    expect([s.workspaceFound, s.files.length]).toEqual([false, 1]);
    expect(s.notes.join('\n')).toMatch(/\/nonexistent\/envlens-ws does not exist on the host/);
  });

  it('envlens diff explains it: “gopls sees GOPROXY=X because go.toolsEnvVars sets it (file:line)”', () => {
    const { code, stdout } = runCli(['diff', labTarget(lab!, lab!.users.zsh), ...flags]);
    expect(code).toBe(1);
    expect(stdout).toContain(`gopls sees GOPROXY=https://goproxy.vscode.lab,direct because go.toolsEnvVars sets it (${machine}:${lab!.lines.zoeMachineGoproxy!.line})  [vscode-settings:go:GOPROXY]`);
    expect(stdout).toContain('VS Code settings on the host:');
    expect(stdout).toContain(`VS Code terminals do not see EL_ZSHENV because terminal.integrated.env.linux unsets it (${machine}:${lab!.lines.zoeMachineTermUnset!.line})`);
  });

  it('envlens report --workspace: the HTML report has the VS Code settings section with file:line', () => {
    const file = join(tempDir(), 'report.html');
    const { code, stderr } = runCli(['report', labTarget(lab!, lab!.users.zsh), '--workspace', '~/proj', '--html', file, ...flags]);
    expect(code, stderr).toBe(0);
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('<h2>VS Code settings');
    expect(page).toContain(`gopls sees GOPROXY=https://goproxy.workspace.lab,direct because go.toolsEnvVars sets it (${home}/proj/proj.code-workspace:${lab!.lines.zoeWorkspaceGoproxy!.line})`);
  });

  it('an account without settings files has no VS Code settings layer', () => {
    const { stdout } = runCli(['capture', labTarget(lab!, lab!.users.bash), '--json', ...flags]);
    expect((JSON.parse(stdout) as Snapshot).vscodeSettings).toBeUndefined();
  });

  it('rejects an empty --workspace as bad usage (exit 2)', () => {
    const { code, stderr } = runCli(['capture', labTarget(lab!, lab!.users.zsh), '--workspace', ' ', ...flags]);
    expect([code, stderr]).toEqual([2, expect.stringMatching(/--workspace needs a folder on the host/)]);
  });
});

describeLab('VS Code settings: hostile files are bounded', () => {
  const dir = `/home/${lab?.users.zsh ?? 'elzoe'}/envlens-vscode-hostile`;
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '.vscode'), { recursive: true });
    execFileSync('mkfifo', [join(dir, '.vscode', 'settings.json')]);
    symlinkSync('/dev/zero', join(dir, 'zero.code-workspace'));
    // 2 MiB: a `settings` block first, then padding inside a comment.
    writeFileSync(join(dir, 'big.code-workspace'), `{ "settings": { "go.toolsEnvVars": { "GOPROXY": "https://big.lab" } }, /* ${'x'.repeat(2 * 1024 * 1024)} */ }`);
    writeFileSync(join(dir, 'broken.code-workspace'), '{\n  "settings": {\n    "go.toolsEnvVars": { "GOFLAGS": "-mod=mod" },\n    "http.proxy": \n');
    const { uid, gid } = statSync(`/home/${lab!.users.zsh}`);
    for (const f of ['', '.vscode', '.vscode/settings.json', 'big.code-workspace', 'broken.code-workspace']) chownSync(join(dir, f), uid, gid);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('skips a fifo and a device, reads 1 MiB of a big file, keeps what parses of broken JSON, within the deadline', async () => {
    const started = Date.now();
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.zsh), labOptions(lab!, { contexts: ['vscode-exthost'], workspace: dir }));
    expect(Date.now() - started).toBeLessThan(15_000);
    const files = snap.vscodeSettings!.files;
    expect(files.map((f) => f.path).sort()).toEqual([`/home/${lab!.users.zsh}/.vscode-server/data/Machine/settings.json`, join(dir, 'big.code-workspace'), join(dir, 'broken.code-workspace')]);
    const big = files.find((f) => f.path.endsWith('big.code-workspace'))!;
    expect([big.truncated, big.size > 2 * 1024 * 1024, big.settings.map((s) => s.value)]).toEqual([true, true, ['https://big.lab']]);
    const broken = files.find((f) => f.path.endsWith('broken.code-workspace'))!;
    expect(broken.settings.map((s) => [s.variable, s.line])).toEqual([['GOFLAGS', 3]]);
    expect(broken.problems[0]?.line).toBeGreaterThanOrEqual(4);
  });
});
