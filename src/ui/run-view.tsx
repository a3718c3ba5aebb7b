/**
 * The live terminal view (Ink): a pure function of the run state. Settled jobs scroll away above
 * (<Static>); below stay the jobs by kind, a bar per running training job (epoch/epochs, loss, speed),
 * failures with their first error line, overall progress with ETA and throughput, and at the end the
 * table of attacks × metrics. Every line fits `width` columns; `color: false` (NO_COLOR) drops colour.
 */
import { Box, Static, Text } from 'ink';
import type { MetricSpec } from '../check/index.js';
import { type JobState, overall, type RunState, workerRows } from './run-state.js';
import { bar, cacheSummary, clock, firstLine, fit, rate } from './format.js';
import { resultLines } from './results-table.js';

export interface RunViewProps {
  state: RunState;
  metrics: readonly MetricSpec[];
  /** The wall clock (for elapsed times between events); default the state's latest event. */
  now?: number;
  width?: number;
  color?: boolean;
}

const SYMBOL: Record<string, [string, string]> = {
  finished: ['✓', 'green'],
  cached: ['✓', 'blue'],
  failed: ['✗', 'red'],
  cancelled: ['-', 'yellow'],
  skipped: ['·', 'gray'],
};

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

function settledText(j: JobState): string {
  switch (j.status) {
    case 'finished':
      return `${j.label} (${secs(j.ms ?? 0)})`;
    case 'cached':
      return `${j.label} (cached)`;
    case 'failed':
      return `${j.label}: ${firstLine(j.error ?? '')}`;
    case 'cancelled':
      return `${j.label}: not run, ${j.because} failed`;
    default:
      return `${j.label} (not needed)`;
  }
}

function Settled({ job, width, color }: { job: JobState; width: number; color: boolean }) {
  const [sym, c] = SYMBOL[job.status] ?? ['?', 'white'];
  return (
    <Text>
      <Text color={color ? c : undefined}>{sym}</Text> {fit(settledText(job), width - 2)}
    </Text>
  );
}

/** Jobs of each kind, in the plan's order of kinds: settled/total, with how many run now. */
function kindSummary(s: RunState): string {
  const kinds = new Map<string, { total: number; settled: number; running: number }>();
  for (const id of s.order) {
    const j = s.jobs[id]!;
    const k = kinds.get(j.kind) ?? { total: 0, settled: 0, running: 0 };
    k.total++;
    if (j.status === 'running') k.running++;
    else if (j.status !== 'queued') k.settled++;
    kinds.set(j.kind, k);
  }
  return [...kinds]
    .map(([kind, k]) => `${kind.replace('_', ' ')} ${k.settled}/${k.total}${k.running ? ` ▸${k.running}` : ''}`)
    .join('  ');
}

function RunningJob({ job, now, width, color }: { job: JobState; now: number; width: number; color: boolean }) {
  const labelW = Math.min(28, Math.max(12, width - 52));
  const label = fit(job.label, labelW).padEnd(labelW);
  const elapsed = clock(now - (job.startedAt ?? now));
  if (job.train || job.kind === 'train') {
    const t = job.train;
    const epoch = t ? `${t.epoch}/${t.epochs}` : `${Math.floor(job.done ?? 0)}/${job.total ?? '?'}`;
    const loss = t?.loss !== undefined ? ` loss ${t.loss.toFixed(3)}` : '';
    const speed = t?.recordsPerSec ? ` ${rate(t.recordsPerSec)}/s` : '';
    const barW = Math.max(6, Math.min(20, width - labelW - 2 - 8 - loss.length - speed.length - 6));
    return (
      <Text>
        {'  '}
        {label} <Text color={color ? 'cyan' : undefined}>{bar((job.done ?? 0) / (job.total ?? 1), barW)}</Text>{' '}
        {fit(`${epoch.padStart(5)}${loss}${speed}`, width - labelW - barW - 4)}
      </Text>
    );
  }
  const steps = job.total ? ` ${Math.floor(job.done ?? 0)}/${job.total}` : '';
  return (
    <Text>
      {'  '}
      {label} <Text dimColor={color}>{fit(`running ${elapsed}${steps}`, width - labelW - 3)}</Text>
    </Text>
  );
}

function Overall({ state, now, width, color }: { state: RunState; now: number; width: number; color: boolean }) {
  const o = overall({ ...state, now: Math.max(state.now, now) });
  const elapsed = state.startedAt === null ? 0 : Math.max(state.now, now) - state.startedAt;
  const tail = [
    `${String(Math.floor(o.fraction * 100)).padStart(3)}%`,
    `${state.settled.length}/${Math.max(state.planned, state.order.length)} jobs`,
    clock(elapsed),
    o.etaMs !== null && !state.finished ? `ETA ${clock(o.etaMs)}` : '',
    o.recordsPerSec > 0 ? `${rate(o.recordsPerSec)} rec/s` : '',
  ]
    .filter(Boolean)
    .join('  ');
  const barW = Math.max(10, Math.min(30, width - tail.length - 3));
  return (
    <Text>
      <Text color={color ? 'green' : undefined}>{bar(o.fraction, barW)}</Text> {fit(tail, width - barW - 1)}
    </Text>
  );
}

