/**
 * The contract over Electron IPC: one `ipcMain.handle` per method of API_METHODS.
 *
 * Generated from the method list, never written per method. Every call is checked
 * before it reaches the service: the calling frame must be the app's own page (see
 * trusted-sender.ts) and the arguments must fit the method's signature (see
 * src/shared/api-args.ts). Results and errors both come back as an {@link ApiResult}
 * envelope, because Electron keeps only the message of an error thrown by a handler.
 *
 * The Electron objects are described structurally, so tests drive these handlers
 * with a fake ipcMain under plain Node.
 */

import { API_METHODS, ipcChannel, type ApiMethod, type ApiResult, type EnvlensApi } from '../shared/api';
import { checkApiArgs } from '../shared/api-args';
import { toErrorInfo } from '../shared/errors';

/** The part of an `IpcMainInvokeEvent` the handlers look at. */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

/** The part of Electron's `ipcMain` used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Handle one call: check the sender and the arguments, run the method, wrap the outcome.
 *
 * Exported for the HTTP-free unit tests; {@link registerIpcHandlers} uses it for every
 * channel.
 */
export async function handleIpcCall(service: EnvlensApi, isTrusted: (url: string | undefined) => boolean, method: ApiMethod, event: InvokeEventLike, args: unknown[]): Promise<ApiResult<unknown>> {
  const url = event.senderFrame?.url;
  if (!isTrusted(url)) {
    return { ok: false, error: { kind: 'refused', message: `IPC call ${method} refused: it did not come from the envlens page (${url ?? 'no frame'})` } };
  }
  const problem = checkApiArgs(method, args);
  if (problem) return { ok: false, error: { kind: 'usage', message: problem } };
  try {
    const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(service, args);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/**
 * Register a handler on `ipcChannel(m)` for every method `m`; returns a function that
 * removes them all.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, service: EnvlensApi, isTrusted: (url: string | undefined) => boolean): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, ...args) => handleIpcCall(service, isTrusted, method, event, args));
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(ipcChannel(method));
  };
}
