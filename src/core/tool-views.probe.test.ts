/**
 * The tools phase of the probe, run for real on this machine through `sh` (as sshd would
 * run it): one run per distinct key, `unavailable` for a tool not on PATH, and an
 * environment too large for one command line reported as an error, never half-used.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeOutputParser } from './probe-output';
import { buildProbeScriptFile } from './probe-import';
import { PROBE_PROTOCOL, buildProbeCommand } from './probe-script';
import { SnapshotAssembler } from './snapshot-build';
import type { ContextId, Snapshot } from '../shared/model';

const M = 'abcdef0123456789abcdef0123456789';

function probe(env: Record<string, string>, contexts: ContextId[], tools = true): { snapshot: Snapshot; text: string } {
  const command = buildProbeCommand({ marker: M, contexts, timeoutSec: 5, tools });
  const res = spawnSync('/bin/sh', ['-c', command], { env, maxBuffer: 64 * 1024 * 1024, cwd: env.HOME, timeout: 60_000 });
  const parser = new ProbeOutputParser(M);
  const assembler = new SnapshotAssembler({ id: 't', target: { label: 'local', host: 'localhost', port: 0, user: 'u' }, capturedAt: '', marker: M, contexts, timeoutSec: 5, trace: false, version: '0', probeProtocol: PROBE_PROTOCOL });
  for (const frame of [...parser.push(res.stdout), ...parser.end()]) assembler.add(frame);
  return { snapshot: assembler.finish({ status: 'error', reason: 'no answer' }), text: res.stdout.toString('latin1') };
}

/** A directory holding a fake `go` that prints a fixed `go env -json`. */
function fakeGo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envlens-fakego-'));
  const go = join(dir, 'go');
  writeFileSync(go, `#!/bin/sh\n[ "$2" = GOENV ] && { echo "$HOME/none"; exit 0; }\nprintf '{"GOPROXY": "%s", "GOVERSION": "go1.99"}\\n' "\${GOPROXY:-https://proxy.golang.org,direct}"\n`);
  chmodSync(go, 0o755);
  return dir;
}

describe('the tools phase of the probe', () => {
  it('runs go with the context environment, once per distinct key', () => {
    const dir = fakeGo();
    const env = { PATH: `${dir}:/usr/bin:/bin`, HOME: dir, SHELL: '/bin/sh', GOPROXY: 'https://env.lab,direct' };
    const { snapshot, text } = probe(env, ['login', 'login-interactive']);
    // ssh-command is the probe's own environment: the fake go first on PATH, GOPROXY exported.
    expect(snapshot.contexts['ssh-command']?.tools?.go).toMatchObject({
      status: 'ok',
      path: `${dir}/go`,
      version: 'go1.99',
      settings: { GOPROXY: { value: 'https://env.lab,direct', origin: 'environment', variable: 'GOPROXY' } },
    });
    // Login shells read /etc/profile, which may set another PATH; both see the same
    // variables, so they share one key and one run.
    const keys = new Map([...text.matchAll(new RegExp(`${M} TOOLS (\\S+) go:(\\S+)`, 'g'))].map((m) => [m[1]!, m[2]!]));
    expect(keys.get('login')).toBe(keys.get('login-interactive'));
    expect(text.match(new RegExp(`${M} TOOL go `, 'g'))).toHaveLength(new Set(keys.values()).size);
    expect(snapshot.contexts.login?.tools?.go?.status).toBe(snapshot.contexts['login-interactive']?.tools?.go?.status);
  }, 60_000);

  it('reports an environment too large for one command line as an error, not a view of half of it', () => {
    const env: Record<string, string> = { PATH: '/usr/bin:/bin', HOME: '/tmp', SHELL: '/bin/sh' };
    // 16 variables just under MAX_ARG_STRLEN: the probe itself still starts (under ARG_MAX),
    // but env -i NAME=VALUE… cannot be one command line.
    for (let i = 0; i < 16; i++) env[`EL_BIG${i}`] = 'x'.repeat(127_000);
    const { snapshot } = probe(env, ['ssh-command']);
    const go = snapshot.contexts['ssh-command']!.tools!.go!;
    expect(go.status).toBe('error');
    expect(go.reason).toContain('too large');
  }, 60_000);

  it('leaves the tools out of the script `envlens probe --no-tools` prints, and keeps them in by default', () => {
    const env = { PATH: '/usr/bin:/bin', HOME: '/tmp', SHELL: '/bin/sh' };
    const run = (tools: boolean): string => spawnSync('/bin/sh', ['-s'], { input: buildProbeScriptFile({ contexts: ['login'], tools, version: '0' }), env, cwd: '/tmp', encoding: 'latin1', timeout: 60_000 }).stdout;
    expect(run(false)).not.toMatch(/ TOOLS? /);
    expect(run(true)).toMatch(/ TOOLS login go:/);
  }, 60_000);

  it('runs no tool with tools off', () => {
    const { snapshot, text } = probe({ PATH: '/usr/bin:/bin', HOME: '/tmp', SHELL: '/bin/sh' }, ['login'], false);
    expect(snapshot.contexts.login?.status).toBe('ok');
    expect(snapshot.contexts.login?.tools).toBeUndefined();
    expect(text).not.toContain(`${M} TOOL`);
  }, 60_000);
});
