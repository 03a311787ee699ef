/**
 * The compare screen: every captured context (or one context across snapshots) side by
 * side, filters, the pair view with inline diffs, and the findings, effective-proxy and
 * variable panels.
 */
import { useCallback, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { findFindings, type Finding } from '../../../core/findings';
import { columnsAcrossSnapshots, type EnvColumn } from '../../../core/diff';
import { CONTEXT_IDS, CONTEXT_LABELS, isContextId, type ContextId, type ContextResult } from '../../../shared/model';
import { formatDateTime, formatRelative, plural } from '../../ui/format';
import { IconColumns, IconGrid, IconReport, IconSearch, IconSidebar, IconSwap } from '../../ui/icons';
import { StatusDot, statusLabel } from '../../ui/status';
import { Switch } from '../../ui/switch';
import { useHotkey } from '../../ui/use-hotkey';
import { FixDialog } from '../fix/fix-dialog';
import { initialFixRequest } from '../fix/fix-model';
import { ExportReportDialog, type ReportSnapshotRef } from '../report/export-report-dialog';
import { DetailsPanel } from './details-panel';
import { FindingsPanel } from './findings-panel';
import { ProxyPanel } from './proxy-panel';
import { ToolsStrip, type ToolsStripColumn } from './tools-strip';
import { diffToolSettings } from '../../../core/tool-diff';
import { useComparison, type CompareSource, type UseComparison } from './use-comparison';
import { VarGrid, type CellNote, type ColumnMeta } from './var-grid';
import { VscodeSettingsPanel } from './vscode-settings-panel';
import { OVERLAY_COLUMNS, overlayNote } from '../../../core/vscode-settings';

export type { CompareSource } from './use-comparison';

type PanelTab = 'findings' | 'proxy' | 'vscode' | 'details';

export interface CompareViewProps {
  source: CompareSource;
  onSourceChange: (source: CompareSource) => void;
  /** The target fixes connect to (an alias of the snapshot's host); absent: no Fix button. */
  fixTarget?: string | undefined;
  /** Capture a target again (offered after a fix). */
  onCaptureAgain?: (target: string) => void;
}

export function CompareView({ source, onSourceChange, fixTarget, onCaptureAgain }: CompareViewProps) {
  const cmp = useComparison(source);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [fixing, setFixing] = useState<Finding | undefined>(undefined);
  const [tab, setTabState] = useState<PanelTab>(source.kind === 'contexts' ? 'findings' : 'details');
  const [panelOpen, setPanelOpen] = useState(true);
  const [exporting, setExporting] = useState(false);
  const reportSnapshots = useMemo(() => reportSnapshotsOf(source), [source]);
  const setTab = useCallback((t: PanelTab) => {
    setTabState(t);
    setPanelOpen(true);
  }, []);
  const filterRef = useRef<HTMLInputElement>(null);
  useHotkey('/', () => filterRef.current?.focus());

  const findings = useMemo(() => (source.kind === 'contexts' ? findFindings(source.snapshot) : []), [source]);
  const homes = useMemo(() => {
    const out: Partial<Record<ContextId, string>> = {};
    for (const c of cmp.okColumns) if (isContextId(c.key) && c.env?.HOME) out[c.key] = c.env.HOME;
    return out;
  }, [cmp.okColumns]);

  const meta = useMemo(() => columnMeta(source), [source]);
  // What go, git, npm and pip resolve, in the grid's columns: the contexts of one
  // snapshot, or one context across snapshots (history, hosts: did a fix change what go
  // resolves? does one host's go env file differ?).
  const toolColumns = useMemo<ToolsStripColumn[]>(() => {
    const toolsOf = (key: string): ContextResult['tools'] => {
      if (source.kind === 'contexts') return isContextId(key) ? source.snapshot.contexts[key]?.tools : undefined;
      const at = columnsAcrossSnapshots(source.snapshots, source.context).findIndex((c) => c.key === key);
      return at === -1 ? undefined : source.snapshots[at]?.contexts[source.context]?.tools;
    };
    return cmp.comparison.columns
      .filter((c) => c.status === 'ok' && (source.kind !== 'contexts' || isContextId(c.key)))
      .map((c) => {
        const tools = toolsOf(c.key);
        return { key: c.key, label: c.label, ...(tools ? { tools } : {}), ...(c.env?.HOME ? { home: c.env.HOME } : {}) };
      });
  }, [source, cmp.comparison.columns]);
  const toolDiffs = useMemo(() => diffToolSettings(toolColumns).length, [toolColumns]);
  const vscodeSettings = source.kind === 'contexts' ? source.snapshot.vscodeSettings : undefined;
  const note = useMemo<CellNote | undefined>(() => (vscodeSettings ? (name, key) => overlayNote(vscodeSettings, key, name) : undefined), [vscodeSettings]);
  const openDetails = useCallback(
    (name: string) => {
      setSelected(name);
      setTab('details');
    },
    [setTab],
  );

  const showFinding = (f: Finding) => {
    cmp.setFilters((x) => ({ ...x, text: f.variable, onlyDifferent: true }));
    setSelected(f.variable);
    const present = f.evidence.find((e) => e.value !== undefined)?.context;
    const absent = f.evidence.find((e) => e.value === undefined || e.value !== f.evidence.find((x) => x.context === present)?.value)?.context;
    if (cmp.mode === 'pair' && present && absent && present !== absent) cmp.setPair([absent, present]);
    setTab('details');
  };

  const { counts, rows } = cmp.comparison;

  return (
    <div className="compare" data-testid="compare-view">
      <CompareHeader
        source={source}
        cmp={cmp}
        onSourceChange={onSourceChange}
        actions={
          <button
            type="button"
            className="button"
            data-testid="export-report"
            title={reportSnapshots.length === 1 ? 'An HTML report of this snapshot, secrets redacted' : `An HTML report of these ${reportSnapshots.length} snapshots, secrets redacted`}
            onClick={() => setExporting(true)}
          >
            <IconReport /> Export report…
          </button>
        }
      />
      <div className="compare-toolbar" role="toolbar" aria-label="Filters">
        <div className="search">
          <IconSearch />
          <input
            ref={filterRef}
            className="input"
            type="search"
            aria-label="Filter variables by name or value"
            placeholder="Filter names and values"
            spellCheck={false}
            value={cmp.filters.text}
            data-testid="filter-input"
            onChange={(e) => cmp.setFilters((f) => ({ ...f, text: e.target.value }))}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && cmp.filters.text) {
                e.preventDefault();
                cmp.setFilters((f) => ({ ...f, text: '' }));
              }
            }}
          />
          {cmp.filters.text === '' && <kbd aria-hidden="true">/</kbd>}
        </div>
        <div className="toolbar-group">
          <Switch checked={cmp.filters.onlyDifferent} onChange={(v) => cmp.setFilters((f) => ({ ...f, onlyDifferent: v }))} testId="only-different">
            Only differences
          </Switch>
          <Switch checked={cmp.filters.onlyImportant} onChange={(v) => cmp.setFilters((f) => ({ ...f, onlyImportant: v }))} testId="only-important">
            Only proxy &amp; toolchain
          </Switch>
          <Switch checked={cmp.filters.showVolatile} onChange={(v) => cmp.setFilters((f) => ({ ...f, showVolatile: v }))} testId="show-volatile">
            Show volatile
          </Switch>
        </div>
        <ModePicker cmp={cmp} meta={meta} />
        <button
          type="button"
          className="icon-button"
          aria-pressed={panelOpen}
          aria-label="Explanations panel"
          title={panelOpen ? 'Hide the explanations panel' : 'Show the explanations panel'}
          onClick={() => setPanelOpen(!panelOpen)}
        >
          <IconSidebar />
        </button>
      </div>
      <div className={`compare-body${panelOpen ? '' : ' no-side'}`}>
        {cmp.okColumns.length === 0 ? (
          <div className="grid-empty">
            <strong>No context was captured</strong>
            Every context of this snapshot failed or is unavailable; the reasons are listed above.
          </div>
        ) : (
          <div className="compare-main">
            <VarGrid
              comparison={cmp.comparison}
              mode={cmp.mode}
              meta={meta}
              selected={selected}
              onSelect={setSelected}
              onOpenDetails={openDetails}
              label={cmp.mode === 'pair' ? 'Variables of two contexts side by side' : 'Variables by context'}
              empty={<EmptyGrid cmp={cmp} toolDiffs={toolDiffs} />}
              note={note}
            />
            <ToolsStrip columns={toolColumns} />
          </div>
        )}
        {panelOpen && (
          <SidePanel
            resetKey={selected ?? ''}
            tab={tab}
            setTab={setTab}
            findingsCount={findings.length}
            showFindings={source.kind === 'contexts'}
            findings={
              <FindingsPanel
                findings={findings}
                homes={homes}
                target={source.kind === 'contexts' ? (fixTarget ?? source.snapshot.target.label) : ''}
                onShow={showFinding}
                {...(fixTarget && source.kind === 'contexts' ? { onFix: setFixing } : {})}
              />
            }
            proxy={
              <ProxyPanel
                columns={cmp.okColumns}
                initial={cmp.pair?.[1]}
                tools={(key) => (source.kind === 'contexts' && isContextId(key) ? source.snapshot.contexts[key]?.tools : undefined)}
                reach={source.kind === 'contexts' && fixTarget ? { target: fixTarget, snapshot: source.snapshot } : undefined}
              />
            }
            details={<DetailsPanel name={selected} columns={cmp.mode === 'pair' ? cmp.comparison.columns : cmp.okColumns} />}
            vscode={vscodeSettings ? <VscodeSettingsPanel settings={vscodeSettings} /> : undefined}
          />
        )}
      </div>
      {fixing?.fix && fixTarget && source.kind === 'contexts' && (
        <FixDialog
          request={initialFixRequest(fixing, source.snapshot, fixTarget)}
          choices={CONTEXT_IDS.filter((id) => source.snapshot.contexts[id]?.status === 'ok')}
          concerned={fixing.fix.contexts}
          onClose={() => setFixing(undefined)}
          {...(onCaptureAgain ? { onCaptureAgain } : {})}
        />
      )}
      {exporting && <ExportReportDialog snapshots={reportSnapshots} onClose={() => setExporting(false)} />}
      <footer className="status-bar">
        <p className="status-counts" aria-live="polite" data-testid="compare-counts">
          <span>
            <strong>{rows.length.toLocaleString('en')}</strong> of {(counts.same + counts.different + counts.missing).toLocaleString('en')} shown
          </span>
          <span className="legend">
            <span className="kind-marker kind-different" aria-hidden="true" />
            {counts.different} different
          </span>
          <span className="legend">
            <span className="kind-marker kind-missing" aria-hidden="true" />
            {counts.missing} missing
          </span>
          <span className="legend">
            <span className="kind-marker kind-same" aria-hidden="true" />
            {counts.same} same
          </span>
          {counts.hiddenVolatile > 0 && !cmp.filters.showVolatile && <span className="legend">{counts.hiddenVolatile} volatile hidden</span>}
        </p>
        <p className="status-keys" aria-hidden="true">
          <kbd>/</kbd> filter <kbd>↑</kbd>
          <kbd>↓</kbd> move <kbd>Enter</kbd> details <kbd>Esc</kbd> clear filter
        </p>
      </footer>
    </div>
  );
}

