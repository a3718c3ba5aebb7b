/**
 * ONNX targets with real files: experiments/onnx/make_model.py trains an MLP and a small CNN in PyTorch
 * and exports them (one python call for the whole file). The probabilities mia reads equal PyTorch's;
 * the loss attack's AUC from `mia run` equals scikit-learn's on PyTorch's own outputs, and so do the scores
 * from a CSV membership column and from augmented queries; a model whose input
 * does not fit the data, a corrupt file and a missing file each stop the plan with one clear line.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/index.js';
import { ModelFileError } from '../../src/ml/model-file.js';
import { onnxFacts, readOnnxBytes } from '../../src/ml/onnx-model.js';
import { queryOnnx } from '../../src/ml/onnx-runtime.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from './helpers.js';

const PY = '/usr/bin/python3';
interface PyOut {
  mlp: { probabilities: number[][]; loss_auc: number };
  cnn: { probabilities: number[][]; translate_1: number[] };
  csv_order: number[];
}
let dir = '';
let py: PyOut;

beforeAll(() => {
  dir = tempDir();
  const out = execFileSync(PY, [join(root, 'experiments/onnx/make_model.py'), dir], { encoding: 'utf8' });
  py = JSON.parse(out) as PyOut;
  for (const f of ['own-model.mia', 'own-model-csv.mia']) copyFileSync(join(root, 'experiments/onnx', f), join(dir, f));
}, 120_000);

const npy = (f: string) => parseNpy(readFileSync(join(dir, f)), f);

/** The model's probabilities as mia reads them (softmax of the logits it hands the attacks). */
async function probabilities(file: string, x: string, y: string): Promise<{ p: number[][]; layout: string }> {
  const xs = npy(x);
  const ys = npy(y);
  const shape = xs.shape.slice(1);
  const classes = Math.max(...Array.from(ys.data, Number)) + 1;
  const path = join(dir, file);
  const facts = onnxFacts(path, { shape, classes }, {});
  const data = { x: Float32Array.from(xs.data, Number), n: xs.shape[0]!, shape, classes };
  const logits = await queryOnnx(path, readOnnxBytes(path), facts, data);
  const p: number[][] = [];
  for (let i = 0; i < data.n; i++) {
    const row = Array.from(logits.subarray(i * classes, (i + 1) * classes));
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    p.push(e.map((v) => v / s));
  }
  return { p, layout: facts.layout };
}

const maxDiff = (a: number[][], b: number[][]): number =>
  Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

/** `mia run` of a spec in `dir`: its loss attack's AUC and, per record of its target's dataset, its score and membership. */
async function lossScores(spec: string, out: string) {
  const r = await runMain(['run', join(dir, spec), '--no-cache', '--out', join(dir, out), '--quiet']);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const res = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8'));
  const loss = res.runs[0].attacks.find((a: { name: string }) => a.name === 'loss');
  const s = loss.samples as { member: number[]; record: number[]; score: number[] };
  return { auc: loss.metrics.auc as number, byRecord: new Map(s.record.map((r, i) => [r, [s.score[i], s.member[i]]])) };
}

/** The run of own-model.mia (members and non-members as two npy datasets), once for the tests that read it. */
let npyRunOnce: ReturnType<typeof lossScores> | undefined;
const npyRun = () => (npyRunOnce ??= lossScores('own-model.mia', 'out'));

