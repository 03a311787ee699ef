/**
 * `npm run bench`: the envlens benchmarks, printed as Markdown tables.
 *
 * Needs the test lab (root, sshd, zsh): it starts it. Record the figures, with the
 * machine and date, in docs/benchmarks.md.
 */
import { cpus, totalmem } from 'node:os';
import { labPrerequisites, startLab } from '../test-lab/lab';
import { benchCapture, haveSsh } from './capture-bench';

const runs = Number(process.env.BENCH_RUNS ?? 7);

async function main(): Promise<void> {
  const pre = labPrerequisites();
  if (!pre.ok) throw new Error(`the benchmark needs the test lab: ${pre.reason}`);
  if (!haveSsh()) throw new Error('the benchmark needs the OpenSSH client (apt-get install openssh-client)');
  const lab = await startLab();
  const out: string[] = [];
  out.push(`# envlens benchmark`, '', `- date: ${new Date().toISOString()}`, `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`, `- runs: median of ${runs} after one warm-up`, '');

  process.stderr.write('capture: envlens vs plain ssh vs ControlMaster (elalice, all 9 default contexts)\n');
  const rows = await benchCapture(lab, lab.users.bash, runs);
  out.push('## Capture of all default contexts of one account (elalice)', '', '| link | method | median | runs (ms) | vs plain ssh |', '|---|---|---:|---|---:|');
  for (const row of rows) {
    const base = rows.find((r) => r.link === row.link && r.method.startsWith('plain ssh'))!;
    out.push(`| ${row.link} | ${row.method} | ${Math.round(row.medianMs)} ms | ${row.runs.join(', ')} | ${(row.medianMs / base.medianMs).toFixed(2)}× |`);
  }
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
