/**
 * Fault: hostile or torn probe output files (`envlens import`, issue #9). Whatever bytes an
 * Ansible fetch or another fleet engine hands over, importing either gives a snapshot or
 * throws MalformedProbeOutput (reported per host): never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importProbeOutput, MalformedProbeOutput } from './probe-import';

const M = 'abcdef0123456789abcdef0123456789';
const opts = { hostName: 'h', id: 'id-1', capturedAt: '2026-11-25T16:00:00.000Z', version: '0.0.0' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Lines that look like probe framing, mixed with junk: what a truncated or spliced file holds. */
const probeishLine = fc.oneof(
  fc.constantFrom(`ENVLENS-PROBE 1 ${M} login 10 0`, `${M} BEGIN 1`, `${M} DONE`, `${M} ENDCTX login`, `${M} END env`, `${M} CTX login timeout 5 R`),
  fc.tuple(fc.constantFrom('CTX', 'DATA', 'HOST', 'STATUS', 'RUN', 'PROC', 'END', 'ENDCTX'), fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 })).map(([verb, words]) => `${M} ${verb} ${words.join(' ')}`),
  fc.base64String({ maxLength: 80 }),
  fc.string({ maxLength: 60 }),
);

function importsOrRefuses(bytes: Uint8Array): void {
  try {
    const snap = importProbeOutput(bytes, opts);
    expect(snap.schema).toBe('envlens.snapshot/v1');
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedProbeOutput);
  }
}

describe('fault: importProbeOutput on hostile bytes', () => {
  it('fault: arbitrary bytes give a snapshot or MalformedProbeOutput, never another error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => importsOrRefuses(bytes)), { numRuns: 300 });
  });

  it('fault: spliced and truncated probe-like lines give a snapshot or MalformedProbeOutput', () => {
    fc.assert(
      fc.property(fc.array(probeishLine, { maxLength: 40 }), fc.nat(), (lines, cut) => {
        const text = lines.join('\n');
        importsOrRefuses(enc(text.slice(0, text.length ? cut % (text.length + 1) : 0)));
      }),
      { numRuns: 300 },
    );
  });
});
