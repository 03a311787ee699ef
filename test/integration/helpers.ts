/**
 * Shared helpers for integration tests against the test lab.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { CaptureOptions } from '../../src/node/capture';
import { EnvlensError } from '../../src/shared/errors';
import type { LabInfo } from '../../test-lab/lab';

/** The running lab, or null when it could not start (the reason is printed by global setup). */
export const lab: LabInfo | null = inject('lab');

/** Why lab tests are skipped (empty when the lab runs). */
export const labSkipReason: string = inject('labSkipReason');

/** A fresh temp dir. */
export function tempDir(prefix = 'envlens-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An empty ssh config so tests never read the developer's ~/.ssh/config. */
export function emptySshConfig(): string {
  const file = join(tempDir(), 'ssh_config');
  writeFileSync(file, '');
  return file;
}

/** Capture options for the lab: its client key, its known_hosts, no agent surprises. */
export function labOptions(info: LabInfo, extra: CaptureOptions = {}): CaptureOptions {
  return {
    identities: [info.clientKey],
    knownHostsFile: info.knownHostsFile,
    sshConfigFile: emptySshConfig(),
    agentSocket: '',
    timeoutSec: 5,
    ...extra,
  };
}

/** `user@127.0.0.N:port` for a lab account. */
export function labTarget(info: LabInfo, user: string, hostIndex = 0): string {
  return `${user}@${info.hosts[hostIndex]}:${info.port}`;
}

/** Run the built CLI (out/cli/envlens.mjs) and collect its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['out/cli/envlens.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SSH_AUTH_SOCK: '', NO_COLOR: '1', ...env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Live processes of `user` whose command line contains `pattern`, as `pid cmd` lines.
 *
 * Zombies (already killed, waiting for init to reap them) are not counted: they hold no
 * resources and run nothing. Polls for up to `waitMs` for the list to become empty,
 * since reaping by init is asynchronous.
 */
export async function liveProcessesOf(user: string, pattern: string, waitMs = 2000): Promise<string> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let out = '';
    try {
      out = execFileSync('ps', ['-o', 'pid=,stat=,args=', '-u', user], { encoding: 'utf8' });
    } catch {
      out = ''; // ps exits 1 when the user has no processes
    }
    const live = out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && l.includes(pattern) && !/^\d+\s+Z/.test(l));
    if (live.length === 0 || Date.now() > deadline) return live.join('\n');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The EnvlensError `promise` rejects with; fails the test if it resolves or throws something else. */
export async function refusal(promise: Promise<unknown>): Promise<EnvlensError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EnvlensError) return error;
    throw error;
  }
  throw new Error('expected the capture to be refused');
}

/** A different ed25519 public key (`type base64`), as another machine would present. */
export function otherKey(): string {
  const dir = tempDir();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
  return readFileSync(join(dir, 'k.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
}