/** The snapshots a report of this screen covers: the one shown, or every one compared. */
function reportSnapshotsOf(source: CompareSource): ReportSnapshotRef[] {
  const list = source.kind === 'contexts' ? [source.snapshot] : source.snapshots;
  return list.map((s) => ({ id: s.id, target: s.target.label, capturedAt: s.capturedAt }));
}

/** Header titles of the columns. */
function columnMeta(source: CompareSource): (column: EnvColumn) => ColumnMeta {
  if (source.kind === 'contexts') {
    return (column) => {
      const count = column.env ? Object.keys(column.env).length : 0;
      const m: ColumnMeta = { title: column.label, sub: plural(count, 'variable') };
      if (isContextId(column.key)) m.tooltip = CONTEXT_LABELS[column.key];
      else if (column.key === OVERLAY_COLUMNS.go.key) m.tooltip = OVERLAY_COLUMNS.go.tooltip;
      else if (column.key === OVERLAY_COLUMNS.terminal.key) m.tooltip = OVERLAY_COLUMNS.terminal.tooltip;
      return m;
    };
  }
  const byKey = new Map(source.snapshots.map((s) => [s.id, s]));
  if (source.kind === 'hosts') {
    return (column) => {
      const s = byKey.get(column.key);
      return s ? { title: s.target.label, sub: `${s.host.hostname} · ${s.host.os}`, tooltip: `captured ${formatDateTime(s.capturedAt)}` } : { title: column.label };
    };
  }
  return (column) => {
    const s = byKey.get(column.key);
    return s ? { title: formatDateTime(s.capturedAt), sub: `${s.target.label} · ${s.host.hostname}`, tooltip: column.label } : { title: column.label };
  };
}

