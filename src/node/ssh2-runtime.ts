/**
 * ssh2, loaded on first use.
 *
 * ssh2 (with its crypto, zlib, http and SFTP modules) takes ~50 ms to load, a third of
 * the CLI's start-up. Commands that never connect (`--version`, `help`, `diff` of two
 * files, `serve` until a capture starts) should not pay for it, and a capture loads it
 * only after its TCP connection is on its way, so loading overlaps the TCP handshake
 * and the server's greeting instead of preceding them. Everything in src/node takes
 * ssh2 from here; static imports of 'ssh2' elsewhere must be `import type`.
 */

import type * as Ssh2Types from 'ssh2';

/** The ssh2 module's runtime exports. */
export type Ssh2Module = typeof Ssh2Types;

let loading: Promise<Ssh2Module> | undefined;

/** The ssh2 module (CommonJS: its exports are the default export under Node's ESM loader). */
export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= import('ssh2').then((m) => ((m as { default?: Ssh2Module }).default ?? (m as unknown as Ssh2Module)));
  return loading;
}
