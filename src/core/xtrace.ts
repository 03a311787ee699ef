/**
 * Provenance from shell xtrace: which file and line assigned each variable.
 *
 * The probe runs each shell context with `-x` and a PS4 that tags every trace line with
 * a per-run marker, the file and the line:
 * - bash: `PS4='+ELTRACE<marker>|${BASH_SOURCE:-}|${LINENO}| '`, written to its own file
 *   through `BASH_XTRACEFD`. Bash repeats the first PS4 character for nesting depth
 *   (`++ELTRACE…` inside `$(…)`, `eval`, sourced files), and prints `export A=1`
 *   followed by `A=1` for one statement, and `X=1 cmd` as two lines `X=1` / `cmd`.
 * - zsh: `PS4='+ELTRACE<marker>|%x|%I| '` (`%x` file, `%I` line in that file), written
 *   to stderr among the startup files' own output; `X=1 cmd` traces as
 *   `X=1 +ELTRACE…| cmd` on one line, and output without a newline can precede a marker.
 *
 * Remote output is hostile (STYLE.md, "Treat remote output as hostile"): lines without
 * the marker are ignored, nothing here throws, and bash running as root, which ignores
 * PS4 from the environment and prints plain `+ `, yields `{}` rather than guesses.
 * Bash xtrace: bash(1) "PS4", "BASH_XTRACEFD"; zsh: zshmisc(1) "Prompt Expansion".
 */

import type { SourceRef } from '../shared/model';

/** Options of {@link parseXtrace}. */
export interface XtraceOptions {
  /** The per-run marker that follows `ELTRACE` in PS4. */
  marker: string;
  /** Which shell wrote the trace. */
  shell: 'bash' | 'zsh';
  /**
   * The account's home directory (no default). When given, a traced file spelled `~/…`
   * or relative (`.bash_aliases`) is reported as `<home>/…`.
   */
  home?: string;
}

/** zsh arrays tied to colon-separated scalars: assigning one assigns the other. */
const ZSH_TIED: Readonly<Record<string, string>> = {
  path: 'PATH', fpath: 'FPATH', cdpath: 'CDPATH', manpath: 'MANPATH', mailpath: 'MAILPATH', module_path: 'MODULE_PATH', psvar: 'PSVAR',
};

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/;
const MAX_COMMAND_CHARS = 64 * 1024;
const MAX_CONTINUATION_LINES = 2000;

/** One shell word: `raw` as printed, `text` with quotes removed. */
interface Word {
  raw: string;
  text: string;
}

/** One traced simple command. */
interface Traced {
  file: string;
  line: number;
  depth: number;
  command: string;
  /** A later trace record started on the same physical line (zsh `X=1 cmd`). */
  followedOnLine: boolean;
}

/**
 * Split `command` into shell words.
 *
 * Handles '…', "…" (with \" \\ \$ \` escapes), $'…' (backslash escapes anything) and
 * backslash outside quotes. `complete` is false when a quote is still open at the end,
 * which in bash's xtrace means the value continues on the next line.
 */
function splitWords(command: string): { words: Word[]; complete: boolean } {
  const words: Word[] = [];
  let raw = '';
  let text = '';
  let inWord = false;
  let i = 0;
  const n = command.length;
  const flush = (): void => {
    if (inWord) words.push({ raw, text });
    raw = '';
    text = '';
    inWord = false;
  };
  while (i < n) {
    const c = command.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n') {
      flush();
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { words, complete: false };
      raw += command.slice(i, end + 1);
      text += command.slice(i + 1, end);
      i = end + 1;
    } else if (c === '$' && command.charAt(i + 1) === "'") {
      let j = i + 2;
      let closed = false;
      while (j < n) {
        const d = command.charAt(j);
        if (d === '\\') j += 2;
        else if (d === "'") {
          closed = true;
          break;
        } else j++;
      }
      if (!closed) return { words, complete: false };
      raw += command.slice(i, j + 1);
      text += command.slice(i + 2, j);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      let closed = false;
      let body = '';
      while (j < n) {
        const d = command.charAt(j);
        if (d === '\\' && j + 1 < n && '"\\$`'.includes(command.charAt(j + 1))) {
          body += command.charAt(j + 1);
          j += 2;
        } else if (d === '"') {
          closed = true;
          break;
        } else {
          body += d;
          j++;
        }
      }
      if (!closed) return { words, complete: false };
      raw += command.slice(i, j + 1);
      text += body;
      i = j + 1;
    } else if (c === '\\') {
      raw += command.slice(i, i + 2);
      text += command.charAt(i + 1);
      i += 2;
    } else {
      raw += c;
      text += c;
      i++;
    }
  }
  flush();
  return { words, complete: true };
}

