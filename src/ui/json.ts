/**
 * The JSON-lines view: each event as one line, exactly as emitted (the schema is RunEvent in
 * src/run/events.ts and ResultsWritten in src/ui/run-state.ts; README, "--json"). Non-finite numbers become ±Number.MAX_VALUE, as in results.json.
 */
import type { ReporterEvent } from './run-state.js';

export const jsonLine = (e: ReporterEvent): string =>
  `${JSON.stringify(e, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v))}\n`;