describe('ONNX models exported by PyTorch', () => {
  it("reads an MLP's probabilities (final Softmax) as PyTorch computes them, to 1e-6", async () => {
    const train = await probabilities('mlp.onnx', 'train_x.npy', 'train_y.npy');
    const held = await probabilities('mlp.onnx', 'held_x.npy', 'held_y.npy');
    expect(train.layout).toBe('flat');
    expect(maxDiff([...train.p, ...held.p], py.mlp.probabilities)).toBeLessThan(1e-6);
  });

  it("reads a CNN's probabilities (logits, NCHW read from its input) from images stored channels last, to 1e-6", async () => {
    const { p, layout } = await probabilities('cnn.onnx', 'img_x.npy', 'img_y.npy');
    expect(layout).toBe('nchw');
    expect(maxDiff(p, py.cnn.probabilities)).toBeLessThan(1e-6);
  });

  it("mia run: the loss attack's AUC equals scikit-learn's on PyTorch's outputs", async () => {
    const { auc, byRecord } = await npyRun();
    expect(auc).toBeCloseTo(py.mlp.loss_auc, 9);
    // The members are the records of train.npy (0..199 of train+held_out), the non-members held_out's.
    expect([...byRecord.values()].filter(([, m]) => m === 1)).toHaveLength(200);
    expect([...byRecord].every(([r, [, m]]) => (m === 1) === r < 200)).toBe(true);
  }, 60_000);

  it('applies an output defense to the ONNX target: rounded probabilities change the loss attack', async () => {
    const f = join(dir, 'defended.mia');
    const text = readFileSync(join(dir, 'own-model.mia'), 'utf8');
    writeFileSync(f, text.replace('nonmembers held_out }', 'nonmembers held_out, defenses [rounding(1)] }'));
    const r = await runMain(['run', f, '--no-cache', '--out', join(dir, 'out-defended'), '--quiet']);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'out-defended', 'results.json'), 'utf8'));
    expect(JSON.stringify(res.runs[0].target)).toContain('rounding');
    const auc = res.runs[0].attacks.find((a: { name: string }) => a.name === 'loss').metrics.auc;
    expect(Math.abs(auc - py.mlp.loss_auc)).toBeGreaterThan(1e-4);
  }, 60_000);
});

describe('members and non-members from a CSV membership column', () => {
  it('gives the same scores, record by record, and AUC as the two npy datasets of the same records', async () => {
    // records.csv holds train's and held_out's records shuffled, line i + 2 being record csv_order[i] of train+held_out.
    const csv = await lossScores('own-model-csv.mia', 'out-csv');
    const npys = await npyRun();
    expect(csv.auc).toBeCloseTo(py.mlp.loss_auc, 9);
    expect(csv.auc).toBe(npys.auc);
    expect(csv.byRecord.size).toBe(400);
    for (const [r, got] of csv.byRecord) expect(got).toEqual(npys.byRecord.get(py.csv_order[r]!));
    expect([...csv.byRecord.values()].filter(([, m]) => m === 1)).toHaveLength(200);
  }, 60_000);

  const base = () => readFileSync(join(dir, 'records.csv'), 'utf8').split('\n');
  for (const [what, edit, message] of [
    [
      'a value that is not 1/0, true/false or member/nonmember',
      (l: string[]) => l.with(4, l[4]!.replace(/^((?:[^,]*,){5})[^,]*/, '$1maybe')),
      /records\.csv:5: The membership column "member" holds "maybe" in this row; write 1 or 0, true or false, member or nonmember \(any case\)\./,
    ],
    [
      'an empty cell',
      (l: string[]) => l.with(9, l[9]!.replace(/^((?:[^,]*,){5})[^,]*/, '$1')),
      /records\.csv:10: The membership column "member" is empty in this row/,
    ],
    [
      'a column of one value',
      (l: string[]) => l.map((x, i) => (i === 0 || !x ? x : x.replace(/^((?:[^,]*,){5})[^,]*/, '$1TRUE'))),
      /records\.csv: Every record \(lines 2 to 401\) is a member in the membership column "member"; an attack needs members and non-members both\./,
    ],
    [
      'a missing column',
      (l: string[]) => l.with(0, l[0]!.replace('member', 'in_train')),
      /records\.csv: The column "member" in membership is not in the header\./,
    ],
  ] as const)
    it(`refuses ${what}: one line naming the file, line and column, exit 1, before any job`, async () => {
      const sub = join(dir, `csv-${what.length}`);
      mkdirSync(sub, { recursive: true });
      for (const f of ['mlp.onnx', 'own-model-csv.mia']) copyFileSync(join(dir, f), join(sub, f));
      writeFileSync(join(sub, 'records.csv'), edit(base()).join('\n'));
      const r = await runMain(['run', join(sub, 'own-model-csv.mia'), '--no-cache', '--out', join(sub, 'out')]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(sub, 'out', 'results.json'))).toBe(false);
    });
});

