/**
 * Plain-text rendering of findings for the terminal (`envlens diff`, `envlens fleet`).
 *
 * One block per finding: severity and title, then why it matters, the likely cause,
 * the evidence per context and the fix. Values go through `visibleText`, so invisible
 * characters show and remote escape sequences never reach the terminal. Deterministic.
 */

import { paint, type Style } from './ansi';
import type { Finding, Severity } from './findings';
import { truncateToWidth } from './text-width';
import { visibleText } from './visible-text';

/** Options of {@link renderFindings}. */
export interface RenderFindingsOptions {
  /** Emit ANSI colours. Default `false`. */
  color?: boolean;
  /** Longest value shown in evidence, in cells. Default 80. */
  maxValueWidth?: number;
  /** Show evidence lines. Default `true`. */
  evidence?: boolean;
}

const SEVERITY_STYLE: Record<Severity, Style[]> = { high: ['bold', 'red'], medium: ['bold', 'yellow'], low: ['cyan'] };
const PROCESS = new Set(['vscode-server', 'vscode-exthost']);

function fixLine(f: Finding, maxValueWidth: number): string | undefined {
  const fix = f.fix;
  if (!fix || fix.contexts.length === 0) return undefined;
  const where = fix.contexts.join(', ');
  const restart = fix.contexts.every((c) => PROCESS.has(c)) ? ' (running processes: restart the VS Code server to apply)' : '';
  if (fix.value === undefined) return `remove ${fix.variable} from ${where}${restart}`;
  return `set ${fix.variable}=${truncateToWidth(visibleText(fix.value), maxValueWidth)} in ${where}${restart}`;
}

/**
 * Render findings as text blocks separated by blank lines; `'No findings.\n'` when empty.
 *
 * Options spread over defaults: `color: false`, `maxValueWidth: 80`, `evidence: true`.
 */
export function renderFindings(findings: readonly Finding[], options: RenderFindingsOptions = {}): string {
  const { color = false, maxValueWidth = 80, evidence = true } = options;
  if (findings.length === 0) return 'No findings.\n';
  const blocks = findings.map((f) => {
    const lines: string[] = [];
    const sev = paint(f.severity.toUpperCase().padEnd(6), SEVERITY_STYLE[f.severity], color);
    lines.push(`${sev} ${paint(visibleText(f.title), ['bold'], color)}  ${paint(`[${f.id}]`, ['dim'], color)}`);
    lines.push(`       why:   ${visibleText(f.explanation)}`);
    if (f.cause) lines.push(`       cause: ${visibleText(f.cause)}`);
    if (evidence && f.evidence.length) {
      const labelW = Math.max(...f.evidence.map((e) => e.context.length + (e.variable ? e.variable.length + 1 : 0)));
      for (const e of f.evidence) {
        const label = (e.variable ? `${e.context} ${e.variable}` : e.context).padEnd(labelW);
        const value = e.value === undefined ? '—' : e.value === '' ? '""' : truncateToWidth(visibleText(e.value), maxValueWidth);
        const at = e.source ? paint(`  ${e.source.line > 0 ? `(${e.source.file}:${e.source.line})` : e.source.kind === 'inherited' ? '(inherited)' : `(${e.source.file})`}`, ['dim'], color) : '';
        lines.push(`         ${label}  ${value}${at}`);
      }
    }
    const fix = fixLine(f, maxValueWidth);
    if (fix) lines.push(`       fix:   ${paint(fix, ['green'], color)}`);
    return lines.join('\n');
  });
  return blocks.join('\n\n') + '\n';
}
