/**
 * The renderer's client of the application service, whichever door the page came through.
 *
 * In the desktop app the preload script provides `window.envlens` (IPC); in browser
 * mode (`envlens serve`) the page calls the same contract over HTTP on the server it was
 * loaded from and receives events over Server-Sent Events. Both clients are generated
 * from API_METHODS, so a method added to the contract is available here at once. Calls
 * resolve with the method's result or reject with an {@link EnvlensError} rebuilt from
 * the {@link ApiResult} envelope, so the UI handles errors one way in both doors.
 */

import { API_METHODS, HTTP_CALL_PREFIX, HTTP_EVENTS_PATH, type ApiEvent, type ApiMethod, type ApiResult, type EnvlensApi, type EnvlensBridge } from '../shared/api';
import { EnvlensError } from '../shared/errors';

/** The contract plus the event subscription every door provides. */
export type EnvlensClient = EnvlensApi & {
  /** Receive every {@link ApiEvent}; returns the function that unsubscribes. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
};

type Call = (method: ApiMethod, args: unknown[]) => Promise<ApiResult<unknown>>;

/** Drop trailing `undefined` arguments: JSON would turn them into `null`, which the service refuses. */
function trimArgs(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

function unwrap<T>(result: ApiResult<T>): T {
  if (result.ok) return result.result;
  throw EnvlensError.fromInfo(result.error);
}

/** One function per contract method, each forwarding to `call`. */
function methodsOver(call: Call): EnvlensApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of API_METHODS) {
    api[method] = async (...args: unknown[]) => unwrap(await call(method, trimArgs(args)));
  }
  return api as unknown as EnvlensApi;
}

/** The client over the preload bridge (the desktop app). */
export function createBridgeClient(bridge: EnvlensBridge): EnvlensClient {
  const invoke = bridge.invoke as (method: ApiMethod, ...args: unknown[]) => Promise<ApiResult<unknown>>;
  return { ...methodsOver((method, args) => invoke(method, ...args)), onEvent: (listener) => bridge.onEvent(listener) };
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Origin of the envlens server. Default: the page's own (relative URLs). */
  baseUrl?: string;
  /** fetch implementation. Default the global one. */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. `Authorization: Bearer …` outside a browser). */
  headers?: Record<string, string>;
  /** EventSource implementation. Default the global one; without one, onEvent delivers nothing. */
  EventSource?: typeof EventSource;
}

/**
 * The client over HTTP (browser mode, `envlens serve`).
 *
 * Authentication is the session cookie the server set when the page was opened with
 * its `?token=` URL; the browser sends it with every same-origin request. One
 * EventSource is shared by all event listeners, opened with the first and closed with
 * the last; it reconnects by itself if the connection drops.
 */
export function createHttpClient(options: HttpClientOptions = {}): EnvlensClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const call: Call = async (method, args) => {
    let response: Response;
    try {
      response = await doFetch(`${base}${HTTP_CALL_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...options.headers },
        body: JSON.stringify({ args }),
        credentials: 'same-origin',
      });
    } catch (error) {
      throw new EnvlensError('io', `cannot reach the envlens server: ${(error as Error).message}`, 'Is `envlens serve` still running? Start it again and open the URL it prints.');
    }
    if (response.status === 401) {
      throw new EnvlensError('refused', 'the envlens server did not accept this page’s session', 'Open the URL that `envlens serve` printed (it carries the access token).');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new EnvlensError('protocol', `the envlens server answered ${method} with HTTP ${response.status} and no result`);
    }
    if (typeof body !== 'object' || body === null || typeof (body as { ok?: unknown }).ok !== 'boolean') {
      throw new EnvlensError('protocol', `the envlens server answered ${method} with something that is not a result`);
    }
    return body as ApiResult<unknown>;
  };

  const listeners = new Set<(event: ApiEvent) => void>();
  let source: EventSource | undefined;
  const EventSourceImpl = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  const onEvent = (listener: (event: ApiEvent) => void): (() => void) => {
    listeners.add(listener);
    if (!source && EventSourceImpl) {
      source = new EventSourceImpl(`${base}${HTTP_EVENTS_PATH}`, { withCredentials: false });
      source.onmessage = (message: { data: unknown }) => {
        let event: ApiEvent;
        try {
          event = JSON.parse(String(message.data)) as ApiEvent;
        } catch {
          return;
        }
        for (const l of [...listeners]) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = undefined;
      }
    };
  };
  return { ...methodsOver(call), onEvent };
}

let shared: EnvlensClient | undefined;

/**
 * The client for this page: the preload bridge when the page runs in the desktop app,
 * else the HTTP client of browser mode. Created once per page.
 */
export function getApi(): EnvlensClient {
  if (!shared) {
    const bridge = (globalThis as { envlens?: EnvlensBridge }).envlens;
    shared = bridge ? createBridgeClient(bridge) : createHttpClient();
  }
  return shared;
}
