/**
 * The host picker's Ansible inventory section: name an inventory file on the machine
 * running envlens, see its groups (children nested) with their host counts, tick groups
 * and narrow them with a `--limit`-like pattern; the chosen hosts join the fleet's
 * targets. Problems in the file are listed as `FILE:LINE: message`.
 */
import { useId, useMemo, useState } from 'react';
import type { InventoryView } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { useApi } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';
import { plural } from '../../ui/format';
import { groupTree, selectInventoryHosts, type GroupNode, type InventorySelection } from './inventory-select';

export interface InventoryPickerProps {
  /** Called with the current selection whenever it changes (empty when nothing is chosen). */
  onChange: (selection: InventorySelection) => void;
}

const EMPTY: InventorySelection = { hosts: [], targets: [], identities: [], unknown: [] };

export function InventoryPicker({ onChange }: InventoryPickerProps) {
  const api = useApi();
  const [path, setPath] = useState('');
  const [view, setView] = useState<InventoryView | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [reading, setReading] = useState(false);
  const [groups, setGroups] = useState<ReadonlySet<string>>(new Set());
  const [limit, setLimit] = useState('');
  const pathId = useId();
  const limitId = useId();
  const tree = useMemo(() => (view ? groupTree(view.inventory) : []), [view]);
  const selection = useMemo(() => (view ? selectInventoryHosts(view, groups, limit) : EMPTY), [view, groups, limit]);

  const update = (nextGroups: ReadonlySet<string>, nextLimit: string, nextView = view) => {
    setGroups(nextGroups);
    setLimit(nextLimit);
    onChange(nextView ? selectInventoryHosts(nextView, nextGroups, nextLimit) : EMPTY);
  };
  const read = () => {
    if (!path.trim()) return;
    setReading(true);
    api.readInventory(path.trim()).then(
      (v) => {
        setReading(false);
        setError(undefined);
        setView(v);
        update(new Set(), '', v);
      },
      (e: unknown) => {
        setReading(false);
        setError(asErrorInfo(e));
        setView(undefined);
        update(new Set(), '', undefined);
      },
    );
  };
  const toggle = (name: string, on: boolean) => {
    const next = new Set(groups);
    if (on) next.add(name);
    else next.delete(name);
    update(next, limit);
  };

  return (
    <div className="inventory-picker" data-testid="inventory-picker">
      <label htmlFor={pathId} className="field-label">
        Ansible inventory (INI or YAML, a path on the machine running envlens)
      </label>
      <form
        className="inventory-path"
        onSubmit={(e) => {
          e.preventDefault();
          read();
        }}
      >
        <input id={pathId} className="input mono" value={path} placeholder="/home/you/inventory.ini" spellCheck={false} autoComplete="off" onChange={(e) => setPath(e.target.value)} data-testid="inventory-path" />
        <button type="submit" className="button" disabled={!path.trim() || reading} data-testid="inventory-read">
          {reading ? 'Reading…' : view ? 'Read again' : 'Read'}
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert" data-testid="inventory-error">
          {error.message}
          {error.hint ? ` ${error.hint}` : ''}
        </p>
      )}
      {view && view.problems.length > 0 && (
        <ul className="field-error inventory-problems" role="alert" data-testid="inventory-problems">
          {view.problems.slice(0, 8).map((p) => (
            <li key={p} className="mono">
              {p}
            </li>
          ))}
          {view.problems.length > 8 && <li>… and {view.problems.length - 8} more</li>}
        </ul>
      )}
      {view && (
        <>
          <p className="field-help" data-testid="inventory-summary">
            {plural(view.inventory.hosts.length, 'host')} in {plural(tree.length, 'top-level group')}. Tick groups, or give a limit.
          </p>
          {tree.length > 0 ? (
            <ul className="inventory-groups" role="group" aria-label="Inventory groups">
              {tree.map((g) => (
                <GroupItem key={g.name} node={g} chosen={groups} onToggle={toggle} />
              ))}
            </ul>
          ) : (
            <p className="muted">No groups: every host is in “all”; use a limit such as <code>all</code>.</p>
          )}
          <label htmlFor={limitId} className="field-label">
            Limit (as <code>--limit</code>: <code>web*</code>, <code>web:!web2</code>, <code>&amp;prod</code>)
          </label>
          <input id={limitId} className="input mono" value={limit} placeholder="all" spellCheck={false} autoComplete="off" onChange={(e) => update(groups, e.target.value)} data-testid="inventory-limit" />
          <p className="field-help" data-testid="inventory-selected">
            {selection.hosts.length ? `${plural(selection.hosts.length, 'inventory host')} chosen: ${selection.hosts.slice(0, 6).join(', ')}${selection.hosts.length > 6 ? ` and ${selection.hosts.length - 6} more` : ''}` : 'No inventory host chosen.'}
            {selection.unknown.length > 0 && ` The limit names no host or group: ${selection.unknown.join(', ')}.`}
          </p>
        </>
      )}
    </div>
  );
}

function GroupItem({ node, chosen, onToggle }: { node: GroupNode; chosen: ReadonlySet<string>; onToggle: (name: string, on: boolean) => void }) {
  return (
    <li>
      <label className="fleet-pick">
        <input type="checkbox" checked={chosen.has(node.name)} onChange={(e) => onToggle(node.name, e.target.checked)} data-testid={`inventory-group-${node.name}`} />
        <span className="fleet-pick-name mono">{node.name}</span>
        <span className="fleet-pick-desc">{plural(node.hostCount, 'host')}</span>
      </label>
      {node.children.length > 0 && (
        <ul className="inventory-children">
          {node.children.map((c) => (
            <GroupItem key={c.name} node={c} chosen={chosen} onToggle={onToggle} />
          ))}
        </ul>
      )}
    </li>
  );
}