function CompareHeader({ source, cmp, onSourceChange, actions }: { source: CompareSource; cmp: UseComparison; onSourceChange: (s: CompareSource) => void; actions: ReactNode }) {
  const actionsBox = <div className="compare-header-actions">{actions}</div>;
  if (source.kind === 'hosts') {
    return (
      <header className="compare-header">
        <div className="compare-title">
          <h1 data-testid="compare-title">{source.snapshots.map((s) => s.target.label).join(' vs ')}</h1>
          <p>
            {plural(source.snapshots.length, 'host')} in one context{source.origin ? ` · ${source.origin}` : ''}
          </p>
        </div>
        <ContextPicker value={source.context} onChange={(context) => onSourceChange({ ...source, context })} />
        {actionsBox}
        <SkippedChips skipped={cmp.skipped} />
      </header>
    );
  }
  if (source.kind === 'history') {
    const [first, last] = [source.snapshots[0], source.snapshots.at(-1)];
    return (
      <header className="compare-header">
        <div className="compare-title">
          <h1 data-testid="compare-title">
            {first?.target.label} over time
          </h1>
          <p>
            {plural(source.snapshots.length, 'snapshot')}
            {first && last && ` from ${formatDateTime(first.capturedAt)} to ${formatDateTime(last.capturedAt)}`}
          </p>
        </div>
        <ContextPicker value={source.context} onChange={(context) => onSourceChange({ ...source, context })} />
        {actionsBox}
        <SkippedChips skipped={cmp.skipped} />
      </header>
    );
  }
  const s = source.snapshot;
  return (
    <header className="compare-header">
      <div className="compare-title">
        <h1 data-testid="compare-title">{s.target.label}</h1>
        <p>
          <span className="mono">
            {s.target.user}@{s.host.hostname}
          </span>
          {' · '}
          {s.host.os} · {s.host.shell} · captured {formatRelative(s.capturedAt)}
          {s.traced === false && ' · without provenance'}
        </p>
      </div>
      {actionsBox}
      <SkippedChips skipped={cmp.skipped} />
    </header>
  );
}