/** Parse the header after the tag: `<file>|<line>| <command>`. */
function parseHeader(rest: string): { file: string; line: number; command: string } | undefined {
  const m = /\|(\d{1,9})\| ?/.exec(rest);
  if (!m) return undefined;
  return { file: rest.slice(0, m.index), line: Number(m[1]), command: rest.slice(m.index + m[0].length) };
}

/**
 * Cut the text into traced commands.
 *
 * A record starts at the tag (plus the `+` run before it) and runs to the end of its
 * line, or to the next tag on the same line (zsh), or, when a quote is open, over the
 * following lines that carry no tag (bash prints multi-line values verbatim).
 */
function records(text: string, tag: string): Traced[] {
  const out: Traced[] = [];
  const lines = text.split('\n');
  let pending: { header: { file: string; line: number }; depth: number; command: string; lines: number } | undefined;
  const finishPending = (): void => {
    if (pending) out.push({ ...pending.header, depth: pending.depth, command: pending.command, followedOnLine: false });
    pending = undefined;
  };
  for (const line of lines) {
    let at = line.indexOf(tag);
    if (at < 0) {
      if (pending) {
        pending.command += '\n' + line;
        pending.lines++;
        if (pending.command.length > MAX_COMMAND_CHARS || pending.lines > MAX_CONTINUATION_LINES) pending = undefined;
        // A quote can only close on a line that has a quote character.
        else if ((line.includes("'") || line.includes('"')) && splitWords(pending.command).complete) finishPending();
      }
      continue;
    }
    // A tag while a value is still open: the open record was not a command we can trust.
    pending = undefined;
    const starts: { start: number; depth: number; bodyAt: number }[] = [];
    while (at >= 0) {
      let s = at;
      while (s > 0 && line.charAt(s - 1) === '+') s--;
      starts.push({ start: s, depth: at - s, bodyAt: at + tag.length });
      at = line.indexOf(tag, at + tag.length);
    }
    for (let k = 0; k < starts.length; k++) {
      const cur = starts[k];
      if (!cur) continue;
      const next = starts[k + 1];
      const header = parseHeader(line.slice(cur.bodyAt, next ? next.start : line.length));
      if (!header) continue;
      const rec = { file: header.file, line: header.line, depth: cur.depth, command: header.command, followedOnLine: next !== undefined };
      if (!next && !splitWords(rec.command).complete) {
        pending = { header: { file: rec.file, line: rec.line }, depth: rec.depth, command: rec.command, lines: 0 };
        continue;
      }
      out.push(rec);
    }
  }
  // A value still open at the end of the text is dropped: it was cut off.
  return out;
}

type Effect =
  | { kind: 'assign'; names: string[] }
  | { kind: 'declare'; names: string[] }
  | { kind: 'local'; names: string[] }
  | { kind: 'command' }
  | { kind: 'none' };

