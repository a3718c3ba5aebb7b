/**
 * The JSON-lines view: each event as one line, exactly as emitted (the schema is RunEvent in
 * src/run/events.ts; README, "--json"). Non-finite numbers become ±Number.MAX_VALUE, as in results.json.
 */
import type { RunEvent } from '../run/index.js';

export const jsonLine = (e: RunEvent): string =>
  `${JSON.stringify(e, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v))}\n`;