function SkippedChips({ skipped }: { skipped: EnvColumn[] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="skipped">
      <span className="skipped-label">Not captured</span>
      <ul className="context-chips" aria-label="Contexts not captured">
        {skipped.map((c) => (
          <li key={c.key} className="context-chip context-chip-off" title={c.reason ? `${statusLabel(c.status)}: ${c.reason}` : statusLabel(c.status)} data-testid={`skipped-${c.key}`}>
            <StatusDot status={c.status} />
            {c.label}
            <span className="context-chip-status">{statusLabel(c.status)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ModePicker({ cmp, meta }: { cmp: UseComparison; meta: (c: EnvColumn) => ColumnMeta }) {
  const canPair = cmp.okColumns.length >= 2 && cmp.pair;
  const leftId = useId();
  const rightId = useId();
  return (
    <div className="toolbar-group">
      <div className="segmented" role="group" aria-label="Layout">
        <button type="button" aria-pressed={cmp.mode === 'matrix'} onClick={() => cmp.setMode('matrix')} data-testid="mode-matrix">
          <IconGrid /> All
        </button>
        <button type="button" aria-pressed={cmp.mode === 'pair'} disabled={!canPair} onClick={() => cmp.setMode('pair')} data-testid="mode-pair">
          <IconColumns /> Pair
        </button>
      </div>
      {cmp.mode === 'pair' && cmp.pair && (
        <div className="pair-pickers">
          <label htmlFor={leftId} className="visually-hidden">
            Left context
          </label>
          <select id={leftId} className="select" value={cmp.pair[0]} data-testid="pair-left" onChange={(e) => cmp.setPair([e.target.value, cmp.pair![1]])}>
            {cmp.okColumns.map((c) => (
              <option key={c.key} value={c.key}>
                {meta(c).title}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="icon-button"
            aria-label="Swap left and right"
            title="Swap"
            onClick={() => cmp.setPair([cmp.pair![1], cmp.pair![0]])}
          >
            <IconSwap />
          </button>
          <label htmlFor={rightId} className="visually-hidden">
            Right context
          </label>
          <select id={rightId} className="select" value={cmp.pair[1]} data-testid="pair-right" onChange={(e) => cmp.setPair([cmp.pair![0], e.target.value])}>
            {cmp.okColumns.map((c) => (
              <option key={c.key} value={c.key}>
                {meta(c).title}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

function EmptyGrid({ cmp, toolDiffs }: { cmp: UseComparison; toolDiffs: number }) {
  const { counts } = cmp.comparison;
  if (cmp.filters.text.trim()) {
    return (
      <>
        <strong>Nothing matches “{cmp.filters.text.trim()}”</strong>
        {cmp.filters.onlyDifferent && counts.same > 0 ? (
          <>
            {plural(counts.same, 'variable')} match but are the same everywhere.{' '}
            <button type="button" className="link-button" onClick={() => cmp.setFilters((f) => ({ ...f, onlyDifferent: false }))}>
              Show them
            </button>
          </>
        ) : (
          'Try part of a name or a value.'
        )}
      </>
    );
  }
  return (
    <>
      <strong>{toolDiffs > 0 ? 'No differences in the variables' : 'No differences'}</strong>
      {plural(counts.same, 'variable')} {counts.same === 1 ? 'is' : 'are'} the same in every column.{' '}
      {toolDiffs > 0 && (
        <span data-testid="empty-tool-diffs">
          But the tools resolve {plural(toolDiffs, 'setting')} differently: see “What the tools resolve” below.{' '}
        </span>
      )}
      {cmp.filters.onlyDifferent && (
        <button type="button" className="link-button" onClick={() => cmp.setFilters((f) => ({ ...f, onlyDifferent: false }))}>
          Show all
        </button>
      )}
    </>
  );
}

interface SidePanelProps {
  /** The details tab scrolls back to the top when this changes (another variable). */
  resetKey: string;
  tab: PanelTab;
  setTab: (t: PanelTab) => void;
  findingsCount: number;
  showFindings: boolean;
  findings: ReactNode;
  proxy: ReactNode;
  details: ReactNode;
  /** The VS Code settings panel, when the snapshot has settings. */
  vscode?: ReactNode;
}

function SidePanel({ resetKey, tab, setTab, findingsCount, showFindings, findings, proxy, details, vscode }: SidePanelProps) {
  const base = useId();
  const tabs: { id: PanelTab; label: string; count?: number }[] = [
    ...(showFindings ? [{ id: 'findings' as const, label: 'Findings', count: findingsCount }] : []),
    { id: 'proxy', label: 'Effective proxy' },
    ...(vscode ? [{ id: 'vscode' as const, label: 'VS Code' }] : []),
    { id: 'details', label: 'Variable' },
  ];
  const current = tabs.some((t) => t.id === tab) ? tab : tabs[0]!.id;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const i = tabs.findIndex((t) => t.id === current);
    const next = tabs[(i + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    setTab(next.id);
    document.getElementById(`${base}-tab-${next.id}`)?.focus();
  };
  return (
    <aside className="side-panel" aria-label="Explanations">
      <div className="tabs" role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`${base}-tab-${t.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={t.id === current}
            aria-controls={`${base}-panel`}
            tabIndex={t.id === current ? 0 : -1}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.count !== undefined && <span className="count-badge">{t.count}</span>}
          </button>
        ))}
      </div>
      <div key={current === 'details' ? `details:${resetKey}` : current} className="tab-panel" id={`${base}-panel`} role="tabpanel" aria-labelledby={`${base}-tab-${current}`} tabIndex={0}>
        {current === 'findings' ? findings : current === 'proxy' ? proxy : current === 'vscode' ? vscode : details}
      </div>
    </aside>
  );
}

/** The "Context" select of the cross-snapshot compare headers. */
function ContextPicker({ value, onChange }: { value: ContextId; onChange: (context: ContextId) => void }): React.JSX.Element {
  const id = useId();
  return (
    <label htmlFor={id} className="pair-pickers">
      <span className="muted">Context</span>
      <select id={id} className="select" value={value} onChange={(e) => isContextId(e.target.value) && onChange(e.target.value)}>
        {CONTEXT_IDS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}
