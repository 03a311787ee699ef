/**
 * Capture benchmark: envlens against the ways a person would do it by hand.
 *
 * - envlens: one connection, one exec, all default contexts concurrently on the host.
 * - plain ssh loop: one `ssh host 'cmd'` per context, in turn (a new connection each).
 * - ControlMaster: one master connection, then one `ssh` per context over it, in turn.
 * Each on loopback and through a relay adding 25 ms each way.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureSnapshot } from '../src/node/capture';
import type { LabInfo } from '../test-lab/lab';
import { startRelay } from './relay';

/** The per-context commands a person would type (what each context means, CONTRACT.md). */
export const MANUAL_COMMANDS: Record<string, string> = {
  'ssh-command': 'env',
  login: 'bash -l -c env',
  'login-interactive': 'bash -l -i -c env',
  'bash-interactive': 'bash -i -c env',
  zsh: 'zsh -l -i -c env',
  'vscode-resolved': 'VSCODE_RESOLVING_ENVIRONMENT=1 bash -i -l -c env',
  'vscode-server': 'cat /proc/$(pgrep -n -u $(id -u) -f server-main.js)/environ',
  'vscode-exthost': 'cat /proc/$(pgrep -n -u $(id -u) -f type=extensionHost)/environ',
  'systemd-user': 'systemctl --user show-environment',
};

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function sshArgs(lab: LabInfo, port: number, extra: string[] = []): string[] {
  return [
    '-p', String(port),
    '-i', lab.clientKey,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${lab.knownHostsFile}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'HostKeyAlias=[127.0.0.1]:' + lab.port,
    '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR',
    '-F', '/dev/null',
    ...extra,
  ];
}

function sshLoop(lab: LabInfo, user: string, port: number, extra: string[] = []): void {
  for (const command of Object.values(MANUAL_COMMANDS)) {
    spawnSync('ssh', [...sshArgs(lab, port, extra), `${user}@127.0.0.1`, command], { stdio: ['ignore', 'ignore', 'ignore'] });
  }
}

/** One row of the capture benchmark. */
export interface CaptureBenchRow {
  link: string;
  method: string;
  medianMs: number;
  runs: number[];
}

/** Run the capture benchmark for `user` with `runs` repetitions of each method. */
export async function benchCapture(lab: LabInfo, user: string, runs: number): Promise<CaptureBenchRow[]> {
  const rows: CaptureBenchRow[] = [];
  const relay = await startRelay('127.0.0.1', lab.port, 25);
  // known_hosts is keyed by port: let envlens verify the lab's key on the relay's port too.
  const knownHosts = join(mkdtempSync(join(tmpdir(), 'envlens-kh-')), 'known_hosts');
  writeFileSync(knownHosts, `${readFileSync(lab.knownHostsFile, 'utf8')}[127.0.0.1]:${relay.port} ${lab.hostPublicKey}\n`);
  try {
    for (const [link, port] of [['loopback', lab.port], ['relay +25 ms each way', relay.port]] as const) {
      const measure = async (method: string, fn: () => Promise<unknown> | unknown): Promise<void> => {
        await fn(); // warm-up
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) samples.push(await time(fn));
        rows.push({ link, method, medianMs: median(samples), runs: samples.map(Math.round) });
        process.stderr.write(`  ${link}: ${method}: ${Math.round(median(samples))} ms\n`);
      };
      await measure('envlens capture (1 connection, 1 exec)', () =>
        captureSnapshot(`${user}@127.0.0.1:${port}`, {
          identities: [lab.clientKey],
          knownHostsFile: knownHosts,
          sshConfigFile: '/dev/null',
          timeoutSec: 10,
        }).then((snap) => {
          if (snap.contexts.login?.status !== 'ok') throw new Error(`capture failed: ${JSON.stringify(snap.contexts.login)}`);
        }),
      );
      await measure('plain ssh, one per context, in turn', () => sshLoop(lab, user, port));
      const dir = mkdtempSync(join(tmpdir(), 'envlens-cm-'));
      const control = ['-o', `ControlPath=${join(dir, 'cm')}`];
      const master = spawn('ssh', [...sshArgs(lab, port, [...control, '-o', 'ControlMaster=yes', '-N']), `${user}@127.0.0.1`], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 100; i++) {
          if (spawnSync('ssh', [...sshArgs(lab, port, [...control, '-O', 'check']), `${user}@127.0.0.1`], { stdio: 'ignore' }).status === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await measure('OpenSSH ControlMaster, one per context, in turn', () => sshLoop(lab, user, port, [...control, '-o', 'ControlMaster=no']));
      } finally {
        master.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await relay.close();
  }
  return rows;
}

/** Whether the OpenSSH client is installed (the baselines need it). */
export function haveSsh(): boolean {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
