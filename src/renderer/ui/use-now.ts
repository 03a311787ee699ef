import { useEffect, useState } from 'react';

/**
 * The current time in ms, refreshed every `intervalMs` while `active` is true.
 *
 * For elapsed-time displays: the clock is an outside system, so an interval effect is
 * the right tool; the displayed value itself is derived during render.
 */
export function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