describe('ONNX files that cannot be used: one line each, exit 1, before any job', () => {
  const spec = (model: string) =>
    readFileSync(join(root, 'experiments/onnx/own-model.mia'), 'utf8').replace('"mlp.onnx"', `"${model}"`);
  for (const [what, model, write, message] of [
    [
      'an input that does not fit the data',
      'cnn.onnx',
      null,
      /cnn\.onnx: The model's input "x" \[batch, 1, 8, 8\] takes images, but the data's records are 10 features\./,
    ],
    [
      'a corrupt file',
      'bad.onnx',
      'not a model at all \u0001\u0002',
      /bad\.onnx: This is not a readable ONNX model: .*Export it again\./,
    ],
    ['a truncated file', 'cut.onnx', 'mlp', /cut\.onnx: This is not a readable ONNX model: /],
    ['a missing file', 'gone.onnx', null, /gone\.onnx: The ONNX model file does not exist; check the path/],
  ] as const)
    it(`refuses ${what}`, async () => {
      if (write === 'mlp') writeFileSync(join(dir, model), readFileSync(join(dir, 'mlp.onnx')).subarray(0, 300));
      else if (write) writeFileSync(join(dir, model), write);
      const f = join(dir, `${model}.mia`);
      writeFileSync(f, spec(model));
      const r = await runMain(['run', f, '--no-cache', '--out', join(dir, `out-${model}`), '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, `out-${model}`, 'results.json'))).toBe(false);
    });
});

describe('augmented queries on an ONNX target', () => {
  it("label-only with translate(1): each image's share of right copies equals PyTorch's on the shifted images", async () => {
    // The CNN trained on img's first 60 images; the takes below are mia's own draw (scores are compared per record).
    const f = join(dir, 'augmented.mia');
    writeFileSync(
      f,
      [
        'experiment aug { seed 1 }',
        'dataset img = npy("img_x.npy", "img_y.npy") { normalize: none, image: true }',
        'target cnn = onnx("cnn.onnx") { members img.take(60), nonmembers img.take(60) }',
        'attack aug = label_only { method: augmentation, augmentations: [translate(1)] }',
        '',
      ].join('\n'),
    );
    const r = await runMain(['run', f, '--no-cache', '--out', join(dir, 'out-aug'), '--quiet']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'out-aug', 'results.json'), 'utf8'));
    const { score, record } = res.runs[0].attacks[0].samples as { score: number[]; record: number[] };
    expect(score).toHaveLength(120);
    expect(new Set(score).size).toBeGreaterThan(2); // shares of 5 copies, not the record's 0 or 1 alone
    score.forEach((s, i) => expect(s).toBeCloseTo(py.cnn.translate_1[record[i]!]!, 12));
  }, 60_000);
});

describe('the ONNX graph reader on damaged bytes', () => {
  it('truncations and 150 seeded byte changes of a real file: facts or a ModelFileError, nothing else', () => {
    const good = readFileSync(join(dir, 'cnn.onnx'));
    const f = join(dir, 'damaged.onnx');
    const data = { shape: [8, 8, 1], classes: 2 };
    const outcome = (bytes: Uint8Array): string => {
      writeFileSync(f, bytes);
      try {
        onnxFacts(f, data, {});
        return 'read';
      } catch (e) {
        if (e instanceof ModelFileError && !e.message.includes('\n')) return 'refused';
        throw e;
      }
    };
    for (let n = 0; n < good.length; n += 13) expect(outcome(good.subarray(0, n))).toMatch(/read|refused/);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let k = 0; k < 150; k++) {
      const b = Buffer.from(good);
      b[next() % b.length] = next() % 256;
      expect(outcome(b)).toMatch(/read|refused/);
    }
  });
});
