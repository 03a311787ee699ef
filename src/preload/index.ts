/**
 * The preload script: exposes the contract as `window.envlens` and nothing else.
 *
 * No logic and no raw ipcRenderer (the electron-vite starter's `electronAPI` is not
 * kept): `invoke` forwards a call by method name to its channel, refusing names that
 * are not in API_METHODS, and `onEvent` relays the events channel to a listener
 * without handing over the IpcRendererEvent (which carries `sender`). The main process
 * checks the sender and the arguments again; this is only the first gate.
 *
 * Built as CommonJS (out/preload/index.cjs): sandboxed preloads cannot be ES modules.
 */

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, isApiMethod, type ApiEvent, type ApiResult, type EnvlensBridge } from '../shared/api';

const bridge: EnvlensBridge = {
  invoke(method, ...args) {
    if (typeof method !== 'string' || !isApiMethod(method)) {
      return Promise.resolve({ ok: false, error: { kind: 'usage', message: `"${String(method)}" is not an envlens API method` } } as ApiResult<never>);
    }
    return ipcRenderer.invoke(ipcChannel(method), ...args);
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const relay = (_event: IpcRendererEvent, payload: ApiEvent): void => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('envlens', bridge);
