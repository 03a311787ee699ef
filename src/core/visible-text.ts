/**
 * Make the invisible parts of an environment value visible.
 *
 * Two values that look equal often are not: a trailing space, a `\r` from a file edited
 * on Windows, a zero-width space pasted from a web page, a bidi override that reorders
 * what you read (the "Trojan Source" trick, CVE-2021-42574). GitHub Desktop's diff view
 * marks such characters; this does the same for one value, and also keeps terminal
 * control sequences in remote values from reaching the user's terminal.
 */

/** Options of {@link visibleText}. */
export interface VisibleTextOptions {
  /**
   * Keep line structure: a newline becomes `⏎` followed by a real newline (default
   * `false`: `⏎` only, so the result is one line, as table cells need).
   */
  multiline?: boolean;
}

/** Characters that render as nothing, as a space, or reorder text: shown as `<U+XXXX>`. */
function isInvisible(cp: number): boolean {
  return (
    cp === 0x00a0 || cp === 0x00ad || cp === 0x034f || cp === 0x061c || cp === 0x115f || cp === 0x1160 ||
    cp === 0x17b4 || cp === 0x17b5 || (cp >= 0x180b && cp <= 0x180f) || (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f) || cp === 0x3000 || cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || cp === 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** Positions of spaces that start or end the value or a line of it. */
function edgeSpaces(value: string): Set<number> {
  const out = new Set<number>();
  const n = value.length;
  let i = 0;
  while (i < n) {
    if (value.charCodeAt(i) !== 0x20) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && value.charCodeAt(j) === 0x20) j++;
    const atStart = i === 0 || value.charCodeAt(i - 1) === 0x0a;
    const atEnd = j === n || value.charCodeAt(j) === 0x0a;
    if (atStart || atEnd) for (let k = i; k < j; k++) out.add(k);
    i = j;
  }
  return out;
}

/**
 * Return `value` with invisible and dangerous characters replaced by visible marks.
 *
 * - newline → `⏎` (with `multiline`, `⏎` + newline); tab → `⇥`; carriage return → `␍`;
 * - spaces at the start or end of the value (or of a line) → `·`;
 * - other C0 controls and DEL → `\xNN` (ESC is `\x1B`), so no escape sequence reaches a terminal;
 * - C1 controls (U+0080–U+009F) → `<U+0085>`;
 * - bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), zero-width and
 *   unusual spaces (U+200B–U+200D, U+2060, U+FEFF, U+00A0, U+2000–U+200A, U+3000…),
 *   variation selectors and tag characters → `<U+XXXX>`;
 * - lone surrogates U+DC80–U+DCFF, which encode bytes that were not UTF-8
 *   ("surrogateescape", see model.ts `RawEntry`) → `\xNN` for the original byte; other
 *   lone surrogates → `<U+XXXX>`.
 * A literal backslash is left alone, so `\x1B` in the output can also come from the text
 * `\x1B` in the value; the marks are for reading, not for parsing back.
 */
export function visibleText(value: string, options: VisibleTextOptions = {}): string {
  const { multiline = false } = options;
  const edges = edgeSpaces(value);
  let out = '';
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20) {
      out += edges.has(i) ? '·' : ' ';
    } else if (c === 0x0a) {
      out += multiline ? '⏎\n' : '⏎';
    } else if (c === 0x09) {
      out += '⇥';
    } else if (c === 0x0d) {
      out += '␍';
    } else if (c < 0x20 || c === 0x7f) {
      out += `\\x${hex(c, 2)}`;
    } else if (c >= 0x80 && c <= 0x9f) {
      out += `<U+${hex(c, 4)}>`;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
        out += isInvisible(cp) ? `<U+${hex(cp, 4)}>` : value.slice(i, i + 2);
        i++;
      } else {
        out += `<U+${hex(c, 4)}>`;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      out += c >= 0xdc80 && c <= 0xdcff ? `\\x${hex(c - 0xdc00, 2)}` : `<U+${hex(c, 4)}>`;
    } else if (isInvisible(c)) {
      out += `<U+${hex(c, 4)}>`;
    } else {
      out += value.charAt(i);
    }
  }
  return out;
}

/** Whether {@link visibleText} changes `value`, i.e. it holds something invisible or a newline. */
export function hasInvisible(value: string): boolean {
  return visibleText(value) !== value;
}
