/**
 * The state of a fleet run as the UI shows it, folded from the person's actions and the
 * service's `fleet-progress` / `fleet-done` events.
 *
 * One entry per host, in the order given, each pending → running → done or failed
 * (with why). Counts are derived from the hosts, not taken from the events, so a retry
 * (a new run over the failed hosts only) keeps the whole picture. A pure reducer, like
 * capture-state.ts.
 */
import type { ApiEvent, FleetOverview, FleetRequest } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';

export type FleetHostStatus = 'pending' | 'running' | 'done' | 'failed';

export interface FleetHostState {
  target: string;
  status: FleetHostStatus;
  /** Time the host took (connect + capture), ms. */
  ms?: number;
  error?: ErrorInfo;
  /** Runs that tried this host (1, then 2 after a retry…). */
  attempts: number;
}

export type FleetPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'loading' | 'done' | 'failed';

export interface FleetState {
  phase: FleetPhase;
  request?: FleetRequest;
  /** The run whose events are followed (a retry is a new run). */
  fleetId?: string;
  hosts: FleetHostState[];
  /** Position of each target in `hosts`. */
  index: ReadonlyMap<string, number>;
  startedAt?: number;
  finishedAt?: number;
  /** The finished run with its comparison, without snapshots (after `fleet-done`, from getFleetOverview). */
  result?: FleetOverview;
  /** The file or folder the results were opened from (no run: nothing to cancel or retry). */
  openedFrom?: string;
  /** Why the run could not start, failed as a whole, or its result could not be read. */
  error?: ErrorInfo;
}

export type FleetAction =
  | { type: 'start'; request: FleetRequest; at: number }
  | { type: 'started'; fleetId: string }
  | { type: 'start-failed'; error: ErrorInfo; at: number }
  | { type: 'cancel' }
  | { type: 'retry'; at: number }
  | { type: 'event'; event: ApiEvent; at: number }
  | { type: 'loaded'; fleetId: string; result: FleetOverview }
  /** Open results from a file or folder (probe outputs or a fleet file) instead of running. */
  | { type: 'open'; path: string; at: number }
  | { type: 'opened'; fleetId: string }
  | { type: 'load-failed'; fleetId: string; error: ErrorInfo }
  /** Back to the setup (ignored while a run is under way). */
  | { type: 'reset' };

export const INITIAL_FLEET: FleetState = { phase: 'idle', hosts: [], index: new Map() };

/** Whether a run is under way (a new one cannot start). */
export function isFleetRunning(state: FleetState): boolean {
  return state.phase === 'starting' || state.phase === 'running' || state.phase === 'cancelling' || state.phase === 'loading';
}

/**
 * The targets a request captures, as the service does: trimmed, each once, in order,
 * plus the baseline when it is not among them.
 */
export function requestTargets(request: FleetRequest): string[] {
  const targets = [...new Set(request.targets.map((t) => t.trim()).filter((t) => t !== ''))];
  const baseline = request.baseline?.trim();
  if (baseline && !targets.includes(baseline)) targets.push(baseline);
  return targets;
}

/** How many hosts are in each state. */
export function countHosts(hosts: readonly FleetHostState[]): { total: number; pending: number; running: number; done: number; failed: number } {
  const counts = { total: hosts.length, pending: 0, running: 0, done: 0, failed: 0 };
  for (const h of hosts) counts[h.status]++;
  return counts;
}

function withHost(state: FleetState, target: string, update: (h: FleetHostState) => FleetHostState): FleetState {
  const at = state.index.get(target);
  if (at === undefined) {
    // A host the service added (it should not happen: we mirror its target list).
    const index = new Map(state.index);
    index.set(target, state.hosts.length);
    return { ...state, index, hosts: [...state.hosts, update({ target, status: 'pending', attempts: 1 })] };
  }
  const hosts = state.hosts.slice();
  hosts[at] = update(hosts[at]!);
  return { ...state, hosts };
}

/** Whether `event` (of run `fleetId`, about `target`) belongs to the run in `state`, adopting its id while we wait for it. */
function owns(state: FleetState, fleetId: string, target: string | undefined): boolean {
  if (state.fleetId) return state.fleetId === fleetId;
  return state.phase === 'starting' && target !== undefined && state.index.has(target);
}

