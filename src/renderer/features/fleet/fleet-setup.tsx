/**
 * Setting up a fleet run: which hosts (picked from the host list, or pasted one per line
 * with comments), which contexts, an optional baseline host, and whether unknown host
 * keys may be recorded without asking (fleet runs never ask).
 */
import { useId, useMemo, useState } from 'react';
import type { FleetRequest, TargetEntry } from '../../../shared/api';
import { CONTEXT_IDS, CONTEXT_LABELS, type ContextId } from '../../../shared/model';
import { plural } from '../../ui/format';
import { IconArrowRight, IconFleet, IconSearch } from '../../ui/icons';
import { Switch } from '../../ui/switch';
import { mergeTargets, parsePastedTargets } from './fleet-targets';
import { InventoryPicker } from './inventory-picker';
import type { InventorySelection } from './inventory-select';

export interface FleetSetupProps {
  /** The hosts the person knows (listTargets plus the ones added this session). */
  entries: TargetEntry[];
  /** The last run's request, to start from. */
  previous?: FleetRequest | undefined;
  onStart: (request: FleetRequest) => void;
  /** Show finished results from a path on the machine running envlens (probe outputs or a fleet file). */
  onOpen?: ((path: string) => void) | undefined;
  /** Why starting is not possible now (a run is under way). */
  blocked?: string | undefined;
}

