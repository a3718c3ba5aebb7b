/**
 * The plain view: a line per job as it settles, for pipes, CI and logs, on stderr; at the end the table and
 * where the files went on stdout. `--quiet` is the same view without the lines. A view of the run state.
 */
import type { MetricSpec } from '../kinds/program.js';
import { resultsTable } from '../report/index.js';
import { oneLine } from '../util/escape.js';
import { cacheSummary } from './format.js';
import type { View } from './reporter.js';
import type { JobState, ReporterEvent, RunState } from './run-state.js';

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

function settledLine(j: JobState): string {
  switch (j.status) {
    case 'finished':
      return `✓ ${j.label} (${secs(j.ms ?? 0)}${j.worker ? ` on ${j.worker}` : ''})`;
    case 'cached':
      return `✓ ${j.label} (cached)`;
    case 'failed':
      return `✗ ${j.label}: ${j.error}`;
    case 'cancelled':
      return `- ${j.label}: skipped, ${j.because} failed`;
    case 'skipped':
      return `· ${j.label} (not needed: ${j.because})`;
    default:
      return `${j.label}`;
  }
}

/** The lines an event adds, given the state before and after it (pure). */
export function plainLines(prev: RunState, next: RunState, e: ReporterEvent): string[] {
  const total = next.order.length;
  if (next.settled.length > prev.settled.length) {
    const n = next.settled.length;
    const j = next.jobs[next.settled[n - 1]!]!;
    if (j.status === 'cached' || j.status === 'skipped') return []; // said in one line when the cache pass ends
    return [`  [${String(n).padStart(String(total).length)}/${total}] ${settledLine(j)}`];
  }
  if (next.warnings.length > prev.warnings.length) return [`  ! ${next.warnings[next.warnings.length - 1]}`];
  return [...cachePassLine(prev, e), ...eventLines(prev, e)];
}

/**
 * The cache pass settles its jobs before any job starts: the first job to start (or the run's end, when
 * nothing had to run) follows it, and says what it spared in one line.
 */
function cachePassLine(prev: RunState, e: ReporterEvent): string[] {
  if (e.type !== 'jobStarted' && e.type !== 'runFinished') return [];
  const c = prev.counts;
  if (c.running + c.finished + c.failed > 0) return [];
  const line = cacheSummary(c.cached, c.skipped);
  return line ? [`  ✓ ${line}`] : [];
}

function eventLines(prev: RunState, e: ReporterEvent): string[] {
  switch (e.type) {
    case 'jobWorker':
      return prev.queueWorkers[e.worker] ? [] : [`  + worker ${e.worker} (${e.slots} slot${e.slots === 1 ? '' : 's'})`];
    case 'runStarted':
      return [
        `mia: ${e.experiment}: ${e.jobs} jobs on the ${e.backend} backend${e.workers ? `, ${e.workers} worker${e.workers === 1 ? '' : 's'}` : ''}`,
      ];
    case 'runFinished':
      return [
        `mia: ${e.interrupted ? 'stopped' : e.ok ? 'finished' : 'finished with failures'} in ${secs(e.ms)}${e.computed !== undefined ? `: ${e.computed} computed, ${e.cached ?? 0} from the cache` : ''}${e.failed ? `, ${e.failed} failed` : ''}${e.cancelled ? `, ${e.cancelled} not run` : ''}`,
      ];
    default:
      return [];
  }
}

/** Lines per settled job on `err` (unless quiet), then the table and the files' paths (unless quiet) on `out`. */
export function plainView(o: {
  out: (s: string) => void;
  err: (s: string) => void;
  metrics: readonly MetricSpec[];
  quiet?: boolean;
}): View {
  let last: RunState | null = null;
  return {
    update: (e, next, prev) => {
      last = next;
      if (!o.quiet) for (const line of plainLines(prev, next, e)) o.err(`${oneLine(line)}\n`);
    },
    close: async () => {},
    end: (results) => {
      o.out(`${resultsTable(results, [...o.metrics])}\n`);
      const files = last?.results;
      if (o.quiet || !files) return;
      o.out(`results: ${files.results}\n${files.report ? `report: ${files.report}\n` : ''}`);
    },
  };
}
