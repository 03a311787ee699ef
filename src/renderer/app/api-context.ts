/**
 * The API the renderer talks to, handed down through React context.
 *
 * main.tsx creates it once with `getApi()` (Electron bridge or browser-mode HTTP
 * client); hooks read it with {@link useApi}. A context rather than a module singleton
 * keeps every hook testable with a fake implementation of the contract.
 */
import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import type { ApiEvent, EnvlensApi } from '../../shared/api';

/** The contract plus the event subscription every door provides. */
export type RendererApi = EnvlensApi & { onEvent(listener: (event: ApiEvent) => void): () => void };

export const ApiContext = createContext<RendererApi | null>(null);

/** The API of the nearest {@link ApiContext} provider. */
export function useApi(): RendererApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an <ApiContext value={…}> above it');
  return api;
}

/**
 * Calls `listener` for every event the service pushes, for as long as the component is
 * mounted. The listener always sees the latest props and state (useEffectEvent), so
 * the subscription is made once.
 */
export function useApiEvents(listener: (event: ApiEvent) => void): void {
  const api = useApi();
  const onEvent = useEffectEvent(listener);
  useEffect(() => api.onEvent((event) => onEvent(event)), [api]);
}
