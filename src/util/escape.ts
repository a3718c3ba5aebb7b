/**
 * Escaping untrusted text for the places it is shown: HTML pages (the `html` tagged template, which
 * escapes every interpolation unless it is `Html` already, made by `html` itself or by `raw`), JSON
 * inside a <script> element, and terminals (`visible`, `visibleDeep`).
 */
import { unicodeEscape, visible } from '../lang/visible.js';

export { oneLine, TERMINAL_UNSAFE, visible } from '../lang/visible.js';

/** Markup that is safe to put in a page as it is: made by `html` (which escaped what it was given) or `raw`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * Markup to put in the page unescaped: the one way around the escaping, for text mia made itself (its
 * CSS, an SVG vega rendered from escaped data). Never for a value read from results.json.
 */
export const raw = (markup: string): Html => new Html(markup);

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The characters that reorder or hide text on a page ("Trojan Source"): the bidi marks, embeddings, overrides
 * and isolates, and the zero-width space, word joiner and BOM. A page shows them as their escape, `\u202e`, as
 * the terminal does. The zero-width joiners (U+200C, U+200D) stay: scripts and emoji need them.
 */
const PAGE_UNSAFE = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** Text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ENTITY[c]!).replace(PAGE_UNSAFE, unicodeEscape);

/** One interpolated value as markup: Html as it is, arrays part by part, null/undefined/false as nothing, the rest as escaped text. */
function part(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/**
 * A tagged template for markup: `html\`<td>${name}</td>\`` escapes `name`, whatever its type (a number
 * read from a file may be a string). Write attribute values in double quotes.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Parts joined with a separator, as markup. */
export const joinHtml = (parts: readonly unknown[], sep = ''): Html => raw(parts.map(part).join(part(sep)));

/**
 * JSON for the inside of a <script> element: `<` `>` `&` and the line separators U+2028/U+2029 as
 * \u escapes, so no `</script>` or `<!--` can end or change the element, and the text is JSON still.
 */
export const scriptJson = (value: unknown): Html =>
  raw(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, unicodeEscape));

/** Every string in a value (deeply: arrays, plain objects, their keys) made `visible`; other values as they are. */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map(visibleDeep) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [visible(k), visibleDeep(v)])) as T;
  }
  return value;
}
