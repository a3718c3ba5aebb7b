/**
 * The JSON-lines view: each event as one line, exactly as emitted (the schema is RunEvent in
 * src/run/events.ts and ResultsWritten in src/ui/run-state.ts; README, "--json"). Non-finite numbers become
 * ±Number.MAX_VALUE, as in results.json. JSON.stringify escapes C0 controls; `visible` escapes what it leaves
 * (DEL, C1, bidi overrides) the same way, so a line is still JSON with the same strings and holds no character a
 * terminal acts on. On stdout (`--json`) or to a file (`--reporter json=FILE`), beside a terminal view.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { UserError } from '../pipeline/errors.js';
import type { ResultsJson } from '../report/index.js';
import { visible } from '../util/escape.js';
import type { View } from './reporter.js';
import type { ReporterEvent } from './run-state.js';

export const jsonLine = (e: ReporterEvent): string =>
  `${visible(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) : v)))}\n`;

/** The line with the expectations' verdicts, written just before `resultsWritten` when the spec has some. */
const expectationsLine = (r: ResultsJson): string | null =>
  r.expectations ? `${JSON.stringify({ type: 'expectations', expectations: r.expectations })}\n` : null;

/** Every event, and the verdicts, as a line through `write`. */
export function jsonView(write: (s: string) => void, close: () => void = () => {}): View {
  return {
    update: (e) => write(jsonLine(e)),
    written: (r) => {
      const line = expectationsLine(r);
      if (line !== null) write(line);
    },
    close: async () => close(),
  };
}

/**
 * JSON lines to a file, created (or emptied) now, before the first job, and written as events come (another
 * program may follow it). A failed write stops the file there and is said once on `err` when the view closes.
 */
export function jsonFileView(path: string, err: (s: string) => void): View {
  let fd: number | null = openFile(path);
  let failed: string | null = null;
  let lines = 0;
  const write = (s: string): void => {
    if (fd === null || failed !== null) return;
    try {
      writeSync(fd, s);
      lines++;
    } catch (e) {
      failed = e instanceof Error ? e.message : String(e);
    }
  };
  const close = (): void => {
    if (fd === null) return;
    closeSync(fd);
    fd = null;
    if (failed !== null) err(`mia: ${path}: the JSON lines stop after ${lines} lines, a write failed (${failed}).\n`);
  };
  return jsonView(write, close);
}

/** A new or regular file (or a device such as /dev/null): a pipe nobody reads would stop the run at the first line. */
function openFile(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && !st.isFile() && !st.isCharacterDevice())
    throw new UserError(
      `The JSON lines file ${path} is not a regular file (a folder, pipe or socket). Choose another FILE in --reporter json=FILE.`,
    );
  try {
    return openSync(path, 'w');
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new UserError(
      `The JSON lines file ${path} cannot be written (${why}). Choose another FILE in --reporter json=FILE.`,
    );
  }
}
