/**
 * The report's "VS Code settings" section: the settings files read on the host, what
 * each sets at which line, and what gopls and the integrated terminals see because of
 * them (the overlay, ../vscode-settings.ts). Values arrive redacted with the snapshot.
 */

import type { VscodeSettings } from '../../shared/model';
import { describeOverlayEntry, describeScope, overlayChangesValue, overlayEntries } from '../vscode-settings';
import { html, valueHtml, type SafeHtml } from './html';

/** The section for one snapshot's settings, or nothing when the snapshot has none. */
export function vscodeSettingsSection(settings: VscodeSettings | undefined, id: string, suffix: SafeHtml): SafeHtml {
  if (!settings) return html``;
  const entries = overlayEntries(settings);
  const overlay = entries.length
    ? html`<table class="matrix" data-testid="vscode-overlay"><thead><tr><th scope="col">What VS Code processes see</th><th scope="col">instead of</th></tr></thead><tbody>${entries.map(
        ({ audience, entry }) =>
          html`<tr class="${overlayChangesValue(entry) ? 'differs' : ''}"><th scope="row">${describeOverlayEntry(entry, audience)}</th><td class="val">${
            entry.baseContext
              ? html`${entry.baseValue === undefined ? html`<span class="unset">not set</span>` : valueHtml(entry.baseValue)}<span class="src">${entry.baseContext}</span>`
              : html`<span class="unset">no VS Code environment captured</span>`
          }</td></tr>`,
      )}</tbody></table>`
    : html`<p>These settings change no variable of gopls or the terminals.</p>`;
  const files = settings.files.map(
    (f) => html`<h3><span class="mono">${f.path}</span> <span class="muted small">${describeScope(f.scope)}${f.truncated ? ` · first 1 MiB of ${f.size} bytes` : ''}</span></h3>
<table class="matrix"><tbody>${f.settings.map(
      (s) =>
        html`<tr><th scope="row" class="mono">:${s.line} ${s.key}${s.variable !== undefined ? ` ${s.variable}` : ''}</th><td class="val">${
          typeof s.value === 'string' ? valueHtml(s.value) : html`<code>${String(s.value)}</code>`
        }${s.ignored ? html`<span class="src">ignored: ${s.ignored}</span>` : ''}</td></tr>`,
    )}${f.problems.map((p) => html`<tr><th scope="row" class="mono">${p.line ? `:${p.line}` : ''}</th><td>${p.message}</td></tr>`)}</tbody></table>`,
  );
  const workspace = settings.workspaceResolved !== undefined ? html`<p class="muted small">Workspace folder <code>${settings.workspaceResolved}</code>${settings.workspaceFound ? '' : ' (not found on the host)'}.</p>` : '';
  return html`<section id="${id}"><h2>VS Code settings${suffix}</h2><p class="muted small">Settings on the host that change a tool's environment without any shell: remote machine settings, then the workspace file, then the workspace folder (highest).</p>${workspace}
<div class="scroll">${overlay}</div>${files}${settings.notes.map((n) => html`<p class="muted small">${n}</p>`)}</section>`;
}
