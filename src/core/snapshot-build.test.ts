import { describe, expect, it } from 'vitest';
import type { ProbeFrame } from './probe-output';
import { SnapshotAssembler } from './snapshot-build';

const M = '0123456789abcdef0123456789abcdef';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function assembler(trace = false): SnapshotAssembler {
  return new SnapshotAssembler({
    id: 's1',
    target: { label: 'a@h:22', host: 'h', port: 22, user: 'a' },
    capturedAt: '2026-11-25T14:00:00.000Z',
    marker: M,
    contexts: ['login', 'zsh', 'vscode-resolved', 'systemd-user', 'vscode-server'],
    timeoutSec: 3,
    trace,
    version: '0.0.0',
    probeProtocol: 1,
  });
}

const ctx = (context: string, data: Record<string, Uint8Array>, extra: Partial<Extract<ProbeFrame, { type: 'context' }>> = {}): ProbeFrame => ({
  type: 'context', context, outcome: 'done', exitCode: 0, startedAt: 1, endedAt: 1.25, data, corrupt: [], ...extra,
});

describe('SnapshotAssembler', () => {
  it('turns a done context into ok with its env and duration', () => {
    const a = assembler();
    const update = a.add(ctx('login', { env: enc('A=1\0') }));
    expect(update?.result).toMatchObject({ status: 'ok', env: { A: '1' }, durationMs: 250 });
  });

  it('reports a timeout with the deadline in the reason', () => {
    const a = assembler();
    expect(a.add({ type: 'context', context: 'login', outcome: 'timeout', data: {}, corrupt: [] })?.result).toMatchObject({ status: 'timeout', reason: expect.stringContaining('3 s') });
  });

  it('names the traced file:line a timed-out shell was running', () => {
    const a = assembler(true);
    const trace = enc(`+ELTRACE${M}|/home/a/.bash_profile|3| sleep 600\n`);
    a.add({ type: 'run', context: 'login', command: '/bin/bash -x -l -c' });
    expect(a.add({ type: 'context', context: 'login', outcome: 'timeout', data: { trace }, corrupt: [] })?.result.reason).toContain('/home/a/.bash_profile:3 (sleep 600)');
  });

  it('makes a shell that exited without an environment an error quoting its stderr', () => {
    const a = assembler();
    const result = a.add(ctx('login', { err: enc('bash: /home/a/.profile: line 3: syntax error\n') }, { exitCode: 2 }))?.result;
    expect(result).toMatchObject({ status: 'error', reason: expect.stringContaining('syntax error') });
  });

  it('refuses a context whose data failed its integrity check', () => {
    const a = assembler();
    expect(a.add(ctx('login', {}, { corrupt: ['data block "env" failed its integrity check'] }))?.result.status).toBe('error');
  });

  it('removes what envlens and VS Code remove from the resolved environment', () => {
    const a = assembler();
    const env = a.add(ctx('vscode-resolved', { env: enc('VSCODE_RESOLVING_ENVIRONMENT=1\0XDG_RUNTIME_DIR=/run/user/1\0A=1\0') }))?.result.env;
    expect(env).toEqual({ A: '1' });
  });

  it('reads systemd user environments and calls an unreachable manager unavailable', () => {
    const ok = assembler().add(ctx('systemd-user', { out: enc("LANG=C\nX=$'a\\nb'\n") }))?.result;
    const down = assembler().add(ctx('systemd-user', { err: enc('Failed to connect to bus: No medium found\n') }, { exitCode: 1 }))?.result;
    expect([ok?.env, down?.status, down?.reason]).toEqual([{ LANG: 'C', X: 'a\nb' }, 'unavailable', 'no systemd user manager reachable: Failed to connect to bus: No medium found']);
  });

  it('fills every requested context that never reported with the fallback', () => {
    const a = assembler();
    a.add({ type: 'begin', protocol: 1 });
    a.add(ctx('login', { env: enc('A=1\0') }));
    const snap = a.finish({ status: 'error', reason: 'connection lost' });
    expect(Object.fromEntries(Object.entries(snap.contexts).map(([k, v]) => [k, v!.status]))).toEqual({
      'ssh-command': 'error', login: 'ok', zsh: 'error', 'vscode-resolved': 'error', 'vscode-server': 'error', 'systemd-user': 'error',
    });
  });

  it('records a VS Code server process with its start time and layout', () => {
    const a = assembler();
    a.add({ type: 'host', key: 'btime', value: '1700000000' });
    a.add({ type: 'host', key: 'clktck', value: '100' });
    const cmdline = enc('/home/a/.vscode-server/cli/servers/Stable-abc/server/node\0/home/a/.vscode-server/cli/servers/Stable-abc/server/out/server-main.js\0');
    const result = a.add(ctx('vscode-server', { env: enc('A=1\0'), cmdline }, { pid: 42, startTicks: 1000 }))?.result;
    expect(result?.process).toEqual({ pid: 42, cmdline: expect.stringContaining('server-main.js'), startedAt: new Date((1700000000 + 10) * 1000).toISOString(), layout: 'cli', quality: 'stable' });
  });
});

