/**
 * When to ask a remote API again. A failure another attempt may cure (no connection, a cut answer, a
 * time-out, 429, 5xx) waits an exponential backoff with equal jitter (half fixed, half random, so many
 * clients do not retry in step) before the next attempt. An answer with `Retry-After` (delay-seconds or an
 * HTTP-date) is waited for as the API asks, up to MAX_RETRY_AFTER_S; an API asking for longer fails the
 * run, saying so, rather than holding it for an hour. Throttling (429 or 503 with Retry-After) is the API
 * pacing mia, not failing: it counts against MAX_THROTTLES, not the attempts.
 */

/** Attempts per request for failures: network errors, cut answers, time-outs, 429 and 5xx without Retry-After. */
export const REMOTE_ATTEMPTS = 3;
/** The wait before the second attempt; it doubles for each next one (then jittered). */
export const BACKOFF_MS = 1000;
/** The longest Retry-After mia honours, in seconds. */
export const MAX_RETRY_AFTER_S = 60;
/** How many times one request may be throttled (429 or 503 with Retry-After) before the run fails. */
export const MAX_THROTTLES = 20;

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP-date (past dates: 0); null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the day's name.
  if (!/^[A-Z][a-z]{2}/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** The wait before attempt `attempt` (2, 3, ...): BACKOFF_MS·2^(attempt−2), its second half random. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const d = BACKOFF_MS * 2 ** (attempt - 2);
  return d / 2 + (random() * d) / 2;
}
