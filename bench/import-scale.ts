/**
 * Import + compare of 10,000 hosts: `envlens import OUT/ --compare` on 10,000 synthetic
 * probe outputs laid out as Ansible's fetch leaves them (`OUT/<host>/envlens.out`).
 *
 * The outputs are made from real probe runs on the lab (every default context of elfleet,
 * its GOPROXY outlier elfleet2), each env block enlarged with the variables a real
 * account has (LS_COLORS, XDG_*, LANG…) and varied per host by a seeded generator: a few
 * percent drift in GOPROXY, PATH and proxies, the elfleet2 outlier, outputs cut short
 * (as by a full disk or a killed run) and outputs with a corrupted block. Every data
 * block is re-encoded with its real length and POSIX cksum, so the import checks pass
 * (or fail) exactly as for outputs from hosts.
 *
 * Measured: the built CLI end to end (`/usr/bin/time -v`: wall time and peak RSS of the
 * process; it parses on worker threads, out/cli/import-worker.mjs), and in process the
 * phases (list files, import, compare) with RSS sampled every 20 ms, on one thread and
 * (when the build has it) with the worker threads. Run alone: `npx tsx
 * bench/import-scale.ts [HOSTS]` (needs the lab).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { collectProbeInputs, importedFleetResult, importProbeInputs, WORKER_MIN_INPUTS } from '../src/node/probe-import';
import { generateFleetOutputs, labProbeOutput } from '../test-lab/fleet-outputs';
import { startLab, type LabInfo } from '../test-lab/lab';

/** Figures of one import + compare. */
export interface ImportScaleFigures {
  hosts: number;
  malformed: number;
  /** Built CLI, `envlens import DIR --compare --quiet`: wall time and peak RSS (/usr/bin/time -v). */
  cli?: { wallMs: number; cpuMs: number; maxRssMiB: number; exit: number };
  /** In process: worker threads used (0: all on one thread), phases (ms) and the highest RSS sampled (MiB). */
  workers: number;
  listMs: number;
  importMs: number;
  compareMs: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  /** User + system CPU time of the process over the phases. */
  cpuMs: number;
  failedHosts: number;
  differingHosts: number;
}

/** Import and compare `dir` in this process, sampling RSS; with `workerScript`, on worker threads. */
export async function measureInProcess(dir: string, workerScript?: URL): Promise<Omit<ImportScaleFigures, 'cli' | 'hosts' | 'malformed'>> {
  let peak = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const t0 = performance.now();
    const inputs = await collectProbeInputs(dir);
    const t1 = performance.now();
    const entries = await importProbeInputs(inputs, { workerScript, workers: WORKERS });
    const t2 = performance.now();
    peak = Math.max(peak, process.memoryUsage().rss);
    const result = importedFleetResult(entries);
    const t3 = performance.now();
    peak = Math.max(peak, process.memoryUsage().rss);
    const comparison = result.comparison!;
    return {
      workers: workerScript && inputs.length >= WORKER_MIN_INPUTS ? WORKERS : 0,
      listMs: t1 - t0,
      importMs: t2 - t1,
      compareMs: t3 - t2,
      peakRssMiB: peak / 2 ** 20,
      heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
      cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)),
      failedHosts: comparison.counts.failed,
      differingHosts: comparison.counts.outliers,
    };
  } finally {
    clearInterval(timer);
  }
}

/** Worker threads the CLI starts on this machine (the CPUs available, at most 4). */
const WORKERS = Math.min(availableParallelism(), 4);

/** The built worker script of the CLI, when there is a build. */
const WORKER_SCRIPT = existsSync('out/cli/import-worker.mjs') ? pathToFileURL(resolve('out/cli/import-worker.mjs')) : undefined;

/** Run the built CLI on `dir` under `/usr/bin/time -v`. */
export function measureCli(cli: string, dir: string): ImportScaleFigures['cli'] {
  if (spawnSync('sh', ['-c', 'test -x /usr/bin/time']).status !== 0) return undefined;
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, 'import', dir, '--compare', '--quiet'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: { ...process.env, NO_COLOR: '1' } });
  const wallMs = performance.now() - t0;
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const seconds = (label: string): number => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  return { wallMs, cpuMs: (seconds('User') + seconds('System')) * 1000, maxRssMiB: kb / 1024, exit: r.status ?? -1 };
}

/** Generate, measure (CLI and in process), clean up; Markdown lines for the bench output. */
export async function importScaleSection(lab: LabInfo, cli: string | undefined, hosts = 10_000): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'envlens-import-scale-'));
  try {
    process.stderr.write(`import scale: generating ${hosts} probe outputs\n`);
    const gen = generateFleetOutputs(join(dir, 'out'), hosts, labProbeOutput(lab, lab.users.fleet), labProbeOutput(lab, lab.users.fleet2));
    process.stderr.write(`import scale: measuring\n`);
    const cliFigures = cli ? measureCli(cli, gen.dir) : undefined;
    const inProcess = await measureInProcess(gen.dir);
    const inWorkers = WORKER_SCRIPT ? await measureInProcess(gen.dir, WORKER_SCRIPT) : undefined;
    const lines = [
      `## Import + compare of ${hosts.toLocaleString('en')} hosts (synthetic probe outputs from lab runs)`,
      '',
      `${hosts.toLocaleString('en')} outputs of every default context (${(gen.bytes / 2 ** 20).toFixed(0)} MiB on disk, Ansible's fetch layout), ${gen.drifted} drifting (GOPROXY, PATH, https_proxy, the elfleet2 outlier), ${gen.malformed} malformed (cut short or a corrupted block). Targets: well under 10 s, under 1 GiB.`,
      '',
      `Load average (1 min) before: ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs (wall times stretch with it; CPU time does much less).`,
      '',
      '| what | wall time | CPU time | peak RSS |',
      '|---|---:|---:|---:|',
    ];
    if (cliFigures) lines.push(`| CLI \`envlens import out/ --compare --quiet\` (Node start included; exit ${cliFigures.exit}) | ${(cliFigures.wallMs / 1000).toFixed(2)} s | ${(cliFigures.cpuMs / 1000).toFixed(2)} s | ${cliFigures.maxRssMiB.toFixed(0)} MiB |`);
    const row = (f: typeof inProcess): string =>
      `| in process, ${f.workers ? `${f.workers} worker threads` : 'one thread'}: list ${Math.round(f.listMs)} ms + import ${Math.round(f.importMs)} ms + compare ${Math.round(f.compareMs)} ms | ${((f.listMs + f.importMs + f.compareMs) / 1000).toFixed(2)} s | ${(f.cpuMs / 1000).toFixed(2)} s | ${f.peakRssMiB.toFixed(0)} MiB (heap ${f.heapUsedMiB.toFixed(0)} MiB) |`;
    lines.push(
      row(inProcess),
      ...(inWorkers ? [row(inWorkers)] : []),
      '',
      `Result: ${inProcess.failedHosts} hosts failed (the malformed outputs: ${gen.malformed}), ${inProcess.differingHosts} differ from the majority.`,
      '',
    );
    for (const f of [inProcess, inWorkers]) if (f && f.failedHosts !== gen.malformed) throw new Error(`import scale: ${f.failedHosts} hosts failed, expected the ${gen.malformed} malformed ones`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const hosts = Number(process.argv[2] ?? 10_000);
  const lab = await startLab();
  const cli = 'out/cli/envlens.mjs';
  const lines = await importScaleSection(lab, spawnSync('test', ['-f', cli]).status === 0 ? cli : undefined, hosts);
  process.stdout.write(`${lines.join('\n')}\n`);
}
