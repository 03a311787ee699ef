/**
 * Reading shell startup files well enough to plan a fix: where a variable is assigned or
 * unset, which other dotfiles a file sources, and where the interactive guard is.
 *
 * This is not a shell interpreter. It is a line-oriented lexer that knows quoting
 * (`'…'`, `"…"`, `$'…'`), comments, backslash continuations, here-documents and
 * function bodies, so it can tell a statement that starts a line from text inside a
 * string, a here-document or a function that only runs when called. Conditionals are
 * not evaluated: an assignment inside `if` counts as run. The fix planner uses the result
 * to predict which assignment a context sees last, and the prediction is always checked
 * by capturing again after a fix (DOMAIN.md, "Fix strategies, by reach").
 */

/** One place a file assigns or unsets a variable. */
export interface ShellEvent {
  /** 1-based line number. */
  line: number;
  name: string;
  /** `set`: an assignment (`export NAME=…`, `NAME=…`); `unset`: `unset NAME`. */
  kind: 'set' | 'unset';
  /** The assigned value when it is a literal (no expansion), else undefined. */
  value?: string;
  /**
   * The whole line is this one statement (`[export ]NAME=WORD [# comment]` or
   * `unset NAME`), so it can be disabled without touching anything else.
   */
  simple: boolean;
  /** The id of the envlens managed block the line is in, if any. */
  block?: string;
  /** Last line of the statement when it runs over several lines (a quoted value with newlines). */
  endLine?: number;
}

/** A line that sources another file of the home directory (`. ~/.bashrc`). */
export interface ShellSource {
  line: number;
  /** The sourced file, relative to the home directory (`.bashrc`). */
  file: string;
}

/** What {@link scanShellFile} found. */
export interface ShellScan {
  events: ShellEvent[];
  sources: ShellSource[];
  /** 1-based line of the interactive guard (`case $- in … return`), when there is one. */
  guardLine?: number;
  /** Number of lines in the file. */
  lineCount: number;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const START_MARKER = /^# >>> envlens (\S+) >>>/;
const END_MARKER = /^# <<< envlens (\S+) <<<$/;

/** Split text into lines the way editors count them: a trailing newline does not start a new line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface LexState {
  /** Open quote carried over from the previous line. */
  quote: '' | "'" | '"' | "$'";
  /** Previous line ended with an unquoted backslash. */
  continued: boolean;
  /** Pending here-document terminators (in order), and whether each strips tabs. */
  heredocs: { word: string; strip: boolean }[];
  /** Inside a here-document body: its terminator. */
  inHeredoc?: { word: string; strip: boolean };
  /** Brace depth inside a function body (0 = not in one). */
  fnDepth: number;
}

/**
 * Lex one line from `state`: returns the line's unquoted, comment-free text with quoted
 * parts replaced by a placeholder (so `;`, `{`, `}` inside strings are not seen), and
 * updates `state` for the next line.
 */
function lexLine(line: string, state: LexState): string {
  let out = '';
  let i = 0;
  state.continued = false;
  while (i < line.length) {
    const c = line[i]!;
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
      i++;
      continue;
    }
    if (state.quote === "$'") {
      if (c === '\\') i += 2;
      else {
        if (c === "'") state.quote = '';
        i++;
      }
      continue;
    }
    if (state.quote === '"') {
      if (c === '\\') {
        if (i + 1 >= line.length) {
          state.continued = true;
          return out;
        }
        i += 2;
        continue;
      }
      if (c === '"') state.quote = '';
      i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) {
        state.continued = true;
        return out;
      }
      out += 'x';
      i += 2;
      continue;
    }
    if (c === "'") {
      state.quote = "'";
      out += 'Q';
      i++;
      continue;
    }
    if (c === '$' && line[i + 1] === "'") {
      state.quote = "$'";
      out += 'Q';
      i += 2;
      continue;
    }
    if (c === '"') {
      state.quote = '"';
      out += 'Q';
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(line[i - 1]!))) break;
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(line.slice(i));
      if (m) {
        state.heredocs.push({ word: m[3]!, strip: m[1] === '-' });
        out += '<<H';
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** Parse a shell word that is a literal (quotes allowed, no expansion); undefined when it is not. */
export function literalWord(word: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i]!;
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < word.length) {
        const d = word[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '$' || d === '`') return undefined;
        if (d === '\\') {
          const n = word[i + 1];
          if (n === undefined) return undefined;
          if ('$`"\\'.includes(n)) {
            out += n;
            i += 2;
            continue;
          }
          out += d;
          i++;
          continue;
        }
        out += d;
        i++;
      }
      if (!closed) return undefined;
    } else if (c === '\\') {
      const n = word[i + 1];
      if (n === undefined) return undefined;
      out += n;
      i += 2;
    } else if (c === '$' || c === '`' || (c === '~' && i === 0) || /[\s;&|<>()]/.test(c)) {
      return undefined;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Split `text` at the first unquoted whitespace: returns the word and the rest. Quotes
 * are kept in the word (for {@link literalWord}).
 */
function firstWord(text: string): { word: string; rest: string } | undefined {
  let i = 0;
  let quote: '' | "'" | '"' = '';
  while (i < text.length) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = '';
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '\\') {
      i++;
    } else if (/\s/.test(c)) {
      break;
    }
    i++;
  }
  if (quote) return undefined;
  return { word: text.slice(0, i), rest: text.slice(i) };
}

