/**
 * Bad data files through `mia plan` and `mia run`: exit 1, the file (and line or record) in the
 * message, what to do, no stack trace, and nothing written to the cache; all before any training.
 * The CLI's `main` runs in this process for most cases (a spawn costs a second of CPU for node and the
 * imports alone); the cases marked `spawn`, and `mia run`, go through bin/mia.js in a child process.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinicCsv, npyFile, rng } from './data-helpers.js';
import { runMain } from '../cli/in-process.js';
import { mia, tempDir } from './helpers.js';
import { bruteMetrics } from './independent-metrics.js';

const spec = (
  dataset: string,
  layers = 'dense(8, relu), dense(classes, softmax)',
  take = 20,
) => `experiment bad { seed 1 }
${dataset}
model m {
  layers [${layers}]
  train { optimizer: adam(0.01), epochs: 1, batch: 32 }
}
target t { model m, members d.take(${take}), nonmembers d.take(${take}) }
attack loss = threshold { signal: loss }
`;

const idxFile = (dims: number[], data: Uint8Array, magic = 0x800): Buffer => {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
};
const labels = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 2);
const csvText = clinicCsv(100);
const lines = csvText.split('\n');

/** A model.json of one dense layer on `input` features with `units` outputs, and its weights.bin. */
function modelFiles(dir: string, input: number, units: number): void {
  const layer = {
    class_name: 'Dense',
    config: { name: 'd', units, activation: 'softmax', batch_input_shape: [null, input] },
  };
  const json = {
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [layer] } },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'd/kernel', shape: [input, units], dtype: 'float32' },
          { name: 'd/bias', shape: [units], dtype: 'float32' },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(4 * (input * units + units)));
}

interface Case {
  name: string;
  /** The data file is fine (the spec is not): its parse may be cached, no job is. */
  validData?: boolean;
  /** Run as the real command in a child process (the others call the CLI's `main` in this process). */
  spawn?: boolean;
  files?: Record<string, string | Buffer>;
  spec: string;
  expect: RegExp;
  setup?: (dir: string) => void;
}

const CSV = (extra = '') => `dataset d = csv("c.csv") { label: "Outcome", missing: "NA"${extra} }`;
/** The clinic file with line `at` (1-based) changed by `f`. */
const edit = (at: number, f: (line: string) => string) => lines.map((l, i) => (i === at - 1 ? f(l) : l)).join('\n');
/** A table `id, x, y` of `n` rows, every id distinct. */
const idCsv = (n: number) =>
  `id, x, y\n${Array.from({ length: n }, (_, i) => `patient-${i}, ${i % 7}, ${i % 2 ? 'a' : 'b'}`).join('\n')}\n`;

