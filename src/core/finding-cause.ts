/**
 * The likely cause of a variable reaching some contexts and not others.
 *
 * Each context reads a different chain of startup files (DOMAIN.md, "Which files each
 * context reads"), so where a variable is present, where it is missing and which file
 * set it usually tell why: an export below the interactive guard of ~/.bashrc reaches
 * only interactive shells; ~/.zshrc only zsh; ~/.profile only login shells; a VS Code
 * server keeps the environment it started with; systemd user services read no shell
 * files at all.
 */

import type { ContextId, SourceRef } from '../shared/model';

/** Contexts that run an interactive shell (and so read below the ~/.bashrc guard). */
export const INTERACTIVE_CONTEXTS: ReadonlySet<ContextId> = new Set<ContextId>(['login-interactive', 'bash-interactive', 'zsh', 'vscode-resolved']);

/** Contexts whose environment was fixed when a long-running process started. */
export const PROCESS_CONTEXTS: ReadonlySet<ContextId> = new Set<ContextId>(['vscode-server', 'vscode-exthost']);

/** What the cause inference looks at. */
export interface CauseInput {
  variable: string;
  present: readonly ContextId[];
  missing: readonly ContextId[];
  /** Last source of the variable per context where it is present, when traced. */
  sources: Partial<Record<ContextId, SourceRef>>;
  /** The account's home directory, if known. */
  home?: string;
  /** The account's login shell (`/bin/bash`…), if known. */
  shell?: string;
  /**
   * The question is about extra entries of a search path (present everywhere, but with
   * more entries in `present`), not about the variable itself. Default `false`.
   */
  entries?: boolean;
}

const where = (s: SourceRef): string => (s.line > 0 ? `${s.file}:${s.line}` : s.file);
const list = (ids: readonly string[]): string => ids.join(', ');

function inHome(file: string, home: string | undefined, name: string): boolean {
  if (home) return file === `${home.replace(/\/$/, '')}/${name}`;
  return file.endsWith(`/${name}`);
}

/** The source to explain with: from an interactive context first, then any. */
function pickSource(input: CauseInput): SourceRef | undefined {
  const ordered = [...input.present].sort((a, b) => Number(INTERACTIVE_CONTEXTS.has(b)) - Number(INTERACTIVE_CONTEXTS.has(a)));
  for (const id of ordered) {
    const s = input.sources[id];
    if (s && s.kind !== 'inherited') return s;
  }
  return undefined;
}

/**
 * Say in one sentence why `variable` is missing from `missing`, or return `undefined`
 * when the evidence does not point anywhere in particular.
 */
export function inferCause(input: CauseInput): string | undefined {
  const { variable, present, missing, home, shell, entries = false } = input;
  if (present.length === 0 || missing.length === 0) return undefined;
  const source = pickSource(input);
  // Running processes carry old environments: judge the startup files by fresh contexts.
  const fresh = present.filter((c) => !PROCESS_CONTEXTS.has(c));
  const onlyInteractive = fresh.length > 0 && fresh.every((c) => INTERACTIVE_CONTEXTS.has(c));
  const missingNonInteractive = missing.filter((c) => !INTERACTIVE_CONTEXTS.has(c) && !PROCESS_CONTEXTS.has(c) && c !== 'systemd-user');
  const setAt = (verb: string, s: SourceRef): string => (entries ? `the extra ${variable} entries come from ${where(s)}` : `${variable} is ${verb} ${where(s)}`);
  const readIt = entries ? 'get them' : 'read it';

  if (source && onlyInteractive && missingNonInteractive.length > 0 && inHome(source.file, home, '.bashrc')) {
    return `${setAt('exported at', source)}, below the interactive guard, so only interactive shells ${readIt}`;
  }
  if (source && /\/\.(zshrc|zprofile|zlogin)$/.test(source.file) && fresh.length > 0 && fresh.every((c) => c === 'zsh' || c === 'vscode-resolved' || c === 'login-interactive')) {
    const file = source.file.slice(source.file.lastIndexOf('/') + 1);
    return `${setAt('set in', source)}, which only zsh reads (${file === '.zshrc' ? 'interactive' : 'login'} zsh); bash and non-interactive contexts never read it`;
  }
  if (source && /\/\.zshenv$/.test(source.file) && missing.some((c) => c !== 'zsh')) {
    return `${setAt('set in', source)}, which every zsh reads but bash never does`;
  }
  const loginOnly = /\/(\.profile|\.bash_profile|\.bash_login)$|^\/etc\/profile(\.d\/.*)?$/.test(source?.file ?? '');
  const nonLogin = missing.filter((c) => c === 'ssh-command' || c === 'bash-interactive');
  if (source && loginOnly && nonLogin.length > 0) {
    return `${setAt('set in', source)}, which only login shells read; ${list(nonLogin)} ${nonLogin.length > 1 ? 'are' : 'is'} not a login shell`;
  }
  if (!source && !entries && onlyInteractive && missingNonInteractive.length > 0) {
    const file = shell?.endsWith('zsh') ? '~/.zshrc, which only interactive zsh reads' : 'below the interactive guard of ~/.bashrc (or in a file only interactive shells read)';
    return `only interactive shells have ${variable}: it is probably set ${file}; capture with --trace to see the file and line`;
  }
  const what = entries ? `these ${variable} entries were added` : `${variable} was set`;
  if (missing.every((c) => PROCESS_CONTEXTS.has(c))) {
    if (present.includes('vscode-resolved') && missing.includes('vscode-exthost')) {
      return `a fresh resolve of the shell environment has it but the running extension host does not: VS Code resolved its environment once, before ${what}; restart the server (Remote-SSH: Kill VS Code Server on Host)`;
    }
    return `the running VS Code server started before ${what} and keeps the environment it started with; restart it (Remote-SSH: Kill VS Code Server on Host) to pick ${entries ? 'them' : 'it'} up`;
  }
  if (missing.length === 1 && missing[0] === 'systemd-user') {
    return `systemd user services read no shell startup files; ${variable} must be set in ~/.config/environment.d/*.conf (or imported with systemctl --user import-environment)`;
  }
  return undefined;
}
