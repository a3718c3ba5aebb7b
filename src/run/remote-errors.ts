/**
 * What a remote API's failures say: one line naming the API's url (its credentials and secret-looking query
 * values masked), with any text the API sent clipped to its first MESSAGE_CHARS characters and its control
 * and bidirectional-formatting characters written as \u escapes, so an answer cannot redraw the terminal.
 */
import { redactUrl, redactUrlsIn } from '../lang/index.js';

/** An API that cannot be reached or answers what mia cannot read: the user's to fix, said with the URL. */
export class RemoteApiError extends Error {}

/** The most characters of an API's text (an error body, an answer, a Location) a message quotes. */
export const MESSAGE_CHARS = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text for a message: URLs' user-info masked, clipped, control characters escaped. */
export function shown(text: string, max = MESSAGE_CHARS): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return redactUrlsIn(clipped, () => '***').replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A url for a message: its secrets masked, then shown as untrusted text. */
export const urlShown = (url: string): string => shown(redactUrl(url));