export function FleetSetup({ entries, previous, onStart, onOpen, blocked }: FleetSetupProps) {
  const known = useMemo(() => new Set(entries.map((e) => e.target)), [entries]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(() => new Set(previous?.targets.filter((t) => known.has(t)) ?? []));
  const [pasted, setPasted] = useState(() => previous?.targets.filter((t) => !known.has(t)).join('\n') ?? '');
  const [contexts, setContexts] = useState<ReadonlySet<ContextId>>(() => new Set(previous?.contexts ?? CONTEXT_IDS));
  const [baseline, setBaseline] = useState(previous?.baseline ?? '');
  const [acceptNew, setAcceptNew] = useState(previous?.acceptNew ?? false);
  const [filter, setFilter] = useState('');
  const [fromInventory, setFromInventory] = useState<InventorySelection>({ hosts: [], targets: [], identities: [], unknown: [] });
  const [openPath, setOpenPath] = useState('');
  const openId = useId();
  const pastedId = useId();
  const pastedHelp = useId();
  const baselineId = useId();

  const parsed = useMemo(() => parsePastedTargets(pasted), [pasted]);
  const pickedList = entries.map((e) => e.target).filter((t) => picked.has(t));
  const targets = mergeTargets(mergeTargets(pickedList, parsed.targets), fromInventory.targets);
  const shown = filter.trim() ? entries.filter((e) => `${e.target} ${e.description ?? ''}`.toLowerCase().includes(filter.trim().toLowerCase())) : entries;
  const baselineValid = baseline === '' || targets.includes(baseline);

  const toggle = (target: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(target);
    else next.delete(target);
    setPicked(next);
  };
  const toggleContext = (id: ContextId, on: boolean) => {
    const next = new Set(contexts);
    if (on) next.add(id);
    else next.delete(id);
    setContexts(next);
  };
  const problem =
    blocked ??
    (targets.length === 0
      ? 'Pick or paste at least one host.'
      : parsed.problems.length > 0
        ? `Fix ${plural(parsed.problems.length, 'pasted line')} first.`
        : contexts.size === 0
          ? 'Choose at least one context.'
          : undefined);

  const start = () => {
    if (problem) return;
    const request: FleetRequest = { targets };
    if (contexts.size < CONTEXT_IDS.length) request.contexts = CONTEXT_IDS.filter((c) => contexts.has(c));
    if (baseline && baselineValid) request.baseline = baseline;
    if (acceptNew) request.acceptNew = true;
    if (fromInventory.identities.length) request.identities = fromInventory.identities;
    onStart(request);
  };

  return (
    <div className="page page-wide fleet-page" data-testid="fleet-setup">
      <header className="page-header">
        <div className="page-title">
          <IconFleet size={22} className="page-title-icon" />
          <div>
            <h1>Fleet</h1>
            <p className="page-subtitle">Capture the same contexts on many hosts at once and see which hosts are not like the others.</p>
          </div>
        </div>
        <div className="page-actions">
          <button type="button" className="button button-primary" disabled={problem !== undefined} title={problem} onClick={start} data-testid="fleet-start">
            <IconArrowRight /> Capture {plural(targets.length, 'host')}
          </button>
        </div>
      </header>
      {blocked && <p className="notice">{blocked}</p>}

      <div className="fleet-setup-grid">
        <section className="card" aria-labelledby="fleet-hosts-title">
          <div className="card-head">
            <h2 id="fleet-hosts-title" className="card-title">
              Hosts
            </h2>
            <span className="muted" data-testid="fleet-target-count">
              {plural(targets.length, 'host')} chosen
            </span>
          </div>
          <div className="fleet-hosts-columns">
            <div className="fleet-picker">
              <div className="fleet-picker-head">
                <div className="search search-small">
                  <IconSearch />
                  <input
                    className="input"
                    type="search"
                    aria-label="Filter your hosts"
                    placeholder="Filter your hosts"
                    value={filter}
                    onChange={(e) => setFilter(e.target.value)}
                  />
                </div>
                <button type="button" className="link-button" onClick={() => setPicked(new Set([...picked, ...shown.map((e) => e.target)]))}>
                  All
                </button>
                <button type="button" className="link-button" onClick={() => setPicked(new Set([...picked].filter((t) => !shown.some((e) => e.target === t))))}>
                  None
                </button>
              </div>
              <ul className="fleet-picker-list" role="group" aria-label="Your hosts">
                {shown.map((e) => (
                  <li key={e.target}>
                    <label className="fleet-pick">
                      <input type="checkbox" checked={picked.has(e.target)} onChange={(ev) => toggle(e.target, ev.target.checked)} data-testid={`fleet-pick-${e.target}`} />
                      <span className="fleet-pick-name mono">{e.target}</span>
                      {e.description && <span className="fleet-pick-desc">{e.description}</span>}
                    </label>
                  </li>
                ))}
                {shown.length === 0 && <li className="muted fleet-pick-empty">{entries.length === 0 ? 'No hosts in ~/.ssh/config yet.' : 'No host matches.'}</li>}
              </ul>
            </div>
            <div className="fleet-paste">
              <label htmlFor={pastedId} className="field-label">
                Paste targets, one per line
              </label>
              <textarea
                id={pastedId}
                className="input mono fleet-paste-input"
                rows={9}
                wrap="off"
                spellCheck={false}
                autoComplete="off"
                placeholder={'alice@build-1\nbuild-2:2222        # comments are fine\n[fd00::7]:22'}
                aria-describedby={pastedHelp}
                aria-invalid={parsed.problems.length > 0 ? 'true' : undefined}
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                data-testid="fleet-paste"
              />
              <p id={pastedHelp} className="field-help">
                <code>[user@]host[:port]</code> or an alias; <code>#</code> starts a comment.
                {parsed.targets.length > 0 && ` ${plural(parsed.targets.length, 'target')} read`}
                {parsed.duplicates > 0 && `, ${plural(parsed.duplicates, 'duplicate')} ignored`}
                {parsed.targets.length > 0 && '.'}
              </p>
              {parsed.problems.length > 0 && (
                <ul className="field-error fleet-paste-problems" role="alert">
                  {parsed.problems.slice(0, 5).map((p) => (
                    <li key={p.line}>
                      line {p.line}: {p.message}
                    </li>
                  ))}
                  {parsed.problems.length > 5 && <li>… and {parsed.problems.length - 5} more</li>}
                </ul>
              )}
            </div>
          </div>
          <InventoryPicker onChange={setFromInventory} />
        </section>

        <section className="card" aria-labelledby="fleet-options-title">
          <div className="card-head">
            <h2 id="fleet-options-title" className="card-title">
              What to compare
            </h2>
            <div className="card-head-actions">
              <button type="button" className="link-button" onClick={() => setContexts(new Set(CONTEXT_IDS))}>
                All
              </button>
              <button type="button" className="link-button" onClick={() => setContexts(new Set())}>
                None
              </button>
            </div>
          </div>
          <fieldset className="fleet-contexts">
            <legend className="field-label fleet-contexts-legend">Contexts</legend>
            {CONTEXT_IDS.map((id) => (
              <label key={id} className="chip-check" title={CONTEXT_LABELS[id].replaceAll('`', '')}>
                <input type="checkbox" checked={contexts.has(id)} onChange={(e) => toggleContext(id, e.target.checked)} />
                <span className="mono">{id}</span>
              </label>
            ))}
          </fieldset>
          <label htmlFor={baselineId} className="field-label">
            Compare against
          </label>
          <select id={baselineId} className="select fleet-baseline" value={baselineValid ? baseline : ''} onChange={(e) => setBaseline(e.target.value)}>
            <option value="">the majority (most hosts)</option>
            {targets.map((t) => (
              <option key={t} value={t}>
                {t} (baseline)
              </option>
            ))}
          </select>
          <div className="fleet-accept">
            <Switch checked={acceptNew} onChange={setAcceptNew} testId="fleet-accept-new">
              Record unknown host keys
            </Switch>
            <p className="field-help">
              A fleet run never asks. Off: a host whose key is not in known_hosts fails with its fingerprint. On: new keys are added (a
              changed key is still refused).
            </p>
          </div>
        </section>
      </div>
      {onOpen && (
        <section className="card fleet-open" aria-labelledby="fleet-open-title">
          <div className="card-head">
            <h2 id="fleet-open-title" className="card-title">
              Or open results
            </h2>
          </div>
          <form
            className="inventory-path"
            onSubmit={(e) => {
              e.preventDefault();
              if (openPath.trim()) onOpen(openPath.trim());
            }}
          >
            <label htmlFor={openId} className="visually-hidden">
              Folder of probe outputs or a fleet result file
            </label>
            <input id={openId} className="input mono" value={openPath} placeholder="/home/you/probe-out/" spellCheck={false} autoComplete="off" onChange={(e) => setOpenPath(e.target.value)} data-testid="fleet-open-path" />
            <button type="submit" className="button" disabled={!openPath.trim()} data-testid="fleet-open">
              Open
            </button>
          </form>
          <p className="field-help">
            A folder of probe outputs as Ansible's fetch leaves them (<code>envlens probe</code> run by your fleet engine, see docs/fleet-at-scale.md), or a fleet result file
            (<code>envlens fleet --json</code>, <code>envlens import … --compare --json</code>). A path on the machine running envlens.
          </p>
        </section>
      )}
    </div>
  );
}