export function fleetReducer(state: FleetState, action: FleetAction): FleetState {
  switch (action.type) {
    case 'start': {
      const targets = requestTargets(action.request);
      return {
        phase: 'starting',
        request: action.request,
        hosts: targets.map((target) => ({ target, status: 'pending', attempts: 1 })),
        index: new Map(targets.map((t, i) => [t, i])),
        startedAt: action.at,
      };
    }
    case 'started':
      return state.phase === 'starting' && !state.fleetId ? { ...state, fleetId: action.fleetId, phase: 'running' } : state;
    case 'start-failed':
      return { ...state, phase: 'failed', error: action.error, finishedAt: action.at };
    case 'cancel':
      return state.phase === 'starting' || state.phase === 'running' ? { ...state, phase: 'cancelling' } : state;
    case 'retry': {
      if (state.phase !== 'done' || !state.fleetId || state.openedFrom !== undefined) return state;
      const hosts = state.hosts.map((h): FleetHostState => (h.status === 'failed' ? { target: h.target, status: 'pending', attempts: h.attempts + 1 } : h));
      const next: FleetState = { ...state, phase: 'starting', hosts, startedAt: action.at };
      delete next.fleetId;
      delete next.finishedAt;
      delete next.error;
      return next;
    }
    case 'event':
      return applyEvent(state, action.event, action.at);
    case 'loaded': {
      if (action.fleetId !== state.fleetId || state.phase !== 'loading') return state;
      // The result is the authority on every host's outcome; one pass, one copy (10,000 hosts).
      const hosts = state.hosts.slice();
      const index = new Map(state.index);
      for (const h of action.result.hosts) {
        const at = index.get(h.target);
        const old = at === undefined ? undefined : hosts[at];
        const entry: FleetHostState = { target: h.target, status: h.status === 'ok' ? 'done' : 'failed', attempts: h.attempts ?? old?.attempts ?? 1 };
        const ms = h.durationMs ?? old?.ms;
        if (ms !== undefined) entry.ms = ms;
        if (h.status === 'failed') entry.error = h.error ?? { kind: 'internal', message: 'the host failed without saying why' };
        if (at === undefined) {
          index.set(h.target, hosts.length);
          hosts.push(entry);
        } else hosts[at] = entry;
      }
      return { ...state, phase: 'done', result: action.result, hosts, index };
    }
    case 'open':
      return isFleetRunning(state) ? state : { phase: 'loading', hosts: [], index: new Map(), openedFrom: action.path, startedAt: action.at, finishedAt: action.at };
    case 'opened':
      return state.phase === 'loading' && state.openedFrom !== undefined && !state.fleetId ? { ...state, fleetId: action.fleetId } : state;
    case 'load-failed':
      return action.fleetId === state.fleetId && state.phase === 'loading' ? { ...state, phase: 'failed', error: action.error } : state;
    case 'reset':
      // Keep the request: the setup form starts from it.
      return state.request && !isFleetRunning(state) ? { ...INITIAL_FLEET, request: state.request } : isFleetRunning(state) ? state : INITIAL_FLEET;
  }
}

function applyEvent(state: FleetState, event: ApiEvent, at: number): FleetState {
  if (event.type === 'fleet-progress') {
    if (!isFleetRunning(state) || state.phase === 'loading' || !owns(state, event.fleetId, event.target)) return state;
    let next: FleetState = state.fleetId ? state : { ...state, fleetId: event.fleetId };
    if (next.phase === 'starting') next = { ...next, phase: 'running' };
    return withHost(next, event.target, (h): FleetHostState => {
      if (event.phase === 'started') return { target: h.target, status: 'running', attempts: h.attempts };
      const entry: FleetHostState = { target: h.target, status: event.phase === 'done' ? 'done' : 'failed', attempts: h.attempts };
      if (event.ms !== undefined) entry.ms = event.ms;
      if (event.phase === 'failed') entry.error = event.error ?? { kind: 'internal', message: 'the host failed without saying why' };
      return entry;
    });
  }
  if (event.type === 'fleet-done') {
    if (!isFleetRunning(state) || state.fleetId !== event.fleetId) return state;
    if (event.error) return { ...state, phase: 'failed', error: event.error, finishedAt: at };
    return { ...state, phase: 'loading', finishedAt: at };
  }
  return state;
}
