/**
 * The hosts × variables matrix of one context of a fleet comparison, as rows to draw.
 *
 * Only variables that differ somewhere are columns (FleetContextComparison.variables,
 * proxy and toolchain first). Each cell is an index into that variable's values, 0
 * being the reference (the majority's or the baseline's). Hosts that deviate come
 * first, grouped as the comparison grouped them; the many alike hosts follow. Plain
 * data, computed once per context, so a 1,000-host matrix scrolls without work.
 */
import type { FleetComparison, FleetContextComparison, FleetResult } from '../../../core/fleet';
import type { ContextId, ContextStatus, Snapshot } from '../../../shared/model';

export interface MatrixRow {
  target: string;
  /** Index of the host's group in the context's groups (largest first). */
  group: number;
  status: ContextStatus;
  /** Why the context was not captured, when it was not. */
  reason?: string;
  /** Per variable: index into its `values` (0 = reference); -1 when the context was not captured here. */
  cells: number[];
  /** Unlike the reference here: another status, or some value that is not the reference. */
  deviates: boolean;
}

export interface FleetMatrix {
  rows: MatrixRow[];
  /** Hosts unlike the reference in this context. */
  deviating: number;
  /** A captured host like the reference in everything here (the baseline when there is one), to diff others against. */
  referenceHost?: string;
}

/** Build the matrix of one context. */
export function fleetMatrix(ctx: FleetContextComparison, reference: FleetComparison['reference']): FleetMatrix {
  const valueOf = ctx.variables.map((v) => {
    const map = new Map<string, number>();
    v.values.forEach((value, i) => {
      if (i > 0) for (const h of value.hosts ?? []) map.set(h, i);
    });
    return map;
  });
  const reasons = new Map(ctx.statusDeviating.map((d) => [d.target, d.reason]));
  const rows: MatrixRow[] = [];
  ctx.groups.forEach((group, g) => {
    const status = group.status ?? 'ok';
    for (const target of group.hosts) {
      const captured = status === 'ok';
      const cells = valueOf.map((m) => (captured ? (m.get(target) ?? 0) : -1));
      const row: MatrixRow = { target, group: g, status, cells, deviates: status !== ctx.status || cells.some((c) => c > 0) };
      const reason = reasons.get(target);
      if (reason !== undefined) row.reason = reason;
      rows.push(row);
    }
  });
  // Deviating hosts first; otherwise keep the comparison's order (groups largest first).
  const order = new Map(rows.map((r, i) => [r, i]));
  rows.sort((a, b) => Number(b.deviates) - Number(a.deviates) || order.get(a)! - order.get(b)!);
  const alike = rows.filter((r) => !r.deviates && r.status === 'ok');
  const referenceHost = reference.kind === 'baseline' && alike.some((r) => r.target === reference.target) ? reference.target : alike[0]?.target;
  const matrix: FleetMatrix = { rows, deviating: rows.filter((r) => r.deviates).length };
  if (referenceHost !== undefined) matrix.referenceHost = referenceHost;
  return matrix;
}

/** The context to show first: the first with differing variables or statuses, else the first compared. */
export function firstInterestingContext(comparison: FleetComparison): ContextId | undefined {
  const hit = comparison.perContext.find((c) => c.variables.length > 0 || c.statusDeviating.length > 0 || c.proxy.length > 0);
  return (hit ?? comparison.perContext[0])?.context;
}

/** A captured host's snapshot in a fleet result. */
export function snapshotOf(result: FleetResult, target: string): Snapshot | undefined {
  const host = result.hosts.find((h) => h.target === target);
  return host?.status === 'ok' ? host.snapshot : undefined;
}

/** `A`, `B`, … `Z`, `AA`… for group numbers. */
export function groupLetter(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/**
 * The headline of a comparison: `4 hosts alike, 1 outlier, 1 failed` (alike meaning
 * like the majority, or like the baseline).
 */
export function fleetHeadline(comparison: FleetComparison): string {
  const { alike, outliers, failed } = comparison.counts;
  const n = (count: number): string => count.toLocaleString('en');
  const parts = [`${n(alike)} ${alike === 1 ? 'host' : 'hosts'} alike`];
  if (outliers > 0) parts.push(`${n(outliers)} ${outliers === 1 ? 'outlier' : 'outliers'}`);
  if (failed > 0) parts.push(`${n(failed)} failed`);
  return parts.join(', ');
}
