/**
 * The VS Code settings found on the host (remote machine, workspace file, workspace
 * folder): what each file sets at which line, what gopls and terminals end up seeing,
 * and what cannot be known from the host (user settings live on the client).
 */
import type { VscodeSettings } from '../../../shared/model';
import { describeOverlayEntry, describeScope, overlayChangesValue, overlayEntries, VSCODE_SETTINGS_LIMIT } from '../../../core/vscode-settings';
import { visibleText } from '../../../core/visible-text';

export function VscodeSettingsPanel({ settings }: { settings: VscodeSettings }) {
  const entries = overlayEntries(settings);
  return (
    <div data-testid="vscode-settings-panel">
      {settings.workspaceResolved !== undefined && (
        <p className="panel-note">
          Workspace folder <span className="mono">{visibleText(settings.workspaceResolved)}</span>
          {settings.workspaceFound ? '' : ' (not found on the host)'}
        </p>
      )}
      <h3 className="proxy-section-title">What VS Code processes see</h3>
      {entries.length === 0 ? (
        <p className="panel-note">These settings change no variable of gopls or the terminals.</p>
      ) : (
        <ul className="vscode-overlay-list">
          {entries.map(({ audience, entry }) => (
            <li key={`${audience}:${entry.variable}`} data-testid={`vscode-overlay-${audience}-${entry.variable}`} className={overlayChangesValue(entry) ? 'overlay-changes' : ''}>
              {visibleText(describeOverlayEntry(entry, audience))}
              {entry.baseContext && overlayChangesValue(entry) && (
                <span className="proxy-why">
                  {entry.baseContext} has {entry.baseValue === undefined ? 'it unset' : visibleText(entry.baseValue)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3 className="proxy-section-title">Settings files</h3>
      {settings.files.length === 0 && <p className="panel-note">No VS Code settings file on the host.</p>}
      {settings.files.map((f) => (
        <section key={f.path} className="vscode-file" data-testid="vscode-settings-file">
          <p className="vscode-file-head">
            <span className="mono">{visibleText(f.path)}</span> <span className="muted">{describeScope(f.scope)}</span>
            {f.truncated && <span className="badge">first {VSCODE_SETTINGS_LIMIT / 1024 / 1024} MiB of {f.size} bytes</span>}
          </p>
          <table className="proxy-table">
            <tbody>
              {f.settings.map((s) => (
                <tr key={`${s.line}:${s.key}:${s.variable ?? ''}`} className={s.ignored ? 'vscode-ignored' : ''}>
                  <th scope="row" className="proxy-tool mono">
                    :{s.line}
                  </th>
                  <td>
                    <span className="mono">
                      {s.key}
                      {s.variable !== undefined && ` ${visibleText(s.variable)}`} = {typeof s.value === 'string' ? JSON.stringify(visibleText(s.value)) : String(s.value)}
                    </span>
                    {s.ignored && <span className="proxy-why">ignored: {s.ignored}</span>}
                  </td>
                </tr>
              ))}
              {f.problems.map((p, i) => (
                <tr key={`problem-${i}`} className="vscode-problem">
                  <th scope="row" className="proxy-tool mono">
                    {p.line ? `:${p.line}` : ''}
                  </th>
                  <td className="proxy-why">{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {settings.notes.map((n) => (
        <p key={n} className="panel-note">
          {n}
        </p>
      ))}
    </div>
  );
}
