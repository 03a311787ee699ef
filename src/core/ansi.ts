/**
 * ANSI SGR styling for terminal output, applied only when the caller enables colour.
 *
 * Renderers decide `color` from their options (the CLI passes whether stdout is a TTY
 * and NO_COLOR is unset); with colour off the text is returned unchanged, so output
 * stays plain and snapshot tests stay readable.
 */

/** A text style envlens uses. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

const CODES: Record<Style, number> = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36, magenta: 35 };

/** Wrap `text` in the SGR codes for `styles` when `enabled`; otherwise return it as is. */
export function paint(text: string, styles: readonly Style[], enabled: boolean): string {
  if (!enabled || styles.length === 0 || text === '') return text;
  return `\u001b[${styles.map((s) => CODES[s]).join(';')}m${text}\u001b[0m`;
}