describe('SnapshotAssembler: tool views', () => {
  it('gives each context the views of the runs its TOOLS line names, with that context\'s environment', () => {
    const a = assembler();
    a.add({ type: 'host', key: 'home', value: '/home/a' });
    a.add(ctx('login', { env: enc('GOPROXY=https://env.lab\0') }));
    a.add(ctx('zsh', { env: enc('A=1\0') }));
    a.add({ type: 'tools', context: 'login', runs: { go: '1-1', git: '2-2', npm: '3-3', pip: '4-4' } });
    a.add({ type: 'tools', context: 'zsh', runs: { go: '1-1', git: '2-2', npm: '3-3' } });
    a.add({ type: 'tool', tool: 'go', key: '1-1', outcome: 'done', exitCode: 0, data: { path: enc('/usr/bin/go'), out: enc('{"GOPROXY":"https://env.lab"}') }, corrupt: [] });
    a.add({ type: 'tool', tool: 'git', key: '2-2', outcome: 'done', exitCode: 127, data: {}, corrupt: [] });
    a.add({ type: 'tool', tool: 'npm', key: '3-3', outcome: 'timeout', data: {}, corrupt: [] });
    const snap = a.finish({ status: 'error', reason: 'lost' });
    const login = snap.contexts.login!.tools!;
    expect(login.go!.settings!.GOPROXY).toEqual({ value: 'https://env.lab', origin: 'environment', variable: 'GOPROXY' });
    expect(login.git!.status).toBe('unavailable');
    expect(login.npm!.status).toBe('timeout');
    expect(login.pip).toMatchObject({ status: 'error', reason: expect.stringContaining('did not report pip') });
    expect(snap.contexts.zsh!.tools!.go!.settings!.GOPROXY!.origin).toBe('default');
  });

  it('records no tools for a context without a TOOLS line (--no-tools, older probes) or without an environment', () => {
    const a = assembler();
    a.add(ctx('login', { env: enc('A=1\0') }));
    a.add({ type: 'context', context: 'zsh', outcome: 'timeout', data: {}, corrupt: [] });
    a.add({ type: 'tools', context: 'zsh', runs: { go: '1-1' } });
    const snap = a.finish({ status: 'error', reason: 'lost' });
    expect(snap.contexts.login!.tools).toBeUndefined();
    expect(snap.contexts.zsh!.tools).toBeUndefined();
  });

  it('explains a context whose environment could not be rebuilt for the tools', () => {
    const a = assembler();
    a.add(ctx('login', { env: enc('A=1\0') }));
    a.add({ type: 'tools-skipped', context: 'login', reason: 'show-environment quoted a value' });
    expect(a.finish({ status: 'error', reason: 'lost' }).contexts.login!.tools!.go).toEqual({ status: 'error', reason: 'show-environment quoted a value' });
  });
});
