/**
 * Fleet benchmark: the default contexts on the lab's 12 loopback hosts (elfleet on
 * 127.0.0.1–12), envlens against the fleet tools people already use.
 *
 * - envlens: `captureFleet` (one connection and one exec per host, contexts concurrently
 *   on the host) and `compareFleet` on the result: captured *and* compared; in process,
 *   and as the CLI (`envlens fleet --json`, Node start-up included like the others').
 * - parallel-ssh (Debian `pssh`): the same context commands (MANUAL_COMMANDS), one
 *   session per host running them in turn, output saved per host: a bare dump, nothing
 *   compared.
 * - Ansible ad-hoc (Debian `ansible-core`): the same command with `-m shell` (Ansible's
 *   usual way, Python module shipped to the host) and `-m raw` (plain ssh exec, its
 *   fastest), forks = 12, an inventory with ansible_port 22022, the lab key and host key
 *   checking against the lab's known_hosts. Each run gets a fresh ControlPath folder so
 *   every tool starts cold, as envlens always does.
 *
 * Also the pure comparison alone on 1,000 hosts × 500 variables (`benchFleet`).
 * Run alone with `npx tsx bench/fleet-bench.ts`, or as part of `npm run bench`.
 * Needs `apt-get install pssh ansible-core` (not in CI: the bench does not run there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareFleet } from '../src/core/fleet';
import { CONTEXT_IDS, type ContextId } from '../src/shared/model';
import { benchFleet } from '../src/core/fleet.bench-data';
import { captureFleet } from '../src/node/fleet';
import { startLab, type LabInfo } from '../test-lab/lab';
import { MANUAL_COMMANDS, median } from './capture-bench';

/** One row of the fleet benchmark. */
export interface FleetBenchRow {
  method: string;
  medianMs: number;
  runs: number[];
  /** Lowest and highest 1-minute load average seen when its runs started. */
  load: [number, number];
}

/** Whether a command is on PATH. */
function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The commands of `contexts` as one shell command, each dump delimited, ending with success. */
function dumpCommand(contexts: readonly ContextId[]): string {
  return `${contexts
    .map((id) => `echo '=== ${id}'; ${MANUAL_COMMANDS[id] ?? 'true'} 2>/dev/null`)
    .join('; ')}; true`;
}

function sshOptions(lab: LabInfo): string[] {
  return ['-i', lab.clientKey, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-F', '/dev/null'];
}

/** A method to time: `run` throws when it did not do the work. */
interface Method {
  name: string;
  run: () => Promise<void> | void;
}

/**
 * Time `methods` round-robin: one warm-up each, then `runs` rounds in which every
 * method runs once (the starting method rotating), so the load other jobs put on a
 * shared machine falls on every method alike rather than on whichever ran last.
 */
async function measureInterleaved(methods: readonly Method[], runs: number): Promise<FleetBenchRow[]> {
  for (const m of methods) await m.run();
  const samples = methods.map(() => [] as number[]);
  const loads = methods.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < methods.length; k++) {
      const i = (round + k) % methods.length;
      loads[i]!.push(loadavg()[0]!);
      const t0 = performance.now();
      await methods[i]!.run();
      samples[i]!.push(performance.now() - t0);
    }
  }
  return methods.map((m, i) => {
    const row: FleetBenchRow = { method: m.name, medianMs: median(samples[i]!), runs: samples[i]!.map(Math.round), load: [Math.min(...loads[i]!), Math.max(...loads[i]!)] };
    process.stderr.write(`  ${m.name}: ${Math.round(row.medianMs)} ms (load ${row.load.map((l) => l.toFixed(1)).join('–')})\n`);
    return row;
  });
}

