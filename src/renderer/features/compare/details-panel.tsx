/**
 * Everything about one variable: what it does, its full value in every column, and every
 * place that set it.
 */
import { lookupVariable } from '../../../core/catalog';
import { visibleText, type EnvColumn } from '../../../core/diff';
import { formatSource } from '../../ui/format';

export function DetailsPanel({ name, columns }: { name: string | undefined; columns: EnvColumn[] }) {
  if (!name) {
    return (
      <div className="empty">
        <h2>No variable selected</h2>
        <p>
          Pick a row, or move with <kbd>↑</kbd> <kbd>↓</kbd> and press <kbd>Enter</kbd>.
        </p>
      </div>
    );
  }
  const info = lookupVariable(name);
  return (
    <div data-testid="details-panel">
      <div className="detail-head">
        <h3>{name}</h3>
        {info ? (
          <>
            <p className="detail-summary">{info.summary}</p>
            <p className="detail-readby">
              Read by {info.readBy.join(', ')}
              {info.whenUnset && `. When unset: ${info.whenUnset}`}
            </p>
          </>
        ) : (
          <p className="detail-summary muted">Not a variable envlens knows to affect proxies or toolchains.</p>
        )}
      </div>
      {columns.map((column) => {
        const env = column.env;
        const value = env && Object.hasOwn(env, name) ? env[name] : undefined;
        const sources = column.sources && Object.hasOwn(column.sources, name) ? column.sources[name] : undefined;
        return (
          <section key={column.key} className="detail-context" aria-label={column.label}>
            <div className="detail-context-head">
              <span className="mono">{column.label}</span>
              {value !== undefined && <span className="muted">{value.length.toLocaleString('en')} chars</span>}
            </div>
            {value === undefined ? (
              <p className="muted">
                <em>not set</em>
              </p>
            ) : (
              <pre className="detail-value">{value === '' ? '(empty)' : visibleText(value, { multiline: true })}</pre>
            )}
            {value !== undefined && column.sourcesUnsupported && (
              <p className="muted" data-testid={`sources-unsupported-${column.key}`}>
                Set by: unknown. {column.sourcesUnsupported}.
              </p>
            )}
            {sources && sources.length > 0 && (
              <ol className="detail-sources" aria-label="set by">
                {sources.map((s, i) => (
                  <li key={i}>
                    {i === sources.length - 1 ? '↳ ' : '  '}
                    {formatSource(s, env?.HOME)}
                    {i === sources.length - 1 && sources.length > 1 ? ' (last)' : ''}
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
