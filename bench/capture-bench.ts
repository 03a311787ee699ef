/**
 * Capture benchmark: envlens against the ways a person would do it by hand.
 *
 * - envlens in-process: `captureSnapshot`, one connection, one exec, all default contexts
 *   concurrently on the host (what the app and a fleet run do; ssh2 already loaded).
 * - envlens CLI: `node envlens.mjs capture … --json` in a new process, start-up included
 *   (what a person types).
 * - plain ssh loop: one `ssh host 'cmd'` per context, in turn (a new connection each).
 * - ControlMaster: what a person does with OpenSSH multiplexing: start a master
 *   (`ssh -M -f -N`, which returns once authenticated), run the 9 commands over it in
 *   turn, stop it (`ssh -O exit`). The master's connection is part of the work, so it is
 *   counted; the older figure with a warm master (connection not counted) is kept as a
 *   separate row for reference.
 * Each on loopback and through a relay adding 25 ms each way (run in its own process).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { captureSnapshot } from '../src/node/capture';
import type { CaptureTimings } from '../src/shared/model';
import type { LabInfo } from '../test-lab/lab';
import { startRelayProcess } from './relay';

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

/** Median per phase of the in-process envlens captures on one link (from `snapshot.producer.timings`). */
export interface PhaseRow {
  link: string;
  phases: Record<'tcpMs' | 'kexMs' | 'authMs' | 'execMs' | 'probeMs' | 'totalMs', number>;
}

/** Result of {@link benchCapture}. */
export interface CaptureBench {
  rows: CaptureBenchRow[];
  phases: PhaseRow[];
}

/** Build the CLI bundle for the benchmark (out/bench/envlens.mjs, same options as scripts/build-cli.mjs). */
export async function buildBenchCli(): Promise<string> {
  const outfile = join(process.cwd(), 'out', 'bench', 'envlens.mjs');
  mkdirSync(join(process.cwd(), 'out', 'bench'), { recursive: true });
  await build({
    entryPoints: ['src/cli/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __envlensCreateRequire } from 'node:module'; const require = __envlensCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** Run the capture benchmark for `user` with `runs` repetitions of each method. */
export async function benchCapture(lab: LabInfo, user: string, runs: number, cli: string): Promise<CaptureBench> {
  const rows: CaptureBenchRow[] = [];
  const phases: PhaseRow[] = [];
  const relay = await startRelayProcess('127.0.0.1', lab.port, 25);
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
      const timings: CaptureTimings[] = [];
      await measure('envlens, in-process (1 connection, 1 exec)', () =>
        captureSnapshot(`${user}@127.0.0.1:${port}`, {
          identities: [lab.clientKey],
          knownHostsFile: knownHosts,
          sshConfigFile: '/dev/null',
          agentSocket: '',
          timeoutSec: 10,
        }).then((snap) => {
          if (snap.contexts.login?.status !== 'ok') throw new Error(`capture failed: ${JSON.stringify(snap.contexts.login)}`);
          if (snap.producer?.timings) timings.push(snap.producer.timings);
        }),
      );
      const pick = (k: keyof PhaseRow['phases']): number => median(timings.slice(1).map((t) => t[k] ?? 0));
      phases.push({ link, phases: { tcpMs: pick('tcpMs'), kexMs: pick('kexMs'), authMs: pick('authMs'), execMs: pick('execMs'), probeMs: pick('probeMs'), totalMs: pick('totalMs') } });
      await measure('envlens CLI, new process (`envlens capture --json`)', () => {
        const r = spawnSync(process.execPath, [cli, 'capture', `${user}@127.0.0.1:${port}`, '--identity', lab.clientKey, '--known-hosts', knownHosts, '--ssh-config', '/dev/null', '--json', '--quiet'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, SSH_AUTH_SOCK: '' },
          maxBuffer: 64 * 1024 * 1024,
        });
        if (r.status !== 0) throw new Error(`envlens CLI failed (${r.status}): ${r.stderr.toString()}`);
      });
      await measure('plain ssh, one per context, in turn', () => sshLoop(lab, user, port));
      const dir = mkdtempSync(join(tmpdir(), 'envlens-cm-'));
      const control = ['-o', `ControlPath=${join(dir, 'cm')}`];
      const target = `${user}@127.0.0.1`;
      try {
        await measure('OpenSSH ControlMaster: start master, 9 commands in turn, stop it', () => {
          const master = spawnSync('ssh', [...sshArgs(lab, port, [...control, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-f', '-N']), target], { stdio: 'ignore' });
          if (master.status !== 0) throw new Error(`ssh master failed (${master.status})`);
          sshLoop(lab, user, port, [...control, '-o', 'ControlMaster=no']);
          spawnSync('ssh', [...sshArgs(lab, port, [...control, '-O', 'exit']), target], { stdio: 'ignore' });
        });
        const master = spawnSync('ssh', [...sshArgs(lab, port, [...control, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-f', '-N']), target], { stdio: 'ignore' });
        if (master.status !== 0) throw new Error(`ssh master failed (${master.status})`);
        await measure('OpenSSH ControlMaster, master already up (its connection not counted)', () => sshLoop(lab, user, port, [...control, '-o', 'ControlMaster=no']));
        spawnSync('ssh', [...sshArgs(lab, port, [...control, '-O', 'exit']), target], { stdio: 'ignore' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await relay.close();
  }
  return { rows, phases };
}

/** Cold start of a command: median wall time of `runs` fresh processes, ms. */
export function coldStart(command: string, args: string[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(command, args, { stdio: 'ignore' });
    samples.push(performance.now() - t0);
  }
  return median(samples);
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