const SIMPLE_PREFIX = /^\s*(?:(?:export|readonly)\s+|(?:declare|typeset)\s+-[a-zA-Z]*x[a-zA-Z]*\s+)?/;

/**
 * Whether the statement starting at `lines[index]` is exactly one assignment of `name`
 * (possibly a single-quoted value running over several lines); returns its literal value
 * (undefined when not literal) and its last line index.
 */
function simpleAssignmentAt(lines: readonly string[], index: number, name: string): { value: string | undefined; last: number } | undefined {
  const first = lines[index]!;
  const prefix = SIMPLE_PREFIX.exec(first)?.[0] ?? '';
  if (!first.slice(prefix.length).startsWith(`${name}=`)) return undefined;
  let text = first.slice(prefix.length + name.length + 1);
  let last = index;
  let split = firstWord(text);
  while (!split && last + 1 < lines.length && last - index < 1000) {
    last++;
    text += `\n${lines[last]!}`;
    split = firstWord(text);
  }
  if (!split) return undefined;
  const rest = split.rest.trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  if (rest.includes('\n')) return undefined;
  // A command substitution or backquote may hide `;` or a newline: not a simple line.
  if (/\$\(|`/.test(split.word.replace(/'[^']*'/g, ''))) return undefined;
  return { value: literalWord(split.word), last };
}

/** Standalone `{` / `}` words in lexed code (not `${…}`). */
function braces(code: string): { opens: number; closes: number } {
  return {
    opens: (code.match(/(?:^|[\s;)])\{(?=\s|$)/g) ?? []).length,
    closes: (code.match(/(?:^|[\s;])\}(?=\s|;|$)/g) ?? []).length,
  };
}

const FUNCTION_START = /^\s*(?:function\s+[^\s(]+\s*(?:\(\s*\))?|[A-Za-z_][\w:.-]*\s*\(\s*\))\s*(?:\{|$)/;
const GUARD_START = /(?:\bcase\s+["']?\$-|\[\[?\s*["']?\$-|\[\[?\s*-z\s+["']?\$\{?PS1|\$-\s*!?=)/;
const SOURCE_RE = /(?:^\s*|[;&|{]\s*|\b(?:then|do|else)\s+)(?:\.|source)\s+("?)(?:\$HOME|\$\{HOME\}|~)\/(\.[A-Za-z0-9_.-]+)\1(?=\s|;|$)/g;

/**
 * Scan a shell startup file for assignments and unsets of `names`, sourced dotfiles and
 * the interactive guard.
 *
 * Lines inside here-documents, multi-line strings, continuations and function bodies are
 * not statements of the file and produce no events. Assignments that prefix a command
 * (`GOPROXY=x go build`) set nothing in the shell and are skipped. An event that is not
 * the whole line is reported with `simple: false`.
 */
export function scanShellFile(text: string, names: readonly string[]): ShellScan {
  const lines = splitLines(text);
  const wanted = new Set(names);
  const state: LexState = { quote: '', continued: false, heredocs: [], fnDepth: 0 };
  let fnPending = false;
  const events: ShellEvent[] = [];
  const sources: ShellSource[] = [];
  let guardLine: number | undefined;
  let guardCandidate: number | undefined;
  let block: string | undefined;
  const assignRe = new RegExp(`(?:^|[;&|({]\\s*|\\b(?:then|do|else|elif)\\s+|\\s)((?:export|readonly|local|declare|typeset)(?:\\s+-[A-Za-z]+)*\\s+(?:${NAME}(?:=\\S*)?\\s+)*)?(${NAME})=`, 'g');
  const unsetRe = new RegExp(`(?:^|[;&|({]\\s*|\\b(?:then|do|else)\\s+)unset\\s+(?:-v\\s+)?((?:${NAME}\\s*)+)`, 'g');

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const lineNo = index + 1;
    if (state.inHeredoc) {
      const probe = state.inHeredoc.strip ? raw.replace(/^\t+/, '') : raw;
      if (probe === state.inHeredoc.word) state.inHeredoc = state.heredocs.shift();
      continue;
    }
    const atStart = state.quote === '' && !state.continued;
    const start = START_MARKER.exec(raw);
    if (atStart && start) block = start[1];
    const end = END_MARKER.exec(raw);
    const code = lexLine(raw, state);
    if (state.heredocs.length && !state.continued && state.quote === '') state.inHeredoc = state.heredocs.shift();
    if (end && block === end[1]) block = undefined;
    if (!atStart) continue;

    if (state.fnDepth > 0 || fnPending) {
      const { opens, closes } = braces(code);
      if (fnPending && opens > 0) fnPending = false;
      state.fnDepth = Math.max(0, state.fnDepth + opens - closes);
      continue;
    }
    if (FUNCTION_START.test(code)) {
      const { opens, closes } = braces(code);
      if (opens === 0) fnPending = true;
      else state.fnDepth = Math.max(0, opens - closes);
      continue;
    }
    if (guardLine === undefined) {
      if (GUARD_START.test(raw) && !raw.trimStart().startsWith('#')) guardCandidate = lineNo;
      if (guardCandidate !== undefined && /\breturn\b/.test(code) && lineNo - guardCandidate <= 4) guardLine = guardCandidate;
    }
    if (/(?:^|[\s;&|{])(?:\.|source)\s/.test(code)) {
      for (const m of raw.matchAll(SOURCE_RE)) sources.push({ line: lineNo, file: m[2]! });
    }
    const seen = new Set<string>();
    for (const m of code.matchAll(assignRe)) {
      const name = m[2]!;
      if (!wanted.has(name) || seen.has(name)) continue;
      const prefix = m[1] ?? '';
      if (/^local\b/.test(prefix)) continue;
      if (!prefix) {
        // `NAME=value cmd`: an assignment for one command only, nothing changes in the shell.
        const after = firstWord(code.slice((m.index ?? 0) + m[0].length));
        const rest = after?.rest.trim() ?? '';
        if (rest !== '' && !/^(?:;|&&|\|\||\||\)|\}|#)/.test(rest)) continue;
      }
      seen.add(name);
      const simple = simpleAssignmentAt(lines, index, name);
      const event: ShellEvent = { line: lineNo, name, kind: 'set', simple: simple !== undefined };
      if (simple?.value !== undefined) event.value = simple.value;
      if (simple && simple.last > index) event.endLine = simple.last + 1;
      if (block !== undefined) event.block = block;
      events.push(event);
    }
    for (const m of code.matchAll(unsetRe)) {
      for (const name of m[1]!.trim().split(/\s+/)) {
        if (!wanted.has(name) || seen.has(name)) continue;
        seen.add(name);
        const simple = new RegExp(`^\\s*unset\\s+(?:-v\\s+)?${name}\\s*(?:#.*)?$`).test(raw);
        const event: ShellEvent = { line: lineNo, name, kind: 'unset', simple };
        if (block !== undefined) event.block = block;
        events.push(event);
      }
    }
  }
  const scan: ShellScan = { events, sources, lineCount: lines.length };
  if (guardLine !== undefined) scan.guardLine = guardLine;
  return scan;
}

/**
 * Scan a `KEY=VALUE` file (systemd environment.d, Go's `go env -w` file) for `names`.
 *
 * Comment lines (`#`) and blank lines are skipped. Values are returned as written when
 * they carry no quotes or `$` (environment.d expands `$VAR`; Go takes the rest of the
 * line literally).
 */
export function scanKeyValueFile(text: string, names: readonly string[], syntax: 'environment.d' | 'go-env'): ShellEvent[] {
  const wanted = new Set(names);
  const events: ShellEvent[] = [];
  let block: string | undefined;
  splitLines(text).forEach((raw, index) => {
    const start = START_MARKER.exec(raw);
    if (start) block = start[1];
    const end = END_MARKER.exec(raw);
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (m && !raw.trimStart().startsWith('#') && wanted.has(m[1]!)) {
      const event: ShellEvent = { line: index + 1, name: m[1]!, kind: 'set', simple: true };
      const value = syntax === 'go-env' ? m[2]! : decodeEnvironmentDValue(m[2]!);
      if (value !== undefined) event.value = value;
      if (block !== undefined) event.block = block;
      events.push(event);
    }
    if (end && block === end[1]) block = undefined;
  });
  return events;
}

/** The value of an environment.d right-hand side when it is a literal we can read (one line); else undefined. */
function decodeEnvironmentDValue(rhs: string): string | undefined {
  const t = rhs.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) {
    let out = '';
    const body = t.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === '\\' && i + 1 < body.length && '"\\`$'.includes(body[i + 1]!)) {
        out += body[++i];
      } else if (c === '$') {
        if (body[i + 1] !== '$') return undefined;
        out += '$';
        i++;
      } else if (c === '"') {
        return undefined;
      } else out += c;
    }
    return out;
  }
  if (/["'\\$]/.test(t)) return undefined;
  return t;
}
