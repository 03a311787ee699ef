/**
 * Findings of kind `vscode-settings`: a VS Code setting on the host makes gopls, the Go
 * extension's go commands, the extension host's own requests or the integrated
 * terminals see a different value than the context's environment. No shell file is
 * involved, so nothing else in the findings would explain it.
 *
 * Built from the snapshot's computed overlay (./vscode-settings.ts); called from
 * `findFindings` in ./findings.ts.
 */

import type { ContextId, Snapshot, VscodeOverlayEntry } from '../shared/model';
import { isImportant } from './catalog';
import type { Finding } from './findings';
import { describeOverlayEntry, describeScope, overlayChangesValue, type OverlayAudience } from './vscode-settings';

function shown(value: string | undefined): string {
  return value === undefined ? 'does not have it' : `has ${JSON.stringify(value)}`;
}

function causeOf(entry: VscodeOverlayEntry): string {
  const lost = (entry.shadowed ?? []).map((s) => `${s.file}:${s.line} (${describeScope(s.scope)})`);
  return (
    `${entry.key} in ${entry.file}:${entry.line} (${describeScope(entry.scope)})` +
    (lost.length ? `, which wins over ${lost.join(' and ')}` : '')
  );
}

/**
 * The `vscode-settings` findings of a snapshot, limited to `wanted` contexts when given
 * (a finding is about the context its overlay applies on top of).
 */
export function vscodeSettingsFindings(snapshot: Snapshot, wanted?: ReadonlySet<ContextId>): Finding[] {
  const settings = snapshot.vscodeSettings;
  if (!settings) return [];
  const keep = (c: ContextId | undefined): c is ContextId => c !== undefined && (!wanted || wanted.has(c));
  // One finding per overlay entry that changes a value; they differ only in who sees it.
  const finding = (id: string, entry: VscodeOverlayEntry, base: ContextId, variable: string, severity: Finding['severity'], audience: OverlayAudience, explanation: string): Finding => ({
    id,
    kind: 'vscode-settings',
    severity,
    variable,
    contexts: [base],
    title: describeOverlayEntry(entry, audience),
    explanation,
    cause: causeOf(entry),
    evidence: [{ context: base, ...(entry.baseValue !== undefined ? { value: entry.baseValue } : {}) }],
  });
  const out: Finding[] = [];
  for (const entry of settings.overlay.goTools) {
    if (entry.key !== 'go.toolsEnvVars' || !overlayChangesValue(entry) || !keep(entry.baseContext)) continue;
    out.push(
      finding(
        `vscode-settings:go:${entry.variable}`,
        entry,
        entry.baseContext,
        entry.variable,
        isImportant(entry.variable) ? 'medium' : 'low',
        'go',
        `The Go extension starts gopls and its go commands (build, test, installing tools) with the extension host's environment plus go.toolsEnvVars. ` +
          `The environment (${entry.baseContext}) ${shown(entry.baseValue)}, so \`go\` in a terminal, a script or ssh resolves ${entry.variable} differently from gopls.`,
      ),
    );
  }
  const proxy = settings.overlay.httpProxy;
  if (proxy && overlayChangesValue(proxy) && keep(proxy.baseContext)) {
    out.push(
      finding(
        'vscode-settings:http.proxy',
        proxy,
        proxy.baseContext,
        'http_proxy',
        'medium',
        'exthost',
        `The remote extension host sends its own requests (extension downloads, language servers that fetch) through http.proxy, and the Go extension sets http_proxy, HTTP_PROXY, https_proxy and HTTPS_PROXY to it for gopls and its go commands. ` +
          `The server's environment (${proxy.baseContext}) ${shown(proxy.baseValue)} for http_proxy, so curl, git and go run anywhere else take another route.`,
      ),
    );
  }
  for (const entry of settings.overlay.terminal) {
    if (!overlayChangesValue(entry) || !keep(entry.baseContext)) continue;
    out.push(
      finding(
        `vscode-settings:terminal:${entry.variable}`,
        entry,
        entry.baseContext,
        entry.variable,
        isImportant(entry.variable) ? 'medium' : 'low',
        'terminal',
        `VS Code starts integrated terminals with the server's environment, then applies terminal.integrated.env.linux (a string sets, null unsets). ` +
          `The environment (${entry.baseContext}) ${shown(entry.baseValue)}, so a VS Code terminal and an ssh terminal disagree on ${entry.variable}.`,
      ),
    );
  }
  return out;
}
