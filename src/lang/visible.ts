/**
 * Untrusted text made safe for a terminal: every character a terminal would act on instead of draw (C0
 * controls but the newline, DEL, C1 controls such as CSI, and the bidirectional overrides and isolates of
 * "Trojan Source", and the zero-width characters that show as nothing) is written as its escape, `\u001b`, `\t`, `\r`, as in a JSON string. Applied where text
 * reaches a terminal (the CLI's writers, the Ink view's events, code frames). It lives with the diagnostics,
 * which are the lowest layer to print source text; util/escape.ts re-exports it beside the HTML escaping.
 */
export const TERMINAL_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2060\u202a-\u202e\u2066-\u2069\ufeff]/g;

const SHORT: Record<string, string> = { '\t': '\\t', '\r': '\\r' };

/** A character as its JSON-style escape, `\\u202e`: how an unsafe character is shown, in a terminal or on a page. */
export const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

const escapeChar = (c: string): string => SHORT[c] ?? unicodeEscape(c);

/** `s` with every control, C1 and bidi-override character written as its escape; newlines kept. */
export const visible = (s: string): string => s.replace(TERMINAL_UNSAFE, escapeChar);

/**
 * `s` as one line for a terminal: `visible`, and its line breaks as `\n`, so a name read from a file
 * (an array in a zip, a column, a model's input) cannot start a line that looks like mia's own.
 */
export const oneLine = (s: string): string => visible(s).replace(/\r?\n/g, '\\n');
