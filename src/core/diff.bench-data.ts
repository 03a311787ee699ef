/**
 * Benchmark data and runner for {@link compareColumns}.
 *
 * The target from the issue: 50 columns × 2,000 variables compared in well under 100 ms.
 * Core has no clock of its own (no Node or DOM types), so the caller passes one; the
 * lead's bench/ script passes `performance.now`.
 */

import { compareColumns, type EnvColumn } from './diff';
import { seededRandom } from './seeded-random';


/**
 * Build `columns` environments of `variables` variables each, realistic in shape: most
 * variables equal everywhere, some missing in some columns, some different, PATH-like
 * lists that differ by an entry, a few volatile ones, one column not captured.
 *
 * Defaults: 50 columns, 2,000 variables, seed 1.
 */
export function makeBenchColumns(columns = 50, variables = 2000, seed = 1): EnvColumn[] {
  const rnd = seededRandom(seed);
  const base: [string, string][] = [];
  for (let v = 0; v < variables; v++) {
    const name = v === 0 ? 'PATH' : v === 1 ? 'GOPROXY' : v === 2 ? 'SHLVL' : `VAR_${v.toString(36).toUpperCase()}`;
    const value = name === 'PATH' ? '/usr/local/bin:/usr/bin:/bin:/usr/local/go/bin' : `value-${v}-${'x'.repeat(v % 40)}`;
    base.push([name, value]);
  }
  const out: EnvColumn[] = [];
  for (let c = 0; c < columns; c++) {
    if (c === columns - 1 && columns > 2) {
      out.push({ key: `col${c}`, label: `col${c}`, status: 'timeout', reason: 'bench: not captured' });
      continue;
    }
    const env: Record<string, string> = {};
    for (const [name, value] of base) {
      const r = rnd();
      if (r < 0.02) continue;
      if (r < 0.05) env[name] = `${value}-${c}`;
      else if (name === 'PATH' && c % 3 === 0) env[name] = `${value}:/home/u/.local/bin`;
      else if (name === 'SHLVL') env[name] = String(1 + (c % 3));
      else env[name] = value;
    }
    out.push({ key: `col${c}`, label: `col${c}`, status: 'ok', env });
  }
  return out;
}

/** Timing of {@link benchCompare}. */
export interface BenchResult {
  columns: number;
  variables: number;
  runs: number;
  /** Milliseconds per run, in run order. */
  timesMs: number[];
  medianMs: number;
  maxMs: number;
  /** Rows in the last comparison (sanity check that work was done). */
  rows: number;
}

/**
 * Time `compareColumns` over {@link makeBenchColumns} data.
 *
 * Options: `columns` (50), `variables` (2,000), `runs` (20, after 2 warm-up runs),
 * `now` (clock in ms; default `Date.now`, pass `performance.now` for sub-ms precision).
 */
export function benchCompare(options: { columns?: number; variables?: number; runs?: number; now?: () => number } = {}): BenchResult {
  const { columns = 50, variables = 2000, runs = 20, now = () => Date.now() } = options;
  const data = makeBenchColumns(columns, variables);
  let rows = 0;
  for (let i = 0; i < 2; i++) compareColumns(data);
  const timesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    rows = compareColumns(data).rows.length;
    timesMs.push(now() - start);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const maxMs = sorted[sorted.length - 1] ?? 0;
  return { columns, variables, runs, timesMs, medianMs, maxMs, rows };
}
