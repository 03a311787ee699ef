/**
 * Managed blocks: the text envlens puts into a startup file, and exactly how it comes out
 * again.
 *
 * A block is framed by marker lines with the variable's name as id, in the manner of
 * conda's `# >>> conda initialize >>>` or Ansible's blockinfile:
 *
 * ```sh
 * # >>> envlens GOPROXY >>>
 * # Managed by envlens (envlens fix); replaced or removed by the next fix of GOPROXY.
 * export GOPROXY='https://goproxy.cn,direct'
 * # <<< envlens GOPROXY <<<
 * ```
 *
 * One block per variable, so fixes of different variables never touch each other's
 * text. The operations are exact: upserting twice equals upserting once, an existing
 * block is updated where it stands, and removing the block gives back the original file
 * byte for byte, including a missing newline at the end of the file (the start marker
 * then says envlens added one). A conflicting assignment the fix must neutralize is not
 * deleted but prefixed with a tagged no-op (`: # envlens-disabled NAME: `), which is just
 * as exactly reversed.
 */

/** Formats of the files envlens edits. */
export type FileSyntax = 'bash' | 'zsh' | 'sh' | 'environment.d' | 'go-env';

/** Where a new block goes: `top` of the file (before the interactive guard) or its `end`. */
export type BlockPosition = 'top' | 'end';

/** What a fix makes true for one variable: set it to a value, or remove it. */
export type FixValue = { kind: 'set'; value: string } | { kind: 'remove' };

/** Suffix of a start marker whose block was appended to a file that did not end with a newline. */
export const ADDED_NEWLINE_NOTE = ' (envlens added the line break above)';

/** The comment line inside every block. */
export const BLOCK_COMMENT = '# Managed by envlens (envlens fix): replaced or removed by the next fix of this variable.';

const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The start marker line of block `id`. */
export function blockStart(id: string): string {
  return `# >>> envlens ${id} >>>`;
}

/** The end marker line of block `id`. */
export function blockEnd(id: string): string {
  return `# <<< envlens ${id} <<<`;
}

/** The prefix that disables a line for variable `name`, in files of `syntax`. */
export function disabledPrefix(syntax: FileSyntax, name: string): string {
  return isShell(syntax) ? `: # envlens-disabled ${name}: ` : `# envlens-disabled ${name}: `;
}

/** Whether files of `syntax` are shell scripts. */
export function isShell(syntax: FileSyntax): boolean {
  return syntax === 'bash' || syntax === 'zsh' || syntax === 'sh';
}

/**
 * Quote `value` for POSIX sh, bash and zsh: one single-quoted word, each `'` written as
 * `'\''`. Nothing inside single quotes is special, so any value (newlines, `$`, `\`,
 * non-UTF-8 bytes) comes out exactly.
 */
export function quoteSh(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quote `value` for systemd environment.d (environment.d(5)): a double-quoted string in
 * which `\`, `"` and `` ` `` are backslash-escaped, and `$` is written `$$` because
 * systemd expands `$VAR` even inside quotes and reads `$$` as one `$`.
 */
export function quoteEnvironmentD(value: string): string {
  return `"${value.replace(/[\\"`]/g, (c) => `\\${c}`).replace(/\$/g, '$$$$')}"`;
}

/** Whether `text` holds a lone UTF-16 surrogate (a non-UTF-8 byte kept by surrogateescape). */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Why `value` of `name` cannot be written into a file of `syntax`, or undefined when it
 * can.
 */
export function valueProblem(syntax: FileSyntax, name: string, value: FixValue): string | undefined {
  if (!ID_RE.test(name)) return `"${name}" is not a valid variable name`;
  if (value.kind === 'remove') {
    return isShell(syntax) ? undefined : `${syntax === 'go-env' ? "Go's env file" : 'environment.d'} cannot unset a variable`;
  }
  const v = value.value;
  if (v.includes('\0')) return 'the value holds a NUL byte, which no environment can carry';
  if (isShell(syntax)) {
    if (v.split('\n').some((line) => line === blockEnd(name))) return 'the value holds a line equal to the block’s end marker';
    return undefined;
  }
  if (syntax === 'go-env') {
    if (/[\n\r]/.test(v)) return "Go's env file holds one line per variable: the value has a line break";
    if (v !== v.trim()) return "go env -w trims spaces around values: the value starts or ends with a space";
    return undefined;
  }
  if (hasLoneSurrogate(v)) return 'environment.d files must be UTF-8: the value holds bytes that are not';
  return undefined;
}

/** The statement lines that make `name` take `value` in a file of `syntax`. */
export function assignmentLines(syntax: FileSyntax, name: string, value: FixValue): string[] {
  const problem = valueProblem(syntax, name, value);
  if (problem) throw new Error(`cannot write ${name} into a ${syntax} file: ${problem}`);
  if (value.kind === 'remove') return [`unset ${name}`];
  if (isShell(syntax)) return [`export ${name}=${quoteSh(value.value)}`];
  if (syntax === 'go-env') return [`${name}=${value.value}`];
  return [`${name}=${quoteEnvironmentD(value.value)}`];
}

/** The full text of block `id` holding `body` (statement lines), newline-terminated. */
export function blockText(id: string, body: readonly string[]): string {
  if (!ID_RE.test(id)) throw new Error(`invalid block id ${JSON.stringify(id)}`);
  return [blockStart(id), BLOCK_COMMENT, ...body, blockEnd(id)].map((l) => `${l}\n`).join('');
}