/** What one traced command does to variables. */
function effectOf(command: string, shell: 'bash' | 'zsh'): Effect {
  const { words } = splitWords(command);
  if (words.length === 0) return { kind: 'none' };
  const assigned: string[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (!w) break;
    const m = ASSIGN_RE.exec(w.raw);
    if (!m) break;
    const name = m[1] ?? '';
    if (w.raw.endsWith('=(')) {
      // zsh array assignment `name=( a b )`: skip to the closing parenthesis.
      while (i < words.length && words[i]?.raw !== ')') i++;
      if (shell === 'zsh' && ZSH_TIED[name]) assigned.push(ZSH_TIED[name] ?? name);
    } else if (!w.raw.slice(name.length).startsWith('[')) {
      assigned.push(ZSH_TIED[name] && shell === 'zsh' ? (ZSH_TIED[name] ?? name) : name);
    }
    i++;
  }
  if (i >= words.length) return assigned.length ? { kind: 'assign', names: assigned } : { kind: 'none' };
  // Assignments before a command word only set that command's environment.
  const cmd = words[i]?.text ?? '';
  const args = words.slice(i + 1).map((w) => w.text);
  if (cmd === 'export' || cmd === 'declare' || cmd === 'typeset' || cmd === 'readonly' || cmd === 'local') {
    const flags: string[] = [];
    const names: string[] = [];
    let options = true;
    for (const a of args) {
      if (options && a === '--') {
        options = false;
        continue;
      }
      if (options && /^[-+][A-Za-z]+$/.test(a)) {
        flags.push(a);
        continue;
      }
      options = false;
      const name = a.includes('=') ? a.slice(0, a.indexOf('=')).replace(/\+$/, '').replace(/\[.*$/, '') : a;
      if (NAME_RE.test(name)) names.push(shell === 'zsh' && ZSH_TIED[name] ? (ZSH_TIED[name] ?? name) : name);
    }
    const has = (letter: string): boolean => flags.some((f) => f.startsWith('-') && f.includes(letter));
    const unsets = (letter: string): boolean => flags.some((f) => f.startsWith('+') && f.includes(letter));
    if (has('f') || has('F') || has('p') || has('n') || unsets('x')) return { kind: 'command' };
    if (cmd === 'local') return { kind: 'local', names };
    if (cmd === 'export' || has('x') || has('g')) return { kind: 'declare', names };
    if (cmd === 'readonly') return { kind: 'declare', names: names.filter((_, k) => args.some((a) => a.startsWith(`${names[k]}=`))) };
    // Plain declare/typeset: local inside functions, where most of them are.
    return { kind: 'local', names };
  }
  return { kind: 'command' };
}

function resolveFile(file: string, home: string | undefined): string {
  if (!home) return file;
  const base = home.endsWith('/') ? home.slice(0, -1) : home;
  if (file === '~') return base;
  if (file.startsWith('~/')) return `${base}/${file.slice(2)}`;
  if (!file.startsWith('/')) return `${base}/${file.replace(/^\.\//, '')}`;
  return file;
}

/** Whether a traced "file" is really a file (not the -c string, traced as '' or the shell's name). */
function isRealFile(file: string): boolean {
  if (file === '') return false;
  return file.includes('/') || !/^-?(?:ba|z|k|da|c|tc)?sh$/.test(file);
}

/**
 * Extract, per variable, every place a startup file assigned or exported it.
 *
 * Returns `{ NAME: [ref, …] }` in trace order, the last ref being the effective one;
 * every ref has `kind: 'set'`. Recognised: `A=1`, `A+=1`, `export A=1`, `export 'B=x y'`,
 * `export A B`, `declare -x`/`typeset -x`/`declare -g`, `readonly A=1`, zsh tied arrays
 * (`path+=(…)` → `PATH`). Ignored: assignments that only prefix a command (`X=1 cmd`),
 * `local`/plain `declare` names (and later bare assignments to them), `export -n`/`-f`/`-p`,
 * records whose file is empty or the shell itself (the `-c` string), lines without the
 * marker. Includes shell variables that were never exported: callers intersect with the
 * captured environment. The result object has no prototype, so a name such as
 * `constructor` is safe to look up.
 */
export function parseXtrace(text: string, options: XtraceOptions): Record<string, SourceRef[]> {
  const result = Object.create(null) as Record<string, SourceRef[]>;
  if (typeof text !== 'string' || text.length === 0) return result;
  const tag = `ELTRACE${options.marker}|`;
  const recs = records(text, tag);
  const locals = new Set<string>();
  const add = (name: string, file: string, line: number): void => {
    const refs = (result[name] ??= []);
    const last = refs[refs.length - 1];
    if (last && last.file === file && last.line === line) return;
    refs.push({ file, line, kind: 'set' });
  };
  for (let k = 0; k < recs.length; k++) {
    const rec = recs[k];
    if (!rec || !isRealFile(rec.file)) continue;
    const effect = effectOf(rec.command, options.shell);
    const file = resolveFile(rec.file, options.home);
    if (effect.kind === 'local') {
      for (const n of effect.names) locals.add(n);
      continue;
    }
    if (effect.kind === 'declare') {
      for (const n of effect.names) add(n, file, rec.line);
      continue;
    }
    if (effect.kind !== 'assign') continue;
    if (options.shell === 'zsh' && rec.followedOnLine) continue;
    if (options.shell === 'bash' && prefixesNextCommand(rec, recs[k + 1], options.shell)) continue;
    for (const n of effect.names) if (!locals.has(n)) add(n, file, rec.line);
  }
  return result;
}

/**
 * Bash traces `X=1 cmd` as `X=1` then `cmd`, same file, line and depth. Treat a bare
 * assignment followed that way by an ordinary command as the command's prefix.
 */
function prefixesNextCommand(rec: Traced, next: Traced | undefined, shell: 'bash' | 'zsh'): boolean {
  if (!next || next.file !== rec.file || next.line !== rec.line || next.depth !== rec.depth) return false;
  return effectOf(next.command, shell).kind === 'command';
}