const CASES: Case[] = [
  {
    name: 'a missing file',
    spawn: true,
    spec: CSV(),
    expect: /c\.csv: The data file does not exist or cannot be read; check the path/,
  },
  { name: 'an empty file', files: { 'c.csv': '' }, spec: CSV(), expect: /c\.csv: The data file is empty/ },
  {
    name: 'a short row',
    files: { 'c.csv': [...lines.slice(0, 4), '33, north', ...lines.slice(5)].join('\n') },
    spec: CSV(),
    expect: /c\.csv:5: .*2 fields.*5/,
  },
  {
    name: 'a long row',
    files: { 'c.csv': [...lines.slice(0, 6), `${lines[6]}, 7`, ...lines.slice(7)].join('\n') },
    spec: CSV(),
    expect: /c\.csv:7: .*6 fields.*5/,
  },
  {
    name: 'text in a numeric column',
    files: { 'c.csv': [...lines.slice(0, 9), lines[9]!.replace(/^\d+/, 'forty'), ...lines.slice(10)].join('\n') },
    spec: CSV(', categorical: ["Ward", "Outcome", "Smoker"]'),
    expect: /c\.csv:10: .*"forty".*Patient Age/,
  },
  {
    name: 'a word in a numeric column that is no missing marker',
    files: { 'c.csv': edit(12, (l) => l.replace(/^(\d+, \w+, \w+, )\w+/, '$1abc')) },
    spec: CSV(),
    expect:
      /c\.csv:12: The value "abc" in the numeric column "Blood Pressure" is not a number \(.*\)\. Fix it, add it to the missing markers \(missing: "abc"\), or force/,
  },
  {
    name: 'a control character (U+001F) in a cell',
    files: { 'c.csv': edit(8, (l) => l.replace(/, (\w+), /, ', $1\u001f, ')) },
    spec: CSV(),
    expect: /c\.csv:8: The column "Ward" holds a control character \(U\+001F\)/,
  },
  {
    name: 'a NUL in a cell',
    files: { 'c.csv': edit(9, (l) => `${l.slice(0, 2)}\u0000${l.slice(2)}`) },
    spec: CSV(),
    expect: /c\.csv:9: The column "Patient Age" holds a control character \(U\+0000\)/,
  },
  {
    name: 'an ID-like text column',
    files: { 'c.csv': idCsv(100) },
    spec: 'dataset d = csv("c.csv") { label: "y" }',
    expect: /c\.csv: The text column "id" has 100 distinct values in 100 rows .*Leave it out with drop: \["id"\]/,
  },
  {
    name: 'an unknown column in drop',
    spawn: true,
    files: { 'c.csv': csvText },
    spec: CSV(', drop: ["Wards"]'),
    expect: /c\.csv: The column "Wards" in drop is not in the header\. Did you mean "Ward"\?/,
  },
  {
    name: 'every feature column dropped',
    files: { 'c.csv': idCsv(100) },
    spec: 'dataset d = csv("c.csv") { label: "y", drop: ["id", "x"] }',
    expect: /c\.csv: Every column but the label "y" is dropped: the records would have no feature/,
  },
  {
    name: 'a header naming a column twice',
    files: { 'c.csv': csvText.replace('Smoker', 'Ward') },
    spec: CSV(),
    expect: /c\.csv:1: The header names the column "Ward" twice \(columns 1 and 4/,
  },
  {
    name: 'a UTF-16 file without a byte-order mark',
    files: { 'c.csv': Buffer.from(csvText, 'utf16le') },
    spec: CSV(),
    expect: /c\.csv: The file looks like UTF-16 without a byte-order mark .*Save it as UTF-8/,
  },
  {
    name: 'a numeric label that overflows',
    files: {
      'c.csv': `a, y\n${Array.from({ length: 40 }, (_, i) => `${i}, ${i === 17 ? '1e999' : i % 2}`).join('\n')}\n`,
    },
    spec: 'dataset d = csv("c.csv") { label: "y" }',
    expect: /c\.csv:19: The label "1e999" in "y" is not a finite number \(it overflows\)/,
  },
  {
    name: 'npy records without features, shape (n, 0)',
    files: {
      'x.npy': npyFile('<f4', [40, 0], new Float32Array(0)),
      'y.npy': npyFile('<i4', [40], Int32Array.from(labels(40))),
    },
    spec: 'dataset d = npy("x.npy", "y.npy")',
    expect: /x\.npy: The features have shape \(40, 0\): each record has no feature/,
  },
  {
    name: 'a stray npy label 10⁹',
    files: {
      'x.npy': npyFile('<f4', [40, 2], new Float32Array(80)),
      'y.npy': npyFile(
        '<i4',
        [40],
        Int32Array.from({ length: 40 }, (_, i) => (i === 23 ? 1e9 : i % 2)),
      ),
    },
    spec: 'dataset d = npy("x.npy", "y.npy")',
    expect: /y\.npy \(record 23\): The label 1000000000 is not a class index 0\.\.999/,
  },
  {
    name: 'IDX images of 0×0 pixels',
    files: { 'i.idx': idxFile([40, 0, 0], new Uint8Array(0)), 'l.idx': idxFile([40], labels(40)) },
    spec: 'dataset d = idx("i.idx", "l.idx")',
    expect: /i\.idx: The images are 0×0 pixels: the records would have no feature/,
  },
  {
    name: 'an unknown label column',
    files: { 'c.csv': csvText },
    spec: 'dataset d = csv("c.csv") { label: "Outcom" }',
    expect: /c\.csv: There is no column "Outcom".*Did you mean "Outcome"/,
  },
  {
    name: 'a single class',
    files: { 'c.csv': csvText.replace(/readmitted/g, 'home') },
    spec: CSV(),
    expect: /c\.csv: Every kept row has the label "home" in "Outcome"/,
  },
  {
    name: 'a take larger than the rows',
    validData: true,
    files: { 'c.csv': csvText },
    spec: spec(CSV(), undefined, 80),
    expect: /e\.mia:\d+:\d+: error\[E410\].*\d+ records/s,
  },
  {
    name: 'a class filter naming an absent class',
    validData: true,
    files: { 'c.csv': csvText },
    spec: spec(CSV()).replace('members d.take(20),', 'members d.take(20).classes([1, 5]),'),
    expect: /error\[E410\]: Dataset "d" has 2 classes \(0 to 1\); classes\(\[1, 5\]\) names 5/,
  },
  {
    name: 'NaN in a .npy file',
    files: {
      'x.npy': npyFile('<f4', [4, 2], Float32Array.from([1, 2, 3, Number.NaN, 5, 6, 7, 8])),
      'y.npy': npyFile('<i4', [4], Int32Array.from([0, 1, 0, 1])),
    },
    spec: 'dataset d = npy("x.npy", "y.npy")',
    expect: /x\.npy \(record 1\): Feature 1 is NaN/,
  },
  {
    name: 'an unsupported npy dtype',
    files: {
      'x.npy': npyFile('<c8', [2, 2], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8])),
      'y.npy': npyFile('<i4', [2], Int32Array.from([0, 1])),
    },
    spec: 'dataset d = npy("x.npy", "y.npy")',
    expect: /x\.npy: .*<c8/,
  },
  {
    name: 'a bad IDX magic',
    files: { 'i.idx': idxFile([4, 2, 2], new Uint8Array(16), 0x900), 'l.idx': idxFile([4], labels(4)) },
    spec: 'dataset d = idx("i.idx", "l.idx")',
    expect: /i\.idx: .*signed byte/,
  },
  {
    name: 'a truncated IDX file',
    files: { 'i.idx': idxFile([40, 6, 6], new Uint8Array(100)), 'l.idx': idxFile([40], labels(40)) },
    spec: 'dataset d = idx("i.idx", "l.idx")',
    expect: /i\.idx: .*(truncated|bytes)/i,
  },
  {
    name: 'a wrong CIFAR batch size',
    files: { 'data/data_batch_1.bin': Buffer.alloc(3073 * 3 + 5) },
    spec: 'dataset d = cifar10("data")',
    expect: /data_batch_1\.bin: .*3,073-byte records.*this file has 9,224/,
  },
  {
    name: 'images smaller than a conv kernel',
    validData: true,
    files: { 'i.idx': idxFile([60, 6, 6], new Uint8Array(60 * 36)), 'l.idx': idxFile([60], labels(60)) },
    spec: spec('dataset d = idx("i.idx", "l.idx")', 'conv2d(4, 7), flatten, dense(classes, softmax)'),
    expect: /Layer 1 \(conv2d\) of model "m" has size 7 but its input is 6×6/,
  },
  {
    name: 'conv layers on tabular records',
    validData: true,
    files: { 'c.csv': csvText },
    spec: spec(CSV(), 'conv2d(4, 3), flatten, dense(classes, softmax)'),
    expect: /e\.mia:4:\d+: error\[E330\]: The layer conv2d of model "m" needs image data/,
  },
  {
    name: 'an imported model of the wrong shape',
    validData: true,
    files: { 'c.csv': csvText },
    setup: (dir) => modelFiles(dir, 3, 2),
    spec: `${spec(CSV()).replace(/target t \{ model m, members (.*?), nonmembers (.*?) \}/, 'target t = imported("model.json") { members: $1, nonmembers: $2 }')}`,
    expect: /model\.json: The model takes inputs of shape \[3\] but the data's records have shape \[\d+\]/,
  },
];

