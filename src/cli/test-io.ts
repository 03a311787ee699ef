/**
 * A captured stdout/stderr pair for running CLI commands in tests.
 */
import type { Output } from './terminal';

/** Output streams that keep what is written (not TTYs), and readers for them. */
export function captureIo(): { io: { stdout: Output; stderr: Output }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => void (out += t), isTTY: false }, stderr: { write: (t: string) => void (err += t), isTTY: false } },
    out: () => out,
    err: () => err,
  };
}
