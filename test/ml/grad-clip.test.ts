/**
 * `grad_clip` (src/ml/train-settings/grad-clip.ts), the training setting added as one file and one line:
 * it changes training as clipping by global norm must (one SGD step is the unclipped one scaled to norm
 * rate × c), leaves training bit-identical when the norm never reaches it, and reaches the plan (its own
 * hash) only where written, sweepable and bounded like every other setting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainDef } from '../../src/kinds/program.js';
import { buildModel, initBackend, trainModel, type TrainData } from '../../src/ml/index.js';
import { compile, type DatasetInfo } from '../../src/plan/index.js';
import { makeRng } from '../../src/util/rng.js';
import { check } from '../check/helpers.js';
import { program } from '../plan/helpers.js';

function data(n: number): TrainData {
  const rng = makeRng(3);
  const x = Float32Array.from({ length: n * 8 }, () => rng.normal() * 3);
  const y = Int32Array.from({ length: n }, (_, r) => (x[r * 8]! + x[r * 8 + 1]! > 0 ? 1 : 0));
  return { x, y, n, shape: [8], classes: 2 };
}

const base: TrainDef = {
  optimizer: { kind: 'sgd', rate: 0.5, momentum: 0 },
  epochs: 1,
  batch: 64,
  l2: 0,
  earlyStopping: null,
  labelSmoothing: 0,
};

/** The weights before and after training with `def` (one model, seeded alike each time). */
async function weights(def: TrainDef, d: TrainData): Promise<{ before: Float32Array; after: Float32Array }> {
  const layers = [
    { kind: 'dense', units: 16, activation: 'relu' },
    { kind: 'dense', units: 'classes', activation: 'softmax' },
  ];
  const model = buildModel({ layers, inputShape: [8], classes: 2, seed: 5 });
  const flat = (): Float32Array =>
    Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync() as Float32Array)));
  const before = flat();
  await trainModel(model, d, def, 9);
  const after = flat();
  model.dispose();
  return { before, after };
}

const norm = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const delta = (w: { before: Float32Array; after: Float32Array }): Float64Array =>
  Float64Array.from(w.after, (a, i) => a - w.before[i]!);

describe('grad_clip', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const d = data(64);

  it('scales one SGD step to the norm rate × c, in the direction of the unclipped step', async () => {
    const free = delta(await weights(base, d));
    const c = 0.05;
    const clipped = delta(await weights({ ...base, gradClip: c }, d));
    expect(norm(free)).toBeGreaterThan(base.optimizer.rate * c * 2); // the gradient is clipped at all
    expect(norm(clipped)).toBeCloseTo(base.optimizer.rate * c, 4);
    const cosine = free.reduce((s, x, i) => s + x * clipped[i]!, 0) / (norm(free) * norm(clipped));
    expect(cosine).toBeCloseTo(1, 5);
  });

  it('trains bit-identically when the norm stays below it, and differently when it does not (Adam, several steps)', async () => {
    const adam: TrainDef = { ...base, optimizer: { kind: 'adam', rate: 0.01 }, epochs: 3, batch: 16 };
    const plain = await weights(adam, d);
    expect(Array.from((await weights({ ...adam, gradClip: 1e9 }, d)).after)).toEqual(Array.from(plain.after));
    const clipped = await weights({ ...adam, gradClip: 1e-3 }, d);
    expect(Array.from(clipped.after)).not.toEqual(Array.from(plain.after));
  });
});

describe('grad_clip in a spec', () => {
  const spec = (train: string, extra = ''): string => `experiment t { seed 4 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { ${train} } }
target victim { model m, members digits.take(200), nonmembers digits.take(200) }
attack loss = threshold { signal: loss }
${extra}`;
  const datasets: DatasetInfo[] = [
    { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
  ];
  const trainHash = (src: string): string => compile(program(src), datasets, 'wasm').value!.jobs[0]!.hash;

  it('is read into the TrainDef only where written, and changes the train job hash only then', () => {
    expect('gradClip' in program(spec('epochs: 2')).models[0]!.train).toBe(false);
    expect(program(spec('epochs: 2, grad_clip: 1.5')).models[0]!.train.gradClip).toBe(1.5);
    expect(trainHash(spec('epochs: 2, grad_clip: 1.5'))).not.toBe(trainHash(spec('epochs: 2')));
  });

  it('is bounded at its value, suggested when misspelt, and sweepable', () => {
    const errors = (src: string) => check(src).filter((d) => d.severity === 'error');
    expect(errors(spec('epochs: 2, grad_clip: -1')).map((d) => [d.code, d.message])).toEqual([
      ['E111', 'The grad_clip of model "m" must be greater than 0, not -1.'],
    ]);
    expect(errors(spec('epochs: 2, grad_clp: 1')).map((d) => d.message)[0]).toContain('Did you mean "grad_clip"?');
    expect(errors(spec('epochs: 2', 'sweep { m.grad_clip in [0.5, 5] }'))).toEqual([]);
    expect(errors(spec('epochs: 2', 'sweep { m.grad_clip in [0, 5] }')).map((d) => d.code)).toContain('E603');
    const hashes = [0.5, 5].map((v) => trainHash(spec(`epochs: 2, grad_clip: ${v}`)));
    expect(new Set(hashes).size).toBe(2);
  });
});