export function RunView({ state, metrics, now, width = 80, color = true }: RunViewProps) {
  const clockNow = Math.max(state.now, now ?? 0);
  // jobs the cache spared are not listed one by one: one line below says how many
  const settled = state.settled
    .map((id) => state.jobs[id]!)
    .filter((j) => j.status !== 'cached' && j.status !== 'skipped');
  const spared = cacheSummary(state.counts.cached, state.counts.skipped);
  const running = state.order.map((id) => state.jobs[id]!).filter((j) => j.status === 'running');
  const failed = state.order.map((id) => state.jobs[id]!).filter((j) => j.status === 'failed');
  const queued = workerRows(state);
  const n = queued.length > 0 ? queued.length : state.workers;
  const head = `mia ${state.experiment ?? ''} · ${state.backend ?? ''} · ${n} ${queued.length > 0 ? 'queue ' : ''}worker${n === 1 ? '' : 's'}`;
  const status = statusLine(state.counts);
  return (
    <>
      <Static items={settled}>{(j) => <Settled key={j.id} job={j} width={width} color={color} />}</Static>
      <Box flexDirection="column">
        <Text bold>{fit(head, width)}</Text>
        <Text>{fit(kindSummary(state), width)}</Text>
        <Text dimColor={color}>{fit(status, width)}</Text>
        {spared ? <Text color={color ? 'blue' : undefined}>{fit(`✓ ${spared}`, width)}</Text> : null}
        <QueueWorkers rows={queued} width={width} color={color} />
        {running.map((j) => (
          <RunningJob key={j.id} job={j} now={clockNow} width={width} color={color} />
        ))}
        {failed.slice(-3).map((j) => (
          <Text key={j.id} color={color ? 'red' : undefined}>
            {fit(`✗ ${j.label}: ${firstLine(j.error ?? '')}`, width)}
          </Text>
        ))}
        {state.warnings.length ? (
          <Text color={color ? 'yellow' : undefined}>
            {state.warnings
              .slice(-2)
              .map((w) => fit(`! ${w}`, width))
              .join('\n')}
          </Text>
        ) : null}
        <Overall state={state} now={clockNow} width={width} color={color} />
        {state.finished ? <Text>{fit(finishedLine(state), width)}</Text> : null}
        {state.results ? (
          <Box flexDirection="column" marginTop={1}>
            {resultLines(state.results.summary, metrics, width).map((l) => (
              <Text key={l.key} bold={l.bold} dimColor={color && l.dim}>
                {l.text}
              </Text>
            ))}
            <Text>{fit(`results: ${state.results.results}`, width)}</Text>
            {state.results.report ? <Text>{fit(`report:  ${state.results.report}`, width)}</Text> : null}
          </Box>
        ) : null}
      </Box>
    </>
  );
}

/** How many jobs are in each state. */
function statusLine(c: RunState['counts']): string {
  return [
    `${c.finished} computed`,
    c.running ? `${c.running} running` : '',
    `${c.cached} cached`,
    c.failed ? `${c.failed} failed` : '',
    c.cancelled ? `${c.cancelled} not run` : '',
    c.skipped ? `${c.skipped} not needed` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function QueueWorkers({ rows, width, color }: { rows: ReturnType<typeof workerRows>; width: number; color: boolean }) {
  return rows.map((w) => (
    <Text key={w.worker} dimColor={color}>
      {fit(workerLine(w), width)}
    </Text>
  ));
}

/** A queue worker: name, slots, running and finished jobs, throughput. */
export function workerLine(w: ReturnType<typeof workerRows>[number]): string {
  const pace = w.perMinute === null ? '' : `, ${w.perMinute.toFixed(1)} jobs/min`;
  return `  ⚙ ${w.worker} (${w.slots} slot${w.slots === 1 ? '' : 's'}): ${w.running} running, ${w.jobs} done${pace}`;
}

function finishedLine(s: RunState): string {
  const f = s.finished!;
  const how = f.interrupted ? 'stopped' : f.ok ? 'finished' : 'finished with failures';
  return `${how} in ${secs(f.ms)}: ${f.computed ?? 0} computed, ${f.cached ?? 0} from the cache${f.failed ? `, ${f.failed} failed` : ''}`;
}