describe('bad data files are user errors before any training', () => {
  for (const c of CASES)
    it(`${c.name}: exit 1, the place in the message, nothing cached${c.spawn ? ' (child process)' : ''}`, async () => {
      const dir = tempDir();
      for (const [f, body] of Object.entries(c.files ?? {})) {
        if (f.includes('/')) mkdirSync(join(dir, f.split('/')[0]!), { recursive: true });
        writeFileSync(join(dir, f), body);
      }
      c.setup?.(dir);
      writeFileSync(join(dir, 'e.mia'), c.spec.includes('experiment') ? c.spec : spec(c.spec));
      const cache = join(dir, 'cache');
      const args = ['plan', join(dir, 'e.mia'), '--cache', cache];
      const r = c.spawn ? await mia(args) : await runMain(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(c.expect);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const entries = existsSync(cache) ? readdirSync(cache) : [];
      expect(entries.filter((n) => n !== 'datasets')).toEqual([]);
      if (!c.validData) expect(entries).toEqual([]);
    });

  it('mia run stops at a bad file with exit 1 and writes no results', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.csv'), [...lines.slice(0, 4), '33, north', ...lines.slice(5)].join('\n'));
    writeFileSync(join(dir, 'e.mia'), spec(CSV()));
    const r = await mia([
      'run',
      join(dir, 'e.mia'),
      '--out',
      join(dir, 'out'),
      '--cache',
      join(dir, 'cache'),
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/c\.csv:5: /);
    expect(existsSync(join(dir, 'out', 'results.json'))).toBe(false);
    expect(
      existsSync(join(dir, 'cache')) ? readdirSync(join(dir, 'cache')).filter((n) => !n.startsWith('.')) : [],
    ).toEqual([]);
  });
});

/** Issue 21: 2% `NA` in an income column made it one category per value (1,973 features, loss AUC 0.9995). */
describe('a numeric column with 2% NA markers', () => {
  it('is read as one numeric feature, its NA rows dropped, and the loss attack is near chance', async () => {
    const r = rng(11);
    const rows = ['age, income, hours, y'];
    for (let i = 0; i < 2000; i++) {
      const age = Math.round(20 + 50 * r());
      const income = Math.round(1000 + 100_000 * r());
      const hours = Math.round(20 + 40 * r());
      const rich = income / 1000 + age / 2 + 30 * r() > 80;
      rows.push(`${age}, ${i % 50 === 13 ? 'NA' : income}, ${hours}, ${rich ? '>50K' : '<=50K'}`);
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'income.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'e.mia'),
      `experiment income { seed 5 }
dataset d = csv("income.csv") { label: "y" }
model m {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 10, batch: 32 }
}
target t { model m, members d.take(500), nonmembers d.take(500) }
attack loss = threshold { signal: loss }
`,
    );
    const out = join(dir, 'out');
    const run = await mia(['run', join(dir, 'e.mia'), '--out', out, '--cache', join(dir, 'cache'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Read 2,000 rows: 3 features, 2 classes \(<=50K, >50K\)/);
    expect(run.stderr).toMatch(/Dropped 40 of 2,000 rows with a missing value \("NA"; income 40\)/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      runs: { attacks: { name: string; samples: { score: number[]; member: number[] } }[] }[];
    };
    const loss = res.runs[0]!.attacks.find((a) => a.name === 'loss')!;
    expect(loss.samples.score).toHaveLength(1000);
    const { auc } = bruteMetrics(loss.samples.score, loss.samples.member, []);
    expect(auc).toBeLessThan(0.7);
    expect(auc).toBeGreaterThan(0.3);
  });
});
