/**
 * The envlens window: hosts on the left; capture, compare, fleet and snapshots on the
 * right; capture prompts as modal dialogs on top.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo, SnapshotMeta, TargetEntry } from '../../shared/api';
import type { ErrorInfo } from '../../shared/errors';
import type { ContextId, Snapshot } from '../../shared/model';
import { CaptureView } from '../features/capture/capture-view';
import { PromptDialog } from '../features/capture/prompt-dialog';
import { useCapture } from '../features/capture/use-capture';
import { usePrompts } from '../features/capture/use-prompts';
import { CompareView, type CompareSource } from '../features/compare/compare-view';
import { FleetView } from '../features/fleet/fleet-view';
import { useFleet } from '../features/fleet/use-fleet';
import { HostsPanel } from '../features/hosts/hosts-panel';
import { useTargets } from '../features/hosts/use-targets';
import { SnapshotsView } from '../features/snapshots/snapshots-view';
import { useSnapshots } from '../features/snapshots/use-snapshots';
import { ErrorBox, asErrorInfo } from '../ui/error-box';
import { IconColumns, IconFleet, IconHistory, IconServer } from '../ui/icons';
import { useApi } from './api-context';
import { useSnapshotLoader } from './use-snapshot-loader';

export type View = 'capture' | 'compare' | 'fleet' | 'snapshots';

/**
 * The target a fix of a snapshot connects to. Captures of an ssh-config alias are saved
 * under the resolved `user@host:port` label, which carries none of the alias's settings
 * (key, known_hosts, jump host): so the alias the person picked, or else an alias that
 * resolves to the label, is preferred over the label itself.
 */
export function fixTargetFor(source: CompareSource | undefined, selected: string, entries: readonly TargetEntry[]): string | undefined {
  if (source?.kind !== 'contexts') return undefined;
  if (source.target) return source.target;
  const label = source.snapshot.target.label;
  const picked = entries.find((e) => e.target === selected);
  if (picked && (picked.target === label || picked.description === label)) return picked.target;
  return entries.find((e) => e.source === 'ssh-config' && e.description === label)?.target ?? label;
}

