/**
 * What tool views cost: one capture of every default context of a lab account with and
 * without them (`--no-tools`), interleaved so the load of a shared machine hits both the
 * same, plus the CPU the probe uses on the host (`/usr/bin/time` around it over plain
 * ssh) and which tool runs it made.
 *
 *   npx tsx bench/tools-bench.ts [account=elalice] [runs=11]
 *
 * Needs the test lab (it starts it). Record the figures in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { captureSnapshot } from '../src/node/capture';
import { buildProbeCommand } from '../src/core/probe-script';
import { CONTEXT_IDS } from '../src/shared/model';
import { startLab, type LabInfo } from '../test-lab/lab';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Wall time of in-process captures, tools on and off, interleaved. */
async function wallTimes(lab: LabInfo, user: string, runs: number): Promise<Record<'on' | 'off', { total: number[]; probe: number[] }>> {
  const target = `${user}@127.0.0.1:${lab.port}`;
  const options = { identities: [lab.clientKey], knownHostsFile: lab.knownHostsFile, sshConfigFile: '/dev/null', agentSocket: '', timeoutSec: 10 };
  const out = { on: { total: [] as number[], probe: [] as number[] }, off: { total: [] as number[], probe: [] as number[] } };
  await captureSnapshot(target, options); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const mode of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const started = performance.now();
      const snapshot = await captureSnapshot(target, { ...options, tools: mode === 'on' });
      out[mode].total.push(Math.round(performance.now() - started));
      out[mode].probe.push(snapshot.producer?.timings?.probeMs ?? 0);
    }
  }
  return out;
}

/** CPU (user + system) the probe and everything it starts use on the host, and the tool runs it made. */
function hostCpu(lab: LabInfo, user: string, runs: number, tools: boolean): { cpuMs: number[]; toolRuns: string } {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const cpuMs: number[] = [];
  let toolRuns = '';
  for (let i = 0; i < runs; i++) {
    const command = buildProbeCommand({ marker: '0123456789abcdef0123456789abcdef', timeoutSec: 10, contexts: CONTEXT_IDS, tools });
    const res = spawnSync(
      'ssh',
      ['-i', lab.clientKey, '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'BatchMode=yes', '-F', '/dev/null', '-p', String(lab.port), `${user}@127.0.0.1`, `/usr/bin/time -f 'TIME %U %S' /bin/sh -c ${quote(command)}`],
      { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 },
    );
    const m = /TIME (\S+) (\S+)/.exec(res.stderr);
    if (m) cpuMs.push(Math.round((Number(m[1]) + Number(m[2])) * 1000));
    toolRuns = res.stdout
      .split('\n')
      .filter((l) => / TOOL /.test(l))
      .map((l) => l.split(' ')[2])
      .sort()
      .join(', ');
  }
  return { cpuMs, toolRuns };
}

/**
 * The tool views' cost as markdown lines: captures of `user` with tools off and on,
 * interleaved, with the host CPU each took (part of `npm run bench`).
 */
export async function toolsBenchSection(lab: LabInfo, user = 'elalice', runs = 11): Promise<string[]> {
  const load = (): string => loadavg()[0]!.toFixed(2);
  const lines = [`## Tool views: cost of one capture of ${user}`, '', `- ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`, `- load average (1 min) at start: ${load()}`, ''];
  const wall = await wallTimes(lab, user, runs);
  const off = hostCpu(lab, user, Math.min(runs, 7), false);
  const on = hostCpu(lab, user, Math.min(runs, 7), true);
  lines.push('| tools | capture, median | probe (first output → end), median | host CPU, median | tool runs |', '|---|---:|---:|---:|---|');
  lines.push(`| off (--no-tools) | ${median(wall.off.total)} ms | ${median(wall.off.probe)} ms | ${median(off.cpuMs)} ms | — |`);
  lines.push(`| on (default) | ${median(wall.on.total)} ms | ${median(wall.on.probe)} ms | ${median(on.cpuMs)} ms | ${on.toolRuns} |`);
  lines.push('', `Captures (ms), off: ${wall.off.total.join(', ')}; on: ${wall.on.total.join(', ')}. Load at end: ${load()}.`, '');
  return lines;
}

async function main(): Promise<void> {
  const lab = await startLab();
  const lines = await toolsBenchSection(lab, process.argv[2] ?? 'elalice', Number(process.argv[3] ?? 11));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
