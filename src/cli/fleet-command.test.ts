import { describe, expect, it } from 'vitest';
import type { FleetCounts, FleetProgress } from '../node/fleet';
import { fleetProgressPrinter, parseHostsFile } from './fleet-command';

describe('parseHostsFile', () => {
  it('takes one target per line, skipping comments and blank lines', () => {
    expect(parseHostsFile('# fleet\nalice@build-1:22\n\n  build-2   # the second\r\n[::1]:2222\n#build-3\n')).toEqual(['alice@build-1:22', 'build-2', '[::1]:2222']);
  });

  it('refuses a line with two words, naming the line', () => {
    expect(() => parseHostsFile('a\nb ansible_port=22\n', 'hosts.txt')).toThrow(/hosts\.txt:2: one target per line/);
  });
});

describe('fleetProgressPrinter', () => {
  const counts = (done: number, failed: number, running: number): FleetCounts => ({ total: 3, done, failed, running, pending: 3 - done - failed - running });
  const events: FleetProgress[] = [
    { type: 'host-started', target: 'a', counts: counts(0, 0, 1) },
    { type: 'host-event', target: 'a', event: { type: 'log', target: 'a', message: 'x' } },
    { type: 'host-done', target: 'a', ms: 120, counts: counts(1, 0, 0) },
    { type: 'host-failed', target: 'b', ms: 3, error: { kind: 'refused', message: 'connection refused' }, counts: counts(1, 1, 0) },
  ];

  it('writes one line per finished host when stderr is not a terminal', () => {
    let text = '';
    const p = fleetProgressPrinter({ isTTY: false, write: (t) => (text += t) });
    events.forEach(p.onProgress);
    p.finish();
    expect(text).toBe('envlens: a: ✓ captured in 120 ms (1/3)\nenvlens: b: ✗ refused: connection refused (2/3)\n');
  });

  it('redraws a bar in place on a terminal, failures printed above it, and clears it at the end', () => {
    let text = '';
    const p = fleetProgressPrinter({ isTTY: true, write: (t) => (text += t) }, { columns: 80 });
    events.forEach(p.onProgress);
    p.finish();
    expect(text).toMatch(/^envlens: fleet \[░+\] 0\/3 · ✓ 0 · ✗ 0 · 1 running · [\d.]+ s\r\x1b\[2K/);
    expect(text).toContain('\r\x1b[2Kenvlens: b: ✗ refused: connection refused\nenvlens: fleet [');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('is silent with quiet', () => {
    let text = '';
    const p = fleetProgressPrinter({ isTTY: false, write: (t) => (text += t) }, { quiet: true });
    events.forEach(p.onProgress);
    expect(text).toBe('');
  });
});
