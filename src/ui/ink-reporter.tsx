/** The Ink view: re-renders the run state at most every RENDER_MS (and at the end); shows the table itself. */
import { render } from 'ink';
import type { MetricSpec } from '../kinds/program.js';
import { expectationsTable } from '../report/index.js';
import { initialState, type RunState } from './run-state.js';
import type { View } from './reporter.js';
import { RunView } from './run-view.js';

export const RENDER_MS = 100;

export function inkView(o: {
  stdout: NodeJS.WriteStream;
  out: (s: string) => void;
  metrics: readonly MetricSpec[];
  color: boolean;
}): View {
  let state: RunState = initialState();
  const width = (): number => Math.max(40, Math.min(o.stdout.columns || 80, 160));
  const view = () => <RunView state={state} metrics={o.metrics} now={Date.now()} width={width()} color={o.color} />;
  // drawn first on the first event (the plan's job count in it), never before: no "0/0 jobs" while the cache is read
  let app: ReturnType<typeof render> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const paint = (): void => {
    timer = null;
    if (app) app.rerender(view());
    else app = render(view(), { stdout: o.stdout, patchConsole: false, exitOnCtrlC: false, maxFps: 1000 / RENDER_MS });
  };
  // a clock tick keeps elapsed times moving while no event comes (a long attack job)
  const tick = setInterval(() => app && paint(), 1000);
  tick.unref();
  return {
    update: (_e, next) => {
      state = next; // its text made visible by fanOut: Ink writes to the terminal itself
      if (!app) paint();
      else if (!timer) timer = setTimeout(paint, RENDER_MS);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(tick);
      if (timer) clearTimeout(timer);
      if (!app) return;
      paint();
      app.unmount();
      await app.waitUntilExit();
    },
    end: (results) => {
      if (results.expectations?.length) o.out(`${expectationsTable(results.expectations)}\n`);
    },
  };
}
