/**
 * Building HTML as strings, safely.
 *
 * Everything a snapshot holds came from a remote host and is hostile: a value may be
 * `<script>…`, a file name may hold quotes. One function, {@link escapeHtml}, escapes
 * text for element content and double-quoted attributes; the {@link html} template tag
 * applies it to every interpolated value unless the value is already {@link SafeHtml}
 * (built by `html` itself), so escaping cannot be forgotten at a call site. This is
 * the lit-html idea without a DOM: the renderer runs in Node and in the browser alike.
 */

import { visibleText } from '../visible-text';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape `text` for HTML element content and quoted attribute values.
 *
 * Replaces `&`, `<`, `>`, `"` and `'` (OWASP's rule #1 set). Control and invisible
 * characters are not this function's job: values go through {@link valueHtml}, which
 * makes them visible first.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A string that is already HTML: inserted by {@link html} as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What {@link html} accepts in a `${…}`: text (escaped), SafeHtml, numbers, lists of those, or nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  return escapeHtml(String(value));
}

/**
 * Template tag: the literal parts are HTML, every `${value}` is escaped text unless it is
 * {@link SafeHtml}. `true`, `false`, `null` and `undefined` render as nothing, so
 * `${cond && html`…`}` works; arrays are concatenated.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Join pieces of HTML with a separator (itself escaped text). */
export function join(parts: readonly HtmlValue[], separator: string): SafeHtml {
  return new SafeHtml(parts.map((p) => render(p)).join(escapeHtml(separator)));
}

/** Marks that {@link visibleText} writes, after escaping: `⏎ ⇥ ␍`, `\xNN`, `<U+XXXX>`. */
const MARKS = /⏎|⇥|␍|\\x[0-9A-F]{2}|&lt;U\+[0-9A-F]{4,6}&gt;/g;
/** Masks that redaction writes (`•••(8)`, `•••(8 #3fa91c)`). */
const MASKS = /•••\((\d+)(?: #([0-9a-f]{6}))?\)/g;

/**
 * A value as HTML: invisible characters made visible ({@link visibleText}), escaped,
 * then marks and redaction masks wrapped in spans so the stylesheet can set them apart.
 *
 * The wrapping runs on escaped text and its patterns contain no markup characters, so
 * it cannot open a hole: at worst a value that literally contains `⏎` is styled as a
 * mark.
 */
export function valueHtml(value: string): SafeHtml {
  // <wbr> after separators lets long paths and URLs wrap at `/` rather than mid-word.
  const escaped = escapeHtml(visibleText(value)).replace(/((?<!:\/)\/|[,|]|=(?!=))(?=[^\s/,|=])/g, '$1<wbr>').replace(/@/g, '<wbr>@');
  return new SafeHtml(
    escaped
      .replace(MARKS, (m) => `<span class="mark" title="invisible character">${m}</span>`)
      .replace(MASKS, (m, length: string, hash: string | undefined) => {
        const title = `redacted secret: ${length} characters${hash ? `, keyed hash ${hash}` : ''}`;
        return `<span class="mask" title="${title}">${m}</span>`;
      }),
  );
}

/**
 * Prose from the core (titles, explanations, causes) as HTML: escaped, with
 * `backticked` spans set as code. Values inside prose are not made visible: prose is
 * envlens' own text, values quoted in it are short.
 */
export function proseHtml(text: string): SafeHtml {
  return new SafeHtml(escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>'));
}
