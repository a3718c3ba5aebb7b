/** The map of reporters: which the flags pick, and several at once as views of one state. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ResultsJson, resultsTable } from '../../src/report/index.js';
import { jsonFileView, jsonLine } from '../../src/ui/json.js';
import { plainLines } from '../../src/ui/plain.js';
import { fanOut, type View } from '../../src/ui/reporter.js';
import { chooseReporters, makeReporters, REPORTERS } from '../../src/ui/reporters.js';
import { initialState, reduce, type ReporterEvent, type RunState } from '../../src/ui/run-state.js';

const at = 1_000;
const ESC = String.fromCharCode(27);
const events: ReporterEvent[] = [
  { type: 'runStarted', experiment: 'quick', backend: 'cpu', jobs: 2, workers: 1, at },
  { type: 'jobQueued', id: 'train/target/t', label: `train target ${ESC}[2Jt`, kind: 'train', at },
  { type: 'jobQueued', id: 'attack/loss', label: 'attack loss', kind: 'attack', at },
  { type: 'jobStarted', id: 'train/target/t', label: 'train target t', at },
  { type: 'jobFinished', id: 'train/target/t', label: 'train target t', ms: 1500, at: at + 1500 },
  { type: 'warning', message: 'disk nearly full', at: at + 1600 },
  { type: 'cacheHit', id: 'attack/loss', label: 'attack loss', at: at + 1700 },
  { type: 'runFinished', ok: true, ms: 2000, computed: 1, cached: 1, at: at + 2000 },
  { type: 'resultsWritten', results: '/r/results.json', report: null, summary: [], at: at + 2100 },
];
const dir = (): string => mkdtempSync(join(tmpdir(), 'mia-reporters-'));
const io = (lines: { out: string[]; err: string[] }, tty = false) => ({
  out: (s: string) => void lines.out.push(s),
  err: (s: string) => void lines.err.push(s),
  stdout: process.stdout,
  metrics: [],
  tty,
});

describe('choosing reporters', () => {
  it('keeps the flags: nothing → default, --json → json on stdout, --quiet → quiet, --json wins over --quiet', () => {
    expect(chooseReporters({ reporters: [], json: false, quiet: false })).toEqual([{ name: 'default' }]);
    expect(chooseReporters({ reporters: [], json: true, quiet: false })).toEqual([{ name: 'json' }]);
    expect(chooseReporters({ reporters: [], json: false, quiet: true })).toEqual([{ name: 'quiet' }]);
    expect(chooseReporters({ reporters: [], json: true, quiet: true })).toEqual([{ name: 'json' }]);
  });

  it('puts json=FILE beside the terminal view the flags pick, or beside the one named', () => {
    const d = dir();
    const a = join(d, 'a.jsonl');
    expect(chooseReporters({ reporters: [`json=${a}`], json: false, quiet: false })).toEqual([
      { name: 'default' },
      { name: 'json', file: a },
    ]);
    expect(chooseReporters({ reporters: [`json=${a}`], json: false, quiet: true })[0]).toEqual({ name: 'quiet' });
    expect(
      chooseReporters({ reporters: ['ink', `json=${a}`, `json=${join(d, 'b')}`], json: false, quiet: false }),
    ).toEqual([{ name: 'ink' }, { name: 'json', file: a }, { name: 'json', file: join(d, 'b') }]);
    expect(chooseReporters({ reporters: ['json=rel.jsonl'], json: false, quiet: false })[1]?.file).toBe(
      join(process.cwd(), 'rel.jsonl'),
    );
  });

  it('refuses two views for the terminal, an unknown name, a file where none is taken, a file twice', () => {
    const choose =
      (reporters: string[], json = false, quiet = false) =>
      () =>
        chooseReporters({ reporters, json, quiet });
    expect(choose(['ink', 'plain'])).toThrow('--reporter ink and --reporter plain all write to the terminal');
    expect(choose(['ink'], true)).toThrow('--reporter ink and --json all write to the terminal');
    expect(choose(['plain'], false, true)).toThrow('--reporter plain and --quiet');
    expect(choose(['jsno'])).toThrow('Unknown reporter "jsno" in --reporter jsno. Did you mean "json"?');
    expect(choose(['plain=log.txt'])).toThrow('plain writes to the terminal only');
    expect(choose(['json='])).toThrow('names no file');
    expect(choose(['json=x.jsonl', 'json=./x.jsonl'])).toThrow('is given twice');
    expect(Object.keys(REPORTERS).sort()).toEqual(['default', 'ink', 'json', 'plain', 'quiet']);
  });
});

describe('several reporters at once', () => {
  it('plain lines, JSON on stdout and JSON to a file, each what it is alone, from one fold', async () => {
    const d = dir();
    const file = join(d, 'events.jsonl');
    const lines = { out: [] as string[], err: [] as string[] };
    const choices = chooseReporters({ reporters: ['plain', `json=${file}`], json: false, quiet: false });
    const both = await makeReporters(choices, io(lines));
    for (const e of events) both.onEvent(e);
    await both.close();
    // plain alone: the lines of the states folded one by one, escaped
    let s = initialState();
    const alone: string[] = [];
    for (const e of events) {
      const next = reduce(s, e);
      alone.push(...plainLines(s, next, e).map((l) => `${l.replaceAll(ESC, '\\u001b')}\n`));
      s = next;
    }
    expect(lines.err).toEqual(alone);
    expect(lines.err.join('')).toContain('[1/2] ✓ train target \\u001b[2Jt (1.5s)');
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(events.map(jsonLine).join(''));
    const parsed = written
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ReporterEvent);
    expect(parsed).toEqual(events); // the strings as emitted, the terminal's characters escaped only as JSON does
    expect(parsed.at(-1)?.type).toBe('resultsWritten');
  });

  it('hands every view the same states, folded once per event', () => {
    const seen: RunState[][] = [[], []];
    const recorder = (i: number): View => ({ update: (_e, next) => void seen[i]!.push(next), close: async () => {} });
    const r = fanOut([recorder(0), recorder(1)]);
    for (const e of events) r.onEvent(e);
    expect(seen[0]).toHaveLength(events.length);
    seen[0]!.forEach((st, i) => expect(seen[1]![i]).toBe(st));
    expect(seen[0]!.at(-1)!.jobs['train/target/t']!.label).toBe('train target \\u001b[2Jt');
    expect(seen[0]!.at(-1)!.counts.cached).toBe(1);
  });
});

describe('the JSON file', () => {
  it('refuses a folder, a missing folder and a pipe with one line naming the file, before any event', () => {
    const d = dir();
    const errs: string[] = [];
    const say = (s: string) => void errs.push(s);
    mkdirSync(join(d, 'sub'));
    expect(() => jsonFileView(join(d, 'sub'), say)).toThrow(`${join(d, 'sub')} is not a regular file`);
    expect(() => jsonFileView(join(d, 'no', 'x.jsonl'), say)).toThrow(
      `The JSON lines file ${join(d, 'no', 'x.jsonl')} cannot be written (ENOENT)`,
    );
    execFileSync('mkfifo', [join(d, 'fifo')]);
    expect(() => jsonFileView(join(d, 'fifo'), say)).toThrow('is not a regular file');
    expect(errs).toEqual([]);
  });

  it('empties a file that was there, and closes once', async () => {
    const d = dir();
    const file = join(d, 'e.jsonl');
    execFileSync('sh', ['-c', `echo old > '${file}'`]);
    const v = jsonFileView(file, () => {});
    v.update(events[0]!, initialState(), initialState());
    await v.close();
    await v.close();
    expect(readFileSync(file, 'utf8')).toBe(jsonLine(events[0]!));
  });
});

describe('the end of a complete run', () => {
  const results: ResultsJson = {
    experiment: 'quick',
    seed: 1,
    backend: 'cpu',
    mia: '0',
    runs: [],
    expectations: [{ expectation: 'loss.auc < 0.9', holds: true, points: [] }],
  };
  const verdicts = `${JSON.stringify({ type: 'expectations', expectations: results.expectations })}\n`;

  it('plain: the table and the files on stdout; quiet: the table only; json: the verdicts before resultsWritten', async () => {
    const d = dir();
    const file = join(d, 'e.jsonl');
    const run = async (reporters: string[], quiet = false) => {
      const lines = { out: [] as string[], err: [] as string[] };
      const r = await makeReporters(chooseReporters({ reporters, json: false, quiet }), io(lines));
      for (const e of events.slice(0, -1)) r.onEvent(e);
      r.written(results);
      r.onEvent(events.at(-1)!);
      await r.close();
      r.end(results);
      return lines;
    };
    const table = `${resultsTable(results, [])}\n`;
    const plain = await run(['plain', `json=${file}`]);
    expect(plain.out).toEqual([table, 'results: /r/results.json\n']);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(`${lines.at(-3)}\n`).toBe(verdicts);
    expect(`${lines.at(-2)}\n`).toBe(jsonLine(events.at(-1)!));
    expect((await run([], true)).out).toEqual([table]);
    const json = await run(['json']);
    expect(json.out.slice(-2)).toEqual([verdicts, jsonLine(events.at(-1)!)]);
    expect(json.err).toEqual([]);
  });

  it('a JSON file whose writes fail (a full disk, /dev/full) says so once when it closes, and the run goes on', async () => {
    const errs: string[] = [];
    const v = jsonFileView('/dev/full', (s) => void errs.push(s));
    for (const e of events) v.update(e, initialState(), initialState());
    expect(errs).toEqual([]);
    await v.close();
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^mia: \/dev\/full: the JSON lines stop after 0 lines, a write failed \(ENOSPC/);
  });
});
