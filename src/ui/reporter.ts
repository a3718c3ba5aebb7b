/**
 * Several reporters at once, one state: `fanOut` folds each event into the run state once (src/ui/run-state.ts)
 * and hands every view the event with the state before and after it. The map of views by name, and the one
 * place that picks them from the flags, is src/ui/reporters.ts.
 */
import type { ResultsJson } from '../report/index.js';
import { visibleDeep } from '../util/escape.js';
import { initialState, type ReporterEvent, reduce, type RunState } from './run-state.js';

/** One reporter: a view of the run state (the terminal's Ink or plain lines, JSON lines on stdout or to a file). */
export interface View {
  /** An event as emitted, and the state before and after it (its text already terminal-safe). */
  update(e: ReporterEvent, next: RunState, prev: RunState): void;
  /** results.json is written; called before its `resultsWritten` event (JSON lines write the verdicts here). */
  written?(results: ResultsJson): void;
  /** Renders the last state and lets go of the terminal or file; a second call does nothing. */
  close(): Promise<void>;
  /** After `close`, on a complete run: what the view prints last (the table, where the files went). */
  end?(results: ResultsJson): void;
}

/** What the run command drives: the views of one state. */
export interface Reporter {
  onEvent: (e: ReporterEvent) => void;
  written: (results: ResultsJson) => void;
  close: () => Promise<void>;
  end: (results: ResultsJson) => void;
}

/**
 * Every view fed from one fold. The state is the display's: each event's text is made `visible` before it is
 * folded (names and errors reach a terminal escaped); a view that writes the event itself (JSON) gets it as emitted.
 */
export function fanOut(views: readonly View[]): Reporter {
  let state = initialState();
  return {
    onEvent: (e) => {
      const prev = state;
      state = reduce(prev, visibleDeep(e));
      for (const v of views) v.update(e, state, prev);
    },
    written: (results) => {
      for (const v of views) v.written?.(results);
    },
    close: async () => {
      for (const v of views) await v.close();
    },
    end: (results) => {
      for (const v of views) v.end?.(results);
    },
  };
}

/** Colour unless NO_COLOR is set (non-empty) or the terminal has none. */
export const wantsColor = (env: NodeJS.ProcessEnv, stream: { hasColors?: () => boolean }): boolean =>
  !env.NO_COLOR && (env.FORCE_COLOR !== undefined || (stream.hasColors?.() ?? false));