/** Run the fleet benchmark for `contexts` (default: all) with `runs` repetitions of each method. */
export async function benchFleetTools(lab: LabInfo, runs: number, contexts: readonly ContextId[] = CONTEXT_IDS): Promise<FleetBenchRow[]> {
  const hosts = lab.hosts.slice(0, 12);
  const user = lab.users.fleet;
  const targets = hosts.map((h) => `${user}@${h}:${lab.port}`);
  const work = mkdtempSync(join(tmpdir(), 'envlens-fleet-bench-'));
  const emptyConfig = join(work, 'ssh_config');
  writeFileSync(emptyConfig, '');
  const methods: Method[] = [];
  try {
    // The reference row does the same work as the others (environments only: --no-tools);
    // the tool views (on by default) run go, git, npm and pip on every host as well, and
    // on this lab all 12 "hosts" share the client's 2 cores, so that row shows their CPU.
    const fleetRun = (tools: boolean) => async (): Promise<void> => {
      const result = await captureFleet(targets, { identities: [lab.clientKey], knownHostsFile: lab.knownHostsFile, sshConfigFile: emptyConfig, timeoutSec: 10, contexts, tools });
      const comparison = compareFleet(result.hosts, { contexts: result.contexts });
      if (comparison.counts.captured !== 12 || !comparison.alike) throw new Error(`envlens fleet did not capture 12 alike hosts: ${JSON.stringify(comparison.counts)}`);
    };
    methods.push({ name: 'envlens fleet --no-tools: capture + compare (in process)', run: fleetRun(false) });
    methods.push({ name: 'envlens fleet with tool views (the default; in process)', run: fleetRun(true) });

    const cli = 'out/cli/envlens.mjs';
    if (existsSync(cli)) {
      methods.push({
        name: 'envlens fleet --no-tools CLI (new process, --json)',
        run: () => {
          const args = [cli, 'fleet', ...targets, '--no-tools', '--contexts', contexts.join(','), '--identity', lab.clientKey, '--known-hosts', lab.knownHostsFile, '--ssh-config', emptyConfig, '--json', '--quiet'];
          const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000, env: { ...process.env, SSH_AUTH_SOCK: '' } });
          if (r.status !== 0) throw new Error(`envlens fleet exited ${r.status}: ${r.stderr}`);
        },
      });
    } else process.stderr.write(`  ${cli} not built (npm run build:cli): CLI row skipped\n`);

    const command = dumpCommand(contexts);
    if (have('parallel-ssh')) {
      const hostsFile = join(work, 'pssh-hosts');
      writeFileSync(hostsFile, targets.map((t) => `${t}\n`).join(''));
      methods.push({
        name: 'parallel-ssh: same commands, bare dump',
        run: () => {
          const out = mkdtempSync(join(work, 'pssh-out-'));
          const args = ['-h', hostsFile, '-p', '12', '-t', '60', '-o', out, ...sshOptions(lab).flatMap((o) => ['-x', o]), command];
          const r = spawnSync('parallel-ssh', args, { encoding: 'utf8', timeout: 120_000 });
          const dumps = readdirSync(out).filter((f) => readFileSync(join(out, f), 'utf8').includes('GOPROXY=https://proxy.golang.org,direct'));
          if (r.status !== 0 || dumps.length !== 12) throw new Error(`parallel-ssh failed (exit ${r.status}, ${dumps.length} dumps): ${r.stdout}${r.stderr}`);
        },
      });
    } else process.stderr.write('  parallel-ssh not installed (apt-get install pssh): skipped\n');

    if (have('ansible')) {
      const inventory = join(work, 'inventory.ini');
      writeFileSync(
        inventory,
        [
          '[fleet]',
          ...hosts.map((h, i) => `fleet${i + 1} ansible_host=${h}`),
          '[fleet:vars]',
          `ansible_port=${lab.port}`,
          `ansible_user=${user}`,
          `ansible_ssh_private_key_file=${lab.clientKey}`,
          `ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -F /dev/null'`,
          'ansible_python_interpreter=/usr/bin/python3',
          `ansible_remote_tmp=/tmp/.ansible-${user}`,
          // No pseudo-terminal, as for envlens and parallel-ssh (with one, `-m raw` hangs in systemctl's pager).
          'ansible_ssh_use_tty=false',
          '',
        ].join('\n'),
      );
      for (const module of ['shell', 'raw']) {
        methods.push({
          name: `Ansible ad-hoc -m ${module}: same commands`,
          run: () => {
            const control = mkdtempSync(join(work, 'cp-'));
            const r = spawnSync('ansible', ['fleet', '-i', inventory, '-f', '12', '-m', module, '-a', command], {
              encoding: 'utf8',
              timeout: 120_000,
              maxBuffer: 64 * 1024 * 1024,
              env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_SSH_CONTROL_PATH_DIR: control, ANSIBLE_CONFIG: join(work, 'none.cfg'), ANSIBLE_NOCOLOR: '1' },
            });
            const ok = (r.stdout.match(/\| (CHANGED|SUCCESS)/g) ?? []).length;
            if (r.status !== 0 || ok !== 12 || !r.stdout.includes('GOPROXY=https://proxy.golang.org,direct')) throw new Error(`ansible -m ${module} failed (exit ${r.status}, ${ok} ok): ${r.stdout.slice(0, 2000)}${r.stderr.slice(0, 2000)}`);
          },
        });
      }
    } else process.stderr.write('  ansible not installed (apt-get install ansible-core): skipped\n');
    return await measureInterleaved(methods, runs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The Markdown section of `npm run bench` for the fleet. */
export async function fleetBenchSection(lab: LabInfo, runs: number): Promise<string[]> {
  const out: string[] = [];
  const sets: [string, readonly ContextId[]][] = [
    ['all 9 default contexts', CONTEXT_IDS],
    ['one context (`ssh-command`: `env`), where tool overhead shows', ['ssh-command']],
  ];
  for (const [label, contexts] of sets) {
    process.stderr.write(`fleet: envlens vs parallel-ssh vs Ansible (elfleet on 12 loopback hosts, ${label})\n`);
    const rows = await benchFleetTools(lab, runs, contexts);
    const envlens = rows[0]!;
    out.push(
      `## Fleet: ${label} on 12 loopback hosts (elfleet@127.0.0.1–12)`,
      '',
      '| method | median | runs (ms) | load (1 min) during | vs envlens in process |',
      '|---|---:|---|---|---:|',
      ...rows.map((r) => `| ${r.method} | ${Math.round(r.medianMs)} ms | ${r.runs.join(', ')} | ${r.load.map((l) => l.toFixed(1)).join('–')} | ${(r.medianMs / envlens.medianMs).toFixed(2)}× |`),
      '',
    );
  }
  const compare = benchFleet({ hosts: 1000, variables: 500, runs: 10, now: () => performance.now() });
  const compare3 = benchFleet({ hosts: 1000, variables: 500, contexts: 3, runs: 5, now: () => performance.now() });
  out.push(
    '## Fleet comparison alone (compareFleet, pure)',
    '',
    '| hosts × variables × contexts | median | max | groups / differing variables (first context) / outliers |',
    '|---|---:|---:|---|',
    ...[compare, compare3].map((r) => `| ${r.hosts} × ${r.variables} × ${r.contexts} | ${r.medianMs.toFixed(1)} ms | ${r.maxMs.toFixed(1)} ms | ${r.groups} / ${r.differing} / ${r.outliers} |`),
    '',
  );
  return out;
}

// `npx tsx bench/fleet-bench.ts`: this section alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  if (!existsSync('/usr/sbin/sshd')) throw new Error('the fleet benchmark needs the test lab (openssh-server)');
  execFileSync('ssh', ['-V'], { stdio: 'ignore' });
  const lab = await startLab();
  const head = [`- date: ${new Date().toISOString()}`, `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`, `- runs: median of ${runs} after one warm-up`, ''];
  const lines = await fleetBenchSection(lab, runs);
  process.stdout.write(`${[...head, ...lines].join('\n')}\n`);
}