/** Lines of `text`, each with its own `\n` (the last may lack it). */
function linesWithEol(text: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) {
      if (from < text.length) out.push(text.slice(from));
      return out;
    }
    out.push(text.slice(from, nl + 1));
    from = nl + 1;
  }
}

const bare = (line: string): string => (line.endsWith('\n') ? line.slice(0, -1) : line);

/** Where block `id` is in a file: 0-based indexes of its marker lines. */
export interface BlockLocation {
  id: string;
  start: number;
  end: number;
  /** The start marker says envlens added a line break before the block. */
  addedNewline: boolean;
}

/** Thrown when a file holds a start marker without its end marker (or the other way round). */
export class DamagedBlockError extends Error {
  constructor(id: string, line: number) {
    super(`the envlens block ${id} starting at line ${line} has no end marker: fix it by hand`);
    this.name = 'DamagedBlockError';
  }
}

/** Every envlens block in `text`, in order. Throws {@link DamagedBlockError} on an unterminated block. */
export function findBlocks(text: string): BlockLocation[] {
  const lines = linesWithEol(text).map(bare);
  const out: BlockLocation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^# >>> envlens ([A-Za-z_][A-Za-z0-9_]*) >>>(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const id = m[1]!;
    if (m[2] !== '' && m[2] !== ADDED_NEWLINE_NOTE) continue;
    const end = lines.indexOf(blockEnd(id), i + 1);
    if (end < 0) throw new DamagedBlockError(id, i + 1);
    out.push({ id, start: i, end, addedNewline: m[2] === ADDED_NEWLINE_NOTE });
    i = end;
  }
  return out;
}

/**
 * Put block `id` with `body` into `text`: replace an existing block of that id where it
 * stands, else insert it at `position`.
 *
 * Idempotent: `upsertBlock(upsertBlock(t, …), …) === upsertBlock(t, …)` for the same
 * arguments, and {@link removeBlock} gives `t` back when `t` had no such block.
 */
export function upsertBlock(text: string, id: string, body: readonly string[], position: BlockPosition): string {
  const block = blockText(id, body);
  const existing = findBlocks(text).filter((b) => b.id === id);
  const lines = linesWithEol(text);
  const first = existing[0];
  if (first) {
    const endLine = lines[first.end]!;
    let replacement = block;
    if (first.addedNewline) replacement = replacement.replace(`${blockStart(id)}\n`, `${blockStart(id)}${ADDED_NEWLINE_NOTE}\n`);
    if (!endLine.endsWith('\n')) replacement = replacement.slice(0, -1);
    const out = [...lines];
    // Later duplicates of the same block go; the first stays where it is.
    for (const dup of existing.slice(1).reverse()) out.splice(dup.start, dup.end - dup.start + 1);
    out.splice(first.start, first.end - first.start + 1, replacement);
    return out.join('');
  }
  if (position === 'top') return block + text;
  if (text === '' || text.endsWith('\n')) return text + block;
  return `${text}\n${block.replace(`${blockStart(id)}\n`, `${blockStart(id)}${ADDED_NEWLINE_NOTE}\n`)}`;
}

/** Remove block `id` from `text` (every copy), giving back the text as it was before the block went in. */
export function removeBlock(text: string, id: string): string {
  let out = text;
  for (;;) {
    const found = findBlocks(out).find((b) => b.id === id);
    if (!found) return out;
    const lines = linesWithEol(out);
    const kept = [...lines.slice(0, found.start), ...lines.slice(found.end + 1)];
    if (found.addedNewline && found.start > 0) {
      const prev = kept[found.start - 1]!;
      if (prev.endsWith('\n')) kept[found.start - 1] = prev.slice(0, -1);
    }
    out = kept.join('');
  }
}

/** A statement to disable: its first and last line (1-based) and the variable it assigns. */
export interface DisableSpec {
  line: number;
  endLine?: number;
  name: string;
}

/** Prefix the lines of each statement in `specs` with the disabled marker of its variable. */
export function disableLines(text: string, specs: readonly DisableSpec[], syntax: FileSyntax): string {
  if (specs.length === 0) return text;
  const lines = linesWithEol(text);
  const done = new Set<number>();
  for (const spec of specs) {
    for (let n = spec.line; n <= (spec.endLine ?? spec.line); n++) {
      const i = n - 1;
      if (i < 0 || i >= lines.length || done.has(i)) continue;
      done.add(i);
      lines[i] = disabledPrefix(syntax, spec.name) + lines[i]!;
    }
  }
  return lines.join('');
}

/** Undo {@link disableLines} for the variables in `names` (all variables when omitted). */
export function restoreDisabled(text: string, names?: readonly string[]): string {
  const wanted = names ? new Set(names) : undefined;
  return linesWithEol(text)
    .map((line) => {
      const m = /^(?:: )?# envlens-disabled ([A-Za-z_][A-Za-z0-9_]*): /.exec(line);
      if (!m || (wanted && !wanted.has(m[1]!))) return line;
      return line.slice(m[0].length);
    })
    .join('');
}

/** Take out everything envlens put into `text` for `names`: their blocks and disabled lines. */
export function stripEnvlens(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) out = removeBlock(out, name);
  return restoreDisabled(out, names);
}
