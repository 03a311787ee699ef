/**
 * Talking to the person at the terminal: progress on stderr, questions on /dev/tty.
 *
 * stdout is reserved for results (and for JSON alone with `--json`), so everything here
 * writes to stderr. Questions are asked only when stdin and stderr are terminals; when
 * nobody can be asked, the prompter says so and the caller refuses (CONTRACT.md: unknown
 * host key without a terminal → refused).
 */

import { createInterface } from 'node:readline';
import type { CaptureEvent } from '../node/capture';
import type { Prompter } from '../node/ssh-connect';

/** Where progress goes; swapped in tests. */
export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

/** Whether ANSI colour should be used on `stream` (honours NO_COLOR and FORCE_COLOR). */
export function useColor(stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const STATUS_MARK: Record<string, string> = { ok: '✓', timeout: '⏱', error: '✗', unavailable: '–' };

/**
 * Progress reporter for captures: one line per event on stderr.
 *
 * Kept line-based (no cursor tricks) so logs from CI and scripts stay readable; with
 * `quiet` only failures are shown.
 */
export function progressPrinter(out: Output, options: { quiet?: boolean; verbose?: boolean } = {}): (event: CaptureEvent) => void {
  const prefix = (target: string): string => `envlens: ${target}: `;
  return (event) => {
    if (options.quiet) return;
    switch (event.type) {
      case 'connecting':
        out.write(`${prefix(event.target)}connecting to ${event.user}@${event.host}:${event.port}…\n`);
        break;
      case 'connected':
        out.write(`${prefix(event.target)}connected in ${event.ms} ms, capturing…\n`);
        break;
      case 'probe-started':
        if (event.target === 'local') out.write(`${prefix(event.target)}capturing ${event.contexts.length} contexts…\n`);
        break;
      case 'context': {
        const r = event.result;
        const time = r.durationMs !== undefined ? ` in ${r.durationMs} ms` : '';
        const why = r.status === 'ok' ? '' : ` (${r.reason ?? r.status})`;
        out.write(`${prefix(event.target)}${STATUS_MARK[r.status] ?? '?'} ${event.context} ${r.status}${time}${why}\n`);
        break;
      }
      case 'log':
        if (options.verbose) out.write(`${prefix(event.target)}${event.message}\n`);
        break;
    }
  };
}

/**
 * A prompter that asks on the terminal, or undefined when there is no terminal.
 *
 * Answers are read from stdin; the passphrase is not echoed.
 */
export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return {
    async confirmHostKey(q) {
      const name = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
      process.stderr.write(
        `The authenticity of host '${name}' can't be established.\n${q.keyType} key fingerprint is ${q.fingerprint}.\n` +
          `Record it in ${q.knownHostsFile} and continue connecting (yes/no)? `,
      );
      const answer = (await readLine(false)).trim().toLowerCase();
      return answer === 'yes' || answer === 'y';
    },
    async askPassphrase(q) {
      process.stderr.write(`Enter passphrase for key '${q.keyFile}': `);
      const answer = await readLine(true);
      process.stderr.write('\n');
      return answer === '' ? undefined : answer;
    },
  };
}

function readLine(secret: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: true });
    if (secret) {
      // Hide typed characters: readline echoes through _writeToOutput.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    rl.once('close', () => resolve(''));
  });
}
