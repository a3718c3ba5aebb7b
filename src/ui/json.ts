/**
 * The JSON-lines view: each event as one line, exactly as emitted (the schema is RunEvent in
 * src/run/events.ts and ResultsWritten in src/ui/run-state.ts; README, "--json"). Non-finite numbers become
 * ±Number.MAX_VALUE, as in results.json. JSON.stringify escapes C0 controls; `visible` escapes what it leaves
 * (DEL, C1, bidi overrides) the same way, so a line is still JSON with the same strings and holds no character a
 * terminal acts on.
 */
import { visible } from '../util/escape.js';
import type { ReporterEvent } from './run-state.js';

export const jsonLine = (e: ReporterEvent): string =>
  `${visible(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v)))}\n`;
