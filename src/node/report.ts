/**
 * Writing HTML reports: redact, render, write atomically.
 *
 * The pure parts live in src/core (redact.ts, report/); this adapter adds what needs
 * Node: a random key for the masks' keyed hashes, the clock, and the file system.
 */

import { randomBytes } from 'node:crypto';
import { redactSnapshots, type Redaction } from '../core/redact';
import { renderReportHtml } from '../core/report';
import type { Snapshot } from '../shared/model';
import { VERSION } from '../shared/version';
import { writeError, writeFileAtomic } from './files';

/** Options of {@link writeReport}; every field has a default. */
export interface WriteReportOptions {
  /** Mask secrets before rendering. Default `true`; `false` adds a warning banner instead. */
  redact?: boolean;
  /**
   * Key for the short keyed hash shown in masks (`•••(8 #3fa91c)`). Reports written with
   * the same key show the same hash for the same secret, so they can be compared.
   * Default: a fresh random key per report, so equal secrets are recognisable within
   * the report (two contexts with different tokens of the same length look different)
   * but hashes mean nothing outside it.
   */
  redactKey?: string;
  /** Page title. Default: `envlens report: <targets>`. */
  title?: string;
  /** Time stamp written into the report. Default: now. */
  now?: Date;
}

/** What {@link writeReport} did. */
export interface WriteReportResult {
  file: string;
  bytes: number;
  /** What was masked (variable, context, rule; never the value). Empty when not redacting. */
  redactions: Redaction[];
}

/** What {@link renderReport} made. */
export interface RenderedReport {
  html: string;
  /** What was masked (variable, context, rule; never the value). Empty when not redacting. */
  redactions: Redaction[];
}

/**
 * A self-contained HTML report of `snapshots`, as a string.
 *
 * Every snapshot is redacted with one shared redactor (a secret found in one snapshot
 * or context is masked wherever it recurs in the others) keyed with `redactKey` or a
 * fresh random key, then rendered by `renderReportHtml`. {@link writeReport} writes it
 * to a file; the app's export hands it to the UI as a download.
 */
export function renderReport(snapshots: readonly Snapshot[], options: WriteReportOptions = {}): RenderedReport {
  const { redact = true, title, now = new Date() } = options;
  let shown: Snapshot[] = [...snapshots];
  let redactions: Redaction[] = [];
  if (redact) {
    const key = options.redactKey ?? randomBytes(16).toString('hex');
    ({ snapshots: shown, redactions } = redactSnapshots(snapshots, { key }));
  }
  const html = renderReportHtml({
    snapshots: shown,
    generatedAt: now.toISOString(),
    version: VERSION,
    redacted: redact,
    redactions,
    ...(title !== undefined ? { title } : {}),
  });
  return { html, redactions };
}

/**
 * A file name for a report of `snapshots`: `envlens-report-<target>[-and-N-more]-<time>.html`,
 * with `-UNREDACTED` before the extension when secrets are kept, so the file says so
 * wherever it ends up. Only `[A-Za-z0-9._-]` survive from the target label.
 */
export function reportFileName(snapshots: readonly Snapshot[], options: { redact?: boolean; now?: Date } = {}): string {
  const { redact = true, now = new Date() } = options;
  const targets = [...new Set(snapshots.map((s) => s.target.label))];
  const first = (targets[0] ?? 'snapshot').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'snapshot';
  const more = targets.length > 1 ? `-and-${targets.length - 1}-more` : '';
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `envlens-report-${first}${more}-${stamp}${redact ? '' : '-UNREDACTED'}.html`;
}

/**
 * Write a self-contained HTML report of `snapshots` to `file`.
 *
 * Rendered by {@link renderReport} and written with {@link writeFileAtomic} (mode 0600
 * when unredacted, since the file then holds secrets; 0644 otherwise).
 */
export async function writeReport(snapshots: readonly Snapshot[], file: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const { html, redactions } = renderReport(snapshots, options);
  try {
    await writeFileAtomic(file, html, options.redact === false ? 0o600 : 0o644);
  } catch (error) {
    throw writeError(file, error, 'Choose another --html file, or free some space.');
  }
  return { file, bytes: Buffer.byteLength(html), redactions };
}
