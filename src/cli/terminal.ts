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
        out.write(`${prefix(event.target)}connecting to ${event.user}@${event.host}:${event.port}${event.via?.length ? ` via ${event.via.join(', ')}` : ''}…\n`);
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
 * Answers are read from stdin; passphrases, passwords and keyboard-interactive answers
 * the server marks as secret are not echoed, and none is ever written anywhere.
 */
export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return {
    async confirmHostKey(q) {
      const name = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
      const question =
        `The authenticity of host '${name}' can't be established.\n${q.keyType} key fingerprint is ${q.fingerprint}.\n` +
        `Record it in ${q.knownHostsFile} and continue connecting (yes/no)? `;
      const answer = ((await readLine(question, false)) ?? '').trim().toLowerCase();
      return answer === 'yes' || answer === 'y';
    },
    async askPassphrase(q) {
      // ssh's wording, so people recognise the question (and its retry).
      const answer = await readLine((q.attempt ?? 1) > 1 ? `Bad passphrase, try again for ${q.keyFile}: ` : `Enter passphrase for key '${q.keyFile}': `, true);
      process.stderr.write('\n');
      return answer === '' ? undefined : answer;
    },
    async askSecret(q) {
      const preamble = [q.attempt > 1 && q.kind === 'password' ? 'Permission denied, please try again.' : '', q.name ?? '', q.instructions ?? ''].filter(Boolean);
      const answer = await readLine(`${preamble.map((l) => `${l}\n`).join('')}${q.prompt}`, !q.echo);
      if (!q.echo) process.stderr.write('\n');
      return answer;
    },
  };
}

/**
 * Ask `question` on the terminal and read one line; undefined at end of input. With
 * `secret`, typed characters are not echoed. The question is written only once the
 * terminal is in raw mode, so an answer typed as soon as it shows is never echoed by
 * the terminal itself. Ctrl-C ends envlens as it would anywhere else (readline in raw
 * mode would otherwise swallow it).
 */
function readLine(question: string, secret: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(question);
    if (secret) {
      // Hide typed characters: readline echoes through _writeToOutput.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    rl.once('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      process.kill(process.pid, 'SIGINT');
    });
    // Resolve before closing: close() emits 'close' synchronously.
    rl.once('line', (line) => {
      resolve(line);
      rl.close();
    });
    rl.once('close', () => resolve(undefined));
  });
}
