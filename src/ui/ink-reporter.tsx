/** Drives the Ink view: folds events into the state and re-renders at most every RENDER_MS (and at the end). */
import { render } from 'ink';
import type { MetricSpec } from '../check/index.js';
import { visibleDeep } from '../util/escape.js';
import { initialState, type ReporterEvent, reduce } from './run-state.js';
import type { Reporter } from './reporter.js';
import { RunView } from './run-view.js';

export const RENDER_MS = 100;

export function inkReporter(o: {
  stdout: NodeJS.WriteStream;
  metrics: readonly MetricSpec[];
  color: boolean;
}): Reporter {
  let state = initialState();
  const width = (): number => Math.max(40, Math.min(o.stdout.columns || 80, 160));
  const view = () => <RunView state={state} metrics={o.metrics} now={Date.now()} width={width()} color={o.color} />;
  const app = render(view(), { stdout: o.stdout, patchConsole: false, exitOnCtrlC: false, maxFps: 1000 / RENDER_MS });
  let timer: NodeJS.Timeout | null = null;
  const paint = (): void => {
    timer = null;
    app.rerender(view());
  };
  // a clock tick keeps elapsed times moving while no event comes (a long attack job)
  const tick = setInterval(paint, 1000);
  tick.unref();
  return {
    showsTable: true,
    onEvent: (e: ReporterEvent) => {
      state = reduce(state, visibleDeep(e)); // Ink writes to the terminal itself: names and errors escaped here
      if (!timer) timer = setTimeout(paint, RENDER_MS);
    },
    close: async () => {
      clearInterval(tick);
      if (timer) clearTimeout(timer);
      paint();
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
