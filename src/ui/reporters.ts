/**
 * The reporters by name (vitest's ReportersMap is the model) and the one place that picks them from the flags.
 * Several run at once, each a view of one state (src/ui/reporter.ts): at most one owns the terminal (`default`:
 * Ink where stdout is a terminal, else plain lines; `ink`; `plain`; `quiet`; `json` on stdout), and any number of
 * `json=FILE` write JSON lines to files beside it.
 */
import { resolve } from 'node:path';
import type { MetricSpec } from '../kinds/program.js';
import { UsageError } from '../pipeline/errors.js';
import { suggest } from '../util/suggest.js';
import { jsonFileView, jsonView } from './json.js';
import { plainView } from './plain.js';
import { fanOut, type Reporter, type View, wantsColor } from './reporter.js';

export interface ReporterIo {
  out: (s: string) => void;
  err: (s: string) => void;
  stdout: NodeJS.WriteStream;
  metrics: readonly MetricSpec[];
  /** Whether stdout is a terminal (`default` is Ink there). */
  tty: boolean;
  /** Where a reporter that takes one writes (json=FILE); else the terminal. */
  file?: string;
}

type MakeView = (io: ReporterIo) => View | Promise<View>;

const ink: MakeView = async (io) => {
  const { inkView } = await import('./ink-reporter.js');
  return inkView({ stdout: io.stdout, out: io.out, metrics: io.metrics, color: wantsColor(process.env, io.stdout) });
};
const plain: MakeView = (io) => plainView(io);

export const REPORTERS = {
  default: (io) => (io.tty ? ink(io) : plain(io)),
  ink,
  plain,
  quiet: (io) => plainView({ ...io, quiet: true }),
  json: (io) => (io.file === undefined ? jsonView(io.out) : jsonFileView(io.file, io.err)),
} as const satisfies Record<string, MakeView>;

export type ReporterName = keyof typeof REPORTERS;
/** The reporters that may write to a file (NAME=FILE). */
const TO_FILE: readonly ReporterName[] = ['json'];

export interface ReporterChoice {
  name: ReporterName;
  file?: string;
}

/** Today's flags alone: `--json` → JSON lines on stdout; `--quiet` → the final table only; else `default`. */
export function pickReporter(o: { json: boolean; quiet: boolean }): ReporterName {
  if (o.json) return 'json';
  return o.quiet ? 'quiet' : 'default';
}

/** One `--reporter` value, NAME or NAME=FILE (FILE resolved against the working folder). */
export function parseReporter(value: string): ReporterChoice {
  const eq = value.indexOf('=');
  const word = eq < 0 ? value : value.slice(0, eq);
  const name = Object.keys(REPORTERS).find((n): n is ReporterName => n === word);
  if (name === undefined) {
    const near = suggest(word, Object.keys(REPORTERS));
    throw new UsageError(
      `Unknown reporter "${word}" in --reporter ${value}.${near ? ` Did you mean "${near}"?` : ''} Use one of: ${Object.keys(REPORTERS).join(', ')}.`,
    );
  }
  if (eq < 0) return { name };
  if (!TO_FILE.includes(name))
    throw new UsageError(
      `--reporter ${value}: ${name} writes to the terminal only; json=FILE is the one that takes a file.`,
    );
  const file = value.slice(eq + 1);
  if (file === '') throw new UsageError(`--reporter ${value} names no file: give json=FILE.`);
  return { name, file: resolve(file) };
}

/**
 * The reporters of a run: each `--reporter` (repeatable), plus the one today's flags pick for the terminal when no
 * `--reporter` names one. Two for the terminal, or one file twice, is a usage error.
 */
export function chooseReporters(o: { reporters: readonly string[]; json: boolean; quiet: boolean }): ReporterChoice[] {
  const chosen = o.reporters.map(parseReporter);
  const files = chosen.flatMap((c) => (c.file === undefined ? [] : [c.file]));
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new UsageError(`--reporter json=${twice} is given twice; give each file once.`);
  const terminal = chosen.filter((c) => c.file === undefined);
  if (terminal.length === 0) return [{ name: pickReporter(o) }, ...chosen];
  const flags = [...(o.json ? ['--json'] : []), ...(o.quiet ? ['--quiet'] : [])];
  const owners = [...terminal.map((c) => `--reporter ${c.name}`), ...flags];
  if (owners.length > 1)
    throw new UsageError(
      `${owners.join(' and ')} all write to the terminal; give one (json=FILE reporters go beside it).`,
    );
  return chosen;
}

/** The chosen reporters made (a file is created now, before the first job) and fed from one state. */
export async function makeReporters(choices: readonly ReporterChoice[], io: ReporterIo): Promise<Reporter> {
  const files = choices.filter((c) => c.file !== undefined); // first: a file refused leaves no terminal view open
  const views: View[] = [];
  try {
    for (const c of [...files, ...choices.filter((c) => c.file === undefined)])
      views.push(await REPORTERS[c.name]({ ...io, ...(c.file === undefined ? {} : { file: c.file }) }));
  } catch (e) {
    for (const v of views) await v.close();
    throw e;
  }
  return fanOut(views);
}