export function App() {
  const api = useApi();
  const targets = useTargets();
  const snapshots = useSnapshots();
  const loader = useSnapshotLoader();
  const prompts = usePrompts();
  const fleet = useFleet();
  const [selected, setSelected] = useState('local');
  const [view, setView] = useState<View>('capture');
  const [source, setSource] = useState<CompareSource | undefined>(undefined);
  const [opening, setOpening] = useState<string | undefined>(undefined);
  const [openError, setOpenError] = useState<ErrorInfo | undefined>(undefined);
  const [info, setInfo] = useState<AppInfo | undefined>(undefined);

  useEffect(() => {
    let live = true;
    api.getAppInfo().then(
      (i) => live && setInfo(i),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);

  const openSnapshot = useCallback(
    (id: string) => {
      setOpening(id);
      setOpenError(undefined);
      loader.load(id).then(
        (snapshot) => {
          setSource({ kind: 'contexts', snapshot });
          setView('compare');
          setOpening(undefined);
        },
        (error: unknown) => {
          setOpenError(asErrorInfo(error));
          setOpening(undefined);
        },
      );
    },
    [loader],
  );

  const compareHistory = useCallback(
    (ids: string[], context: ContextId) => {
      setOpenError(undefined);
      setOpening(ids.join(','));
      Promise.all(ids.map((id) => loader.load(id))).then(
        (list) => {
          setSource({ kind: 'history', snapshots: list, context });
          setView('compare');
          setOpening(undefined);
        },
        (error: unknown) => {
          setOpenError(asErrorInfo(error));
          setOpening(undefined);
        },
      );
    },
    [loader],
  );

  const capture = useCapture((meta: SnapshotMeta) => {
    // Show the result at once, unless the person went elsewhere meanwhile.
    if (view === 'capture' && selected === capture.state.request?.target) openSnapshot(meta.id);
  });

  const openFleetSnapshot = useCallback((snapshot: Snapshot, target: string) => {
    setOpenError(undefined);
    setSource({ kind: 'contexts', snapshot, target });
    setView('compare');
  }, []);

  const compareHosts = useCallback((list: Snapshot[], context: ContextId) => {
    setOpenError(undefined);
    setSource({ kind: 'hosts', snapshots: list, context, origin: 'from the fleet run' });
    setView('compare');
  }, []);

  const captureAgain = (target: string) => {
    setSelected(target);
    setView('capture');
    if (!capture.running) capture.start({ target, trace: true });
  };

  const entry: TargetEntry = targets.all.find((e) => e.target === selected) ?? { target: selected, source: 'recent' };
  // Captures of an ssh-config alias are saved under its resolved user@host:port label,
  // which is what listTargets gives as the alias's description.
  const history = [...(snapshots.byTarget.get(selected) ?? []), ...(entry.source === 'ssh-config' && entry.description ? (snapshots.byTarget.get(entry.description) ?? []) : [])];

  const selectHost = (target: string) => {
    setSelected(target);
    setView('capture');
  };

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">envlens</span>
        </div>
        <nav className="views" aria-label="Views">
          <ViewButton view="capture" current={view} onSelect={setView} icon={<IconServer />}>
            Capture
          </ViewButton>
          <ViewButton view="compare" current={view} onSelect={setView} icon={<IconColumns />} disabled={!source}>
            Compare
          </ViewButton>
          <ViewButton view="fleet" current={view} onSelect={setView} icon={<IconFleet />}>
            Fleet
            {fleet.running && <span className="spinner spinner-small" role="img" aria-label="fleet run under way" />}
          </ViewButton>
          <ViewButton view="snapshots" current={view} onSelect={setView} icon={<IconHistory />}>
            Snapshots
            {snapshots.list && <span className="count-badge">{snapshots.list.snapshots.length}</span>}
          </ViewButton>
        </nav>
        <div className="topbar-info">
          {opening && <span className="spinner" role="status" aria-label="Opening snapshot" />}
          {info && (
            <span className="muted" title={`snapshots in ${info.dataDir}`}>
              v{info.version} · {info.mode === 'browser' ? 'browser mode' : 'desktop'}
            </span>
          )}
        </div>
      </header>
      <div className="workspace">
        <aside className="sidebar">
          <HostsPanel targets={targets} selected={selected} onSelect={selectHost} busyTarget={capture.running ? capture.state.request?.target : undefined} />
        </aside>
        <main className="main" id="main">
          {openError && (
            <div className="main-banner">
              <ErrorBox
                error={openError}
                actions={
                  <button type="button" className="button" onClick={() => setOpenError(undefined)}>
                    Dismiss
                  </button>
                }
              />
            </div>
          )}
          {view === 'capture' && <CaptureView key={entry.target} entry={entry} capture={capture} history={history} onOpenSnapshot={openSnapshot} />}
          {view === 'compare' && source && (
            <CompareView source={source} onSourceChange={setSource} fixTarget={fixTargetFor(source, selected, targets.all)} onCaptureAgain={captureAgain} />
          )}
          {view === 'fleet' && <FleetView fleet={fleet} entries={targets.all} onOpenSnapshot={openFleetSnapshot} onCompareHosts={compareHosts} />}
          {view === 'snapshots' && (
            <SnapshotsView snapshots={snapshots} onOpen={openSnapshot} onCompareHistory={compareHistory} onDeleted={loader.forget} />
          )}
        </main>
      </div>
      {prompts.current && <PromptDialog prompt={prompts.current} onAnswer={prompts.answer} />}
      {prompts.error && !prompts.current && (
        <div className="toast" role="alert">
          Could not send your answer: {prompts.error.message}
        </div>
      )}
    </div>
  );
}

function ViewButton({
  view,
  current,
  onSelect,
  icon,
  disabled,
  children,
}: {
  view: View;
  current: View;
  onSelect: (v: View) => void;
  icon: ReactNode;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="view-button"
      aria-current={view === current ? 'page' : undefined}
      disabled={disabled}
      data-testid={`view-${view}`}
      onClick={() => onSelect(view)}
    >
      {icon}
      {children}
    </button>
  );
}
