/**
 * The findings of a snapshot: what differs in a way that breaks tools, why, the likely
 * cause, the evidence per context and the fix.
 */
import type { Finding } from '../../../core/findings';
import type { ContextId } from '../../../shared/model';
import { formatSource } from '../../ui/format';
import { useId, useState } from 'react';
import { IconAlert, IconChevron, IconInfo, IconWrench } from '../../ui/icons';
import { shownValue } from './value-view';

const SEVERITY_CLASS: Record<Finding['severity'], string> = { high: 'error', medium: 'warning', low: 'info' };
const SEVERITY_WORD: Record<Finding['severity'], string> = { high: 'High', medium: 'Medium', low: 'Low' };

export interface FindingsPanelProps {
  findings: Finding[];
  /** The snapshot's target, for the `envlens fix` command line. */
  target: string;
  /** HOME per context, to shorten source paths. */
  homes: Partial<Record<ContextId, string>>;
  onShow: (finding: Finding) => void;
  /** Open the fix dialog for a finding that has a fix; absent: no Fix button (e.g. no host to connect to). */
  onFix?: (finding: Finding) => void;
}

export function FindingsPanel({ findings, homes, target, onShow, onFix }: FindingsPanelProps) {
  if (findings.length === 0) {
    return (
      <div className="empty" data-testid="findings-empty">
        <h2>No findings</h2>
        <p>Proxy, toolchain and search-path variables agree across the captured contexts.</p>
      </div>
    );
  }
  return (
    <div data-testid="findings">
      <p className="panel-note">
        {findings.length} {findings.length === 1 ? 'difference' : 'differences'} that can change what tools do, most serious first.
      </p>
      {findings.map((f, i) => (
        <FindingCard key={f.id} finding={f} homes={homes} target={target} onShow={onShow} onFix={onFix} initiallyOpen={i === 0} />
      ))}
    </div>
  );
}

interface FindingCardProps {
  finding: Finding;
  homes: Partial<Record<ContextId, string>>;
  target: string;
  onShow: (f: Finding) => void;
  onFix: ((f: Finding) => void) | undefined;
  initiallyOpen: boolean;
}

function FindingCard({ finding: f, homes, target, onShow, onFix, initiallyOpen }: FindingCardProps) {
  const [open, setOpen] = useState(initiallyOpen);
  const bodyId = useId();
  const tone = SEVERITY_CLASS[f.severity];
  const Icon = tone === 'info' ? IconInfo : IconAlert;
  return (
    <article className={`finding finding-${tone}${open ? ' finding-open' : ''}`} data-testid={`finding-${f.id}`} aria-label={f.title}>
      <button type="button" className="finding-head" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        <Icon />
        <h3>{f.title}</h3>
        <IconChevron className="finding-chevron" />
      </button>
      <div className="finding-meta">
        <span className={`badge badge-severity-${tone}`}>{SEVERITY_WORD[f.severity]}</span>
        {f.variable && <span className="badge badge-var">{f.variable}</span>}
        <span className="finding-contexts">{f.contexts.join(' · ')}</span>
      </div>
      {open && (
        <div id={bodyId} className="finding-body">
          <p>{f.explanation}</p>
          {f.cause && (
            <div className="finding-section">
              <h4>Likely cause</h4>
              <p>{f.cause}</p>
            </div>
          )}
          {f.evidence.length > 0 && (
            <div className="finding-section">
              <h4>Evidence</h4>
              <ul>
                {f.evidence.map((e, i) => (
                  <li key={i}>
                    <span className="mono">{e.context}</span>
                    {e.variable && <span className="mono"> {e.variable}</span>}
                    {': '}
                    {e.value === undefined ? <em>not set</em> : <span className="mono">{shownValue(e.value, 200)}</span>}
                    {e.source && <span className="mono muted"> ({formatSource(e.source, homes[e.context])})</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {f.fix && (
            <div className="finding-section">
              <h4>Fix</h4>
              <p>
                {f.fix.value === undefined ? (
                  <>
                    Restart the processes of <span className="mono">{f.fix.contexts.join(', ')}</span> so they pick up{' '}
                    <span className="mono">{f.fix.variable}</span>.
                  </>
                ) : (
                  <>
                    Set <span className="mono">{f.fix.variable}</span> in <span className="mono">{f.fix.contexts.join(', ')}</span>:
                  </>
                )}
              </p>
              {f.fix.value !== undefined && <pre>{`${f.fix.variable}=${shownValue(f.fix.value, 400)}`}</pre>}
              {f.fix.value !== undefined && target && !onFix && (
                <p className="muted">
                  Preview the file change with <code className="break">{`envlens fix ${target} --var ${f.fix.variable} --dry-run`}</code>
                </p>
              )}
            </div>
          )}
          {(f.variable || (f.fix && onFix)) && (
            <div className="finding-actions">
              {f.fix && onFix && (
                <button type="button" className="button button-small button-primary" onClick={() => onFix(f)} aria-label={`Fix ${f.fix.variable}…`} data-testid={`fix-button-${f.id}`}>
                  <IconWrench /> Fix…
                </button>
              )}
              {f.variable && (
                <button type="button" className="button button-small" onClick={() => onShow(f)}>
                  Show {f.variable} in the grid
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </article>
  );
}
