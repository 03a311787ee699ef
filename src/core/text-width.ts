/**
 * Terminal display width of text, for aligning table columns.
 *
 * Like wcwidth(3): combining marks take no cell, East Asian wide and fullwidth
 * characters and emoji with emoji presentation take two (Unicode UAX #11 and UTS #51),
 * everything else one. Callers pass text through `visibleText` first, so there are no
 * control characters left to measure.
 */

const COMBINING = /^\p{M}$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) || (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cells one character (a code point, as a string) takes. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
  if (cp === 0x200b || COMBINING.test(ch)) return 0;
  if (isWide(cp) || EMOJI.test(ch)) return 2;
  return 1;
}

/** Cells `text` takes on a terminal. */
export function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      w++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    w += charWidth(ch);
  }
  return w;
}

/**
 * Cut `text` to at most `width` cells, ending in `…` when something was cut.
 *
 * `width` below 1 yields `''`.
 */
export function truncateToWidth(text: string, width: number): string {
  if (width < 1) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** `text` followed by spaces up to `width` cells (never cut). */
export function padToWidth(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}
