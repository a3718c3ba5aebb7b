/**
 * The one place that picks the reporter: `--json` → JSON lines on stdout; `--quiet` → nothing while
 * running (the final table only); stdout a TTY → the live Ink view; otherwise plain lines on stderr.
 * Every reporter is a view of the state folded by src/ui/run-state.ts.
 */
import type { MetricSpec } from '../check/index.js';
import { initialState, type ReporterEvent, reduce } from './run-state.js';
import { jsonLine } from './json.js';
import { plainLines } from './plain.js';
import { visible } from '../util/escape.js';

export type ReporterKind = 'ink' | 'plain' | 'json' | 'quiet';

export interface Reporter {
  onEvent: (e: ReporterEvent) => void;
  /** Renders the last state and lets go of the terminal. */
  close: () => Promise<void>;
  /** Whether the view shows the final table itself (else the command prints it). */
  showsTable: boolean;
}

export function pickReporter(o: { json: boolean; quiet: boolean; tty: boolean }): ReporterKind {
  if (o.json) return 'json';
  if (o.quiet) return 'quiet';
  return o.tty ? 'ink' : 'plain';
}

/** Colour unless NO_COLOR is set (non-empty) or the terminal has none. */
export const wantsColor = (env: NodeJS.ProcessEnv, stream: { hasColors?: () => boolean }): boolean =>
  !env.NO_COLOR && (env.FORCE_COLOR !== undefined || (stream.hasColors?.() ?? false));

export function plainReporter(write: (s: string) => void): Reporter {
  let state = initialState();
  return {
    showsTable: false,
    onEvent: (e) => {
      const next = reduce(state, e);
      for (const line of plainLines(state, next, e)) write(`${visible(line)}\n`);
      state = next;
    },
    close: async () => {},
  };
}

export const jsonReporter = (write: (s: string) => void): Reporter => ({
  showsTable: true, // the table's numbers are in the last event; nothing else goes to stdout
  onEvent: (e) => write(jsonLine(e)),
  close: async () => {},
});

const quietReporter = (): Reporter => ({ showsTable: false, onEvent: () => {}, close: async () => {} });

export async function makeReporter(
  kind: ReporterKind,
  io: {
    out: (s: string) => void;
    err: (s: string) => void;
    stdout: NodeJS.WriteStream;
    metrics: readonly MetricSpec[];
  },
): Promise<Reporter> {
  switch (kind) {
    case 'json':
      return jsonReporter(io.out);
    case 'quiet':
      return quietReporter();
    case 'plain':
      return plainReporter(io.err);
    case 'ink': {
      const { inkReporter } = await import('./ink-reporter.js');
      return inkReporter({ stdout: io.stdout, metrics: io.metrics, color: wantsColor(process.env, io.stdout) });
    }
  }
}
