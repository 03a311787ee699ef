/**
 * Every host of a fleet run with its state (waiting, running, captured, failed and why),
 * virtualized: only the rows in view are in the DOM, so 1,000 hosts cost what 30 do.
 */
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import type { FleetGroup } from '../../../core/fleet';
import { useVirtualizer } from '@tanstack/react-virtual';
import { KIND_TITLES } from '../../ui/error-box';
import { formatDuration } from '../../ui/format';
import { IconArrowRight, IconSearch } from '../../ui/icons';
import { StatusDot, type ProgressStatus } from '../../ui/status';
import { groupLetter } from './fleet-matrix';
import { countHosts, type FleetHostState, type FleetHostStatus } from './fleet-state';

const ROW_HEIGHT = 38;
/** Tallest the list grows before it scrolls. */
const MAX_HEIGHT = 420;

const STATUS_WORDS: Record<FleetHostStatus, string> = { pending: 'waiting', running: 'running', done: 'captured', failed: 'failed' };
const STATUS_DOTS: Record<FleetHostStatus, ProgressStatus> = { pending: 'pending', running: 'running', done: 'ok', failed: 'error' };

type Show = 'all' | FleetHostStatus;

export interface FleetHostsListProps {
  hosts: FleetHostState[];
  /** Open a captured host's snapshot (after the run), or undefined while running. */
  onOpen?: ((target: string) => void) | undefined;
  /** The comparison's groups of identical hosts (after the run): the list can show one group. */
  groups?: readonly FleetGroup[] | undefined;
}

export function FleetHostsList({ hosts, onOpen, groups }: FleetHostsListProps) {
  const [show, setShow] = useState<Show>('all');
  const [text, setText] = useState('');
  const [group, setGroup] = useState(-1);
  const counts = countHosts(hosts);
  const members = useMemo(() => (group >= 0 && groups?.[group] ? new Set(groups[group].hosts) : undefined), [group, groups]);
  // Typing filters a few thousand rows per keystroke: deferred, so the field never lags.
  const needle = useDeferredValue(text.trim().toLowerCase());
  const rows = useMemo(
    () =>
      hosts.filter(
        (h) => (show === 'all' || h.status === show) && (!members || members.has(h.target)) && (!needle || h.target.toLowerCase().includes(needle) || (h.error?.message.toLowerCase().includes(needle) ?? false)),
      ),
    [hosts, show, needle, members],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.target ?? i,
  });
  const filters: { id: Show; label: string; count: number }[] = [
    { id: 'all', label: 'All', count: counts.total },
    { id: 'failed', label: 'Failed', count: counts.failed },
    { id: 'running', label: 'Running', count: counts.running },
    { id: 'pending', label: 'Waiting', count: counts.pending },
    { id: 'done', label: 'Captured', count: counts.done },
  ];
  return (
    <div className="fleet-hosts">
      <div className="fleet-hosts-toolbar">
        <div className="segmented" role="group" aria-label="Show hosts">
          {filters.map((f) => (
            <button key={f.id} type="button" aria-pressed={show === f.id} onClick={() => setShow(f.id)} data-testid={`fleet-show-${f.id}`}>
              {f.label} <span className="count-badge">{f.count.toLocaleString('en')}</span>
            </button>
          ))}
        </div>
        {groups && groups.length > 1 && (
          <select className="select fleet-group-filter" aria-label="Show one group of identical hosts" value={group} onChange={(e) => setGroup(Number(e.target.value))} data-testid="fleet-group-filter">
            <option value={-1}>Every group</option>
            {groups.map((g, i) => (
              <option key={i} value={i}>
                Group {groupLetter(i)} ({g.hosts.length.toLocaleString('en')} {g.hosts.length === 1 ? 'host' : 'hosts'})
              </option>
            ))}
          </select>
        )}
        <div className="search search-small">
          <IconSearch />
          <input className="input" type="search" aria-label="Filter hosts" placeholder="Filter hosts or errors" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      </div>
      <div
        ref={scrollRef}
        className="fleet-hosts-scroll"
        style={{ height: Math.min(MAX_HEIGHT, Math.max(1, rows.length) * ROW_HEIGHT + 2) }}
        tabIndex={0}
        role="list"
        aria-label="Hosts of the fleet run"
        data-testid="fleet-hosts"
      >
        {rows.length === 0 ? (
          <p className="muted fleet-hosts-empty">No host {show === 'all' || members || needle ? 'matches' : `is ${STATUS_WORDS[show as FleetHostStatus]}`}.</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const h = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  role="listitem"
                  aria-setsize={rows.length}
                  aria-posinset={item.index + 1}
                  className={`fleet-host fleet-host-${h.status}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  data-testid={`fleet-host-${h.target}`}
                  data-status={h.status}
                >
                  <StatusDot status={STATUS_DOTS[h.status]} />
                  <span className="fleet-host-target mono" title={h.target}>
                    {h.target}
                  </span>
                  <span className="fleet-host-status">
                    {STATUS_WORDS[h.status]}
                    {h.attempts > 1 && <span className="muted"> · try {h.attempts}</span>}
                  </span>
                  <span className="fleet-host-detail" title={h.error ? [h.error.message, h.error.hint].filter(Boolean).join('\n') : undefined}>
                    {h.error && (
                      <>
                        <strong>{KIND_TITLES[h.error.kind] ?? h.error.kind}:</strong> {h.error.message}
                      </>
                    )}
                  </span>
                  <span className="fleet-host-time mono">{h.ms !== undefined ? formatDuration(h.ms) : ''}</span>
                  <span className="fleet-host-actions">
                    {onOpen && h.status === 'done' && (
                      <button type="button" className="icon-button" aria-label={`Open the snapshot of ${h.target}`} title="Open in compare" onClick={() => onOpen(h.target)}>
                        <IconArrowRight />
                      </button>
                    )}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
