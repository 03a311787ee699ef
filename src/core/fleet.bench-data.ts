/**
 * Benchmark data and runner for {@link compareFleet}.
 *
 * The target from the issue: 1,000 hosts × 500 variables compared interactively (well
 * under 200 ms). Core has no clock of its own (no Node or DOM types), so the caller
 * passes one: bench/fleet-bench.ts and the unit test pass `performance.now`.
 */

import { SNAPSHOT_SCHEMA, type ContextId, type ContextResult } from '../shared/model';
import { compareFleet, type FleetHost } from './fleet';
import { seededRandom } from './seeded-random';


const BENCH_CONTEXTS: readonly ContextId[] = ['login', 'ssh-command', 'bash-interactive', 'zsh', 'vscode-resolved', 'login-interactive', 'vscode-server', 'vscode-exthost', 'systemd-user'];

/**
 * A fleet shaped like a real one: `hosts` hosts with `variables` variables in each of
 * `contexts` contexts. Most hosts alike; about 3 % with another GOPROXY, 2 % with an
 * extra PATH entry, 1 % missing a variable, 1 % with one more variable, one in 200 with
 * an https_proxy; per-host HOSTNAME, SSH_CONNECTION, SHLVL and a per-host HOME; 1 %
 * of hosts failed, and one host's second context timed out.
 *
 * The hosts go through JSON (as snapshots read from files do), so no two hosts share
 * string objects. Defaults: 1,000 hosts, 500 variables, 1 context, seed 1.
 */
export function makeBenchFleet(hosts = 1000, variables = 500, contexts = 1, seed = 1): FleetHost[] {
  const rnd = seededRandom(seed);
  const ids = BENCH_CONTEXTS.slice(0, Math.max(1, Math.min(contexts, BENCH_CONTEXTS.length)));
  const base: [string, string][] = [];
  const fixed = ['PATH', 'GOPROXY', 'HOSTNAME', 'SSH_CONNECTION', 'SHLVL', 'HOME', 'USER', 'LANG'];
  for (let v = 0; v < variables; v++) {
    const name = fixed[v] ?? `VAR_${v.toString(36).toUpperCase()}`;
    base.push([name, `value-${v}-${'x'.repeat(v % 40)}`]);
  }
  const out: FleetHost[] = [];
  for (let h = 0; h < hosts; h++) {
    const target = `deploy@node-${String(h).padStart(4, '0')}.example:22`;
    const r = rnd();
    if (r < 0.01) {
      out.push({ target, status: 'failed', error: { kind: 'refused', message: `connection to ${target} refused` } });
      continue;
    }
    const user = h % 10 === 0 ? 'ubuntu' : 'deploy';
    const home = `/home/${user}`;
    const env: Record<string, string> = {};
    for (const [name, value] of base) {
      switch (name) {
        case 'PATH':
          env[name] = `${home}/.local/bin:/usr/local/bin:/usr/bin:/bin${r > 0.02 && r < 0.04 ? ':/opt/tools/bin' : ''}`;
          break;
        case 'GOPROXY':
          env[name] = r > 0.04 && r < 0.07 ? 'https://goproxy.io,direct' : 'https://proxy.golang.org,direct';
          break;
        case 'HOSTNAME':
          env[name] = `node-${h}`;
          break;
        case 'SSH_CONNECTION':
          env[name] = `10.0.0.1 ${40000 + h} 10.1.${h >> 8}.${h & 255} 22`;
          break;
        case 'SHLVL':
          env[name] = String(1 + (h % 2));
          break;
        case 'HOME':
          env[name] = home;
          break;
        case 'USER':
          env[name] = user;
          break;
        default:
          if (r > 0.07 && r < 0.08 && name === base[base.length - 1]![0]) break;
          env[name] = value;
      }
    }
    if (r > 0.08 && r < 0.09) env.EXTRA_SETTING = 'on';
    if (r > 0.09 && r < 0.095) env.https_proxy = 'http://proxy.corp:3128';
    const snapshotContexts: Partial<Record<ContextId, ContextResult>> = {};
    ids.forEach((id, i) => {
      snapshotContexts[id] = h === 7 && i === 1 ? { status: 'timeout', reason: 'bench: timed out' } : { status: 'ok', env: { ...env } };
    });
    out.push({
      target,
      status: 'ok',
      snapshot: {
        schema: SNAPSHOT_SCHEMA,
        id: `bench-${h}`,
        capturedAt: '2026-11-25T14:00:00.000Z',
        target: { label: target, host: `node-${h}.example`, port: 22, user },
        host: { hostname: `node-${h}`, os: 'Debian GNU/Linux 12 (bookworm)', shell: '/bin/bash' },
        contexts: snapshotContexts,
      },
    });
  }
  return JSON.parse(JSON.stringify(out)) as FleetHost[];
}

/** Timing of {@link benchFleet}. */
export interface FleetBenchResult {
  hosts: number;
  variables: number;
  contexts: number;
  runs: number;
  /** Milliseconds per run, in run order. */
  timesMs: number[];
  medianMs: number;
  maxMs: number;
  /** Sanity check that work was done: groups and differing variables of the first context, outliers. */
  groups: number;
  differing: number;
  outliers: number;
}

/**
 * Time `compareFleet` over {@link makeBenchFleet} data.
 *
 * Options: `hosts` (1,000), `variables` (500), `contexts` (1), `runs` (10, after 2
 * warm-up runs), `now` (clock in ms; default `Date.now`, pass `performance.now`).
 */
export function benchFleet(options: { hosts?: number; variables?: number; contexts?: number; runs?: number; now?: () => number } = {}): FleetBenchResult {
  const { hosts = 1000, variables = 500, contexts = 1, runs = 10, now = () => Date.now() } = options;
  const data = makeBenchFleet(hosts, variables, contexts);
  let last = compareFleet(data);
  compareFleet(data);
  const timesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    last = compareFleet(data);
    timesMs.push(now() - start);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const first = last.perContext[0];
  return {
    hosts,
    variables,
    contexts,
    runs,
    timesMs,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0,
    groups: first?.groups.length ?? 0,
    differing: first?.counts.differing ?? 0,
    outliers: last.counts.outliers,
  };
}
