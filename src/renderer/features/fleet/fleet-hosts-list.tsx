/**
 * Every host of a fleet run with its state (waiting, running, captured, failed and why),
 * virtualized: only the rows in view are in the DOM, so 1,000 hosts cost what 30 do.
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { KIND_TITLES } from '../../ui/error-box';
import { formatDuration } from '../../ui/format';
import { IconArrowRight, IconSearch } from '../../ui/icons';
import { StatusDot, type ProgressStatus } from '../../ui/status';
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
}

export function FleetHostsList({ hosts, onOpen }: FleetHostsListProps) {
  const [show, setShow] = useState<Show>('all');
  const [text, setText] = useState('');
  const counts = countHosts(hosts);
  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return hosts.filter((h) => (show === 'all' || h.status === show) && (!needle || h.target.toLowerCase().includes(needle) || (h.error?.message.toLowerCase().includes(needle) ?? false)));
  }, [hosts, show, text]);
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
          <p className="muted fleet-hosts-empty">No host {show === 'all' ? 'matches' : `is ${STATUS_WORDS[show as FleetHostStatus]}`}.</p>
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
