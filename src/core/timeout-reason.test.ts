/**
 * Honest timeout reasons (issue #9): the probe samples a timed-out context's CPU time and
 * process states, the parser reads them, and the reason says "slow" or "waiting".
 */
import { describe, expect, it } from 'vitest';
import { ProbeOutputParser, type ProbeContextFrame } from './probe-output';
import { timeoutReason } from './snapshot-build';

const M = '0123456789abcdef0123456789abcdef';

function timeoutFrame(line: string): ProbeContextFrame {
  const parser = new ProbeOutputParser(M);
  const frames = [...parser.push(new TextEncoder().encode(`${M} BEGIN 1\n${M} ${line}\n${M} ENDCTX login\n`)), ...parser.end()];
  const frame = frames.find((f) => f.type === 'context');
  if (!frame || frame.type !== 'context') throw new Error('no context frame');
  return frame;
}

describe('CTX … timeout with the CPU sample', () => {
  it('reads the CPU ticks and the process states', () => {
    expect(timeoutFrame('CTX login timeout 142 RS')).toMatchObject({ outcome: 'timeout', cpuTicks: 142, states: 'RS' });
  });

  it('reads an old probe’s bare timeout line as no sample', () => {
    const frame = timeoutFrame('CTX login timeout');
    expect([frame.outcome, frame.cpuTicks, frame.states]).toEqual(['timeout', undefined, undefined]);
  });

  it('ignores a states word that is not letters (no live process: "-")', () => {
    const frame = timeoutFrame('CTX login timeout 0 -');
    expect([frame.cpuTicks, frame.states]).toEqual([0, undefined]);
  });
});

describe('timeoutReason', () => {
  it('calls a shell that used CPU slow, not stuck, and suggests a longer --timeout', () => {
    expect(timeoutReason(10, undefined, { cpuTicks: 850, states: 'R' }, 100, false)).toBe(
      'did not finish within 10 s: it was still running and using CPU (8.5 s of CPU in 10 s), so its startup files are slow rather than stuck. Give it longer, e.g. --timeout 30',
    );
  });

  it('counts a running (R) process as busy even with little CPU so far', () => {
    expect(timeoutReason(2, undefined, { cpuTicks: 10, states: 'SR' }, 100, false)).toMatch(/still running and using CPU \(0\.1 s of CPU in 2 s\)/);
  });

  it('calls a sleeping shell that used no CPU waiting, and points at --trace', () => {
    expect(timeoutReason(10, undefined, { cpuTicks: 1, states: 'SS' }, 100, false)).toBe(
      'did not finish within 10 s: it was waiting, not using CPU (0.0 s of CPU in 10 s): a startup file is blocked on input, the network, a lock or a sleep; capture with --trace to see which startup file and line. If it is only slow, raise --timeout',
    );
  });

  it('names the traced place when there is one', () => {
    expect(timeoutReason(10, '/home/a/.bash_profile:3 (sleep 600)', { cpuTicks: 0, states: 'SS' }, 100, true)).toBe(
      'did not finish within 10 s: it was waiting, not using CPU (0.0 s of CPU in 10 s): a startup file is blocked on input, the network, a lock or a sleep; it was last running /home/a/.bash_profile:3 (sleep 600). If it is only slow, raise --timeout',
    );
  });

  it('uses the host’s clock tick rate and scales the suggested --timeout', () => {
    expect(timeoutReason(20, undefined, { cpuTicks: 1000, states: 'R' }, 250, false)).toContain('(4.0 s of CPU in 20 s)');
    expect(timeoutReason(20, undefined, { cpuTicks: 1000, states: 'R' }, 250, false)).toContain('--timeout 60');
  });

  it('stays neutral without a sample (an older probe, or an imported output)', () => {
    expect(timeoutReason(10, undefined, {}, 100, false)).toBe(
      'did not finish within 10 s; a startup file may hang or be slow (capture with --trace to see where); if it is only slow, raise --timeout',
    );
  });
});
