/**
 * `npm run bench`: the envlens benchmarks, printed as Markdown tables.
 *
 * Needs the test lab (root, sshd, zsh): it starts it. Record the figures, with the
 * machine and date, in docs/benchmarks.md.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { labPrerequisites, startLab } from '../test-lab/lab';
import { benchCapture, buildBenchCli, coldStart, haveSsh } from './capture-bench';
import { benchCompare } from '../src/core/diff.bench-data';
import { fleetBenchSection } from './fleet-bench';
import { benchUi, formatUiBench } from './ui-bench';
import { importScaleSection } from './import-scale';
import { toolsBenchSection } from './tools-bench';
import { benchFleetUi, formatFleetUiBench } from './fleet-ui-bench';

const runs = Number(process.env.BENCH_RUNS ?? 7);

async function main(): Promise<void> {
  const pre = labPrerequisites();
  if (!pre.ok) throw new Error(`the benchmark needs the test lab: ${pre.reason}`);
  if (!haveSsh()) throw new Error('the benchmark needs the OpenSSH client (apt-get install openssh-client)');
  const lab = await startLab();
  const out: string[] = [];
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' / ');
  out.push(`# envlens benchmark`, '', `- date: ${new Date().toISOString()}`, `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`, `- runs: median of ${runs} after one warm-up`, `- load average (1/5/15 min) at start: ${load()}`, '');

  process.stderr.write('capture: envlens vs plain ssh vs ControlMaster (elalice, all 9 default contexts)\n');
  const cli = await buildBenchCli();
  const { rows, phases } = await benchCapture(lab, lab.users.bash, runs, cli);
  out.push('## Capture of all default contexts of one account (elalice)', '', '| link | method | median | runs (ms) | vs plain ssh |', '|---|---|---:|---|---:|');
  for (const row of rows) {
    const base = rows.find((r) => r.link === row.link && r.method.startsWith('plain ssh'))!;
    out.push(`| ${row.link} | ${row.method} | ${Math.round(row.medianMs)} ms | ${row.runs.join(', ')} | ${(row.medianMs / base.medianMs).toFixed(2)}× |`);
  }
  out.push('', '### Where one envlens capture spends its time (in-process, medians, ms)', '', '| link | TCP | key exchange | auth | exec → first output | probe (slowest context) | total |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const { link, phases: p } of phases) out.push(`| ${link} | ${p.tcpMs} | ${p.kexMs} | ${p.authMs} | ${p.execMs} | ${p.probeMs} | ${p.totalMs} |`);
  out.push('');

  process.stderr.write('cold start\n');
  const cold = Math.max(runs * 2, 11);
  out.push('## CLI cold start (median wall time of a fresh process)', '', '| command | median |', '|---|---:|');
  out.push(`| \`node -e 0\` (Node itself) | ${Math.round(coldStart(process.execPath, ['-e', '0'], cold))} ms |`);
  out.push(`| \`envlens --version\` | ${Math.round(coldStart(process.execPath, [cli, '--version'], cold))} ms |`);
  out.push(`| \`ssh -V\` | ${Math.round(coldStart('ssh', ['-V'], cold))} ms |`);
  out.push('');

  process.stderr.write('diff engine\n');
  const diff = benchCompare({ columns: 50, variables: 2000, runs: 20, now: () => performance.now() });
  out.push('## Diff engine: compareColumns, 50 snapshots × 2,000 variables', '', '| median | max | rows |', '|---:|---:|---:|');
  out.push(`| ${diff.medianMs.toFixed(1)} ms | ${diff.maxMs.toFixed(1)} ms | ${diff.rows} |`, '');

  process.stderr.write('UI in browser mode (Debian Chromium)\n');
  out.push(...formatUiBench(await benchUi(Math.max(3, Math.min(runs, 5)))));

  process.stderr.write('tool views: capture with and without them\n');
  out.push(...(await toolsBenchSection(lab, 'elalice', runs)));

  out.push(...(await fleetBenchSection(lab, runs)));

  process.stderr.write('import + compare of 10,000 hosts; the fleet screen on them\n');
  out.push(...(await importScaleSection(lab, cli)));
  out.push(...formatFleetUiBench(await benchFleetUi(lab, Math.max(2, Math.min(runs, 3)))));
  out.push(`- load average (1/5/15 min) at the end: ${load()}`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
