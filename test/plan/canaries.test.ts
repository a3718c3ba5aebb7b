import { describe, expect, it } from 'vitest';
import type { AttackJobSpec, DatasetInfo, EvaluateSpec, Plan, TrainSpec } from '../../src/plan/index.js';
import { relabelled } from '../../src/run/jobs.js';
import { dpSgdEpsilon } from '../../src/defenses/accountant/rdp.js';
import { program, compilePlan } from './helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

const src = (
  seed: number,
  canaries: string,
  audit = 'audit { attacks [loss] }',
): string => `experiment t { seed ${seed} }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 1, batch: 32 } }
target victim { model m, members digits.take(100), nonmembers digits.take(100), canaries ${canaries} }
attack loss = threshold { signal: loss }
attack conf = threshold { signal: confidence }
report { ${audit} }`;

const plan = (s: string): Plan => compilePlan(program(s), datasets, 'cpu');
const spec = <T>(p: Plan, id: string): T => p.jobs.find((j) => j.id === id)!.spec as T;

describe('the canary inclusion draw', () => {
  it('puts about half the canaries in, seeded and deterministic', () => {
    const a = plan(src(5, 'digits.take(1000)'));
    const c = a.runs[0]!.target.canaries!;
    expect(c.in.length + c.out.length).toBe(1000);
    expect(c.in.length).toBeGreaterThan(430); // 1000 fair coins: 500 ± 4.3 standard deviations
    expect(c.in.length).toBeLessThan(570);
    expect(new Set([...c.in, ...c.out]).size).toBe(1000);
    expect(plan(src(5, 'digits.take(1000)')).runs[0]!.target.canaries).toEqual(c);
    expect(plan(src(6, 'digits.take(1000)')).runs[0]!.target.canaries!.in).not.toEqual(c.in);
  });

  it('trains on the IN canaries (repeat times) and never on the OUT ones, beside the members', () => {
    const p = plan(src(1, 'digits.take(300) { repeat: 3 }'));
    const t = p.runs[0]!.target;
    const c = t.canaries!;
    const train = spec<TrainSpec>(p, 'train/target/victim');
    expect(train.trainIdx.slice(0, 100)).toEqual(t.members);
    const rest = train.trainIdx.slice(100);
    expect(rest.length).toBe(3 * c.in.length);
    for (const r of c.in) expect(rest.filter((x) => x === r).length).toBe(3);
    expect(c.out.some((r) => train.trainIdx.includes(r))).toBe(false);
    expect([...c.in, ...c.out].some((r) => t.members.includes(r) || t.nonmembers.includes(r))).toBe(false);
    expect(train.relabel).toBeUndefined();
  });

  it('scores canaries as extra candidates; the evaluate job keeps members and non-members only', () => {
    const p = plan(src(2, 'digits.take(200)'));
    const t = p.runs[0]!.target;
    const c = t.canaries!;
    for (const a of ['loss', 'conf']) {
      const att = spec<AttackJobSpec>(p, `attack/${a}`);
      expect(att.candidates).toEqual([...t.members, ...t.nonmembers, ...c.in, ...c.out]);
      const ev = spec<EvaluateSpec>(p, `evaluate/${a}`);
      expect(ev.candidates).toEqual([...t.members, ...t.nonmembers]);
      expect(ev.audit !== undefined).toBe(a === 'loss'); // the audit names loss only
    }
    expect(spec<EvaluateSpec>(p, 'evaluate/loss').audit).toMatchObject({ in: c.in.length, out: c.out.length });
    expect(p.runs[0]!.audit).toMatchObject({
      attacks: ['loss'],
      confidence: 0.95,
      delta: 1e-5,
      threshold: 'bonferroni',
    });
  });

  it('gives mislabelled canaries a seeded wrong label, the same in training and in the attacks', () => {
    const p = plan(src(3, 'digits.take(400) { mislabel: true }'));
    const c = p.runs[0]!.target.canaries!;
    const train = spec<TrainSpec>(p, 'train/target/victim');
    const rl = train.relabel!;
    expect(rl.record).toEqual([...c.in, ...c.out]);
    expect(rl.shift.every((s) => Number.isInteger(s) && s >= 1 && s <= 9)).toBe(true);
    expect(new Set(rl.shift).size).toBe(9); // every wrong label is drawn
    expect(spec<AttackJobSpec>(p, 'attack/loss').relabel).toEqual(rl);
    // applied to a dataset: every canary's label changes, no other record's does
    const y = Int32Array.from({ length: 10000 }, (_, i) => i % 10);
    const ds = {
      name: 'digits',
      x: new Float32Array(0),
      y,
      n: 10000,
      shape: [1],
      classes: 10,
      kind: 'tabular' as const,
    };
    const out = relabelled(ds, rl).y;
    const changed = new Set(rl.record);
    for (let i = 0; i < 10000; i++) expect(out[i] !== y[i]).toBe(changed.has(i));
    expect(ds.y).toBe(y); // the dataset itself is untouched
  });

  it('changes nothing in a plan without canaries', () => {
    const base = src(4, 'digits.take(10)')
      .replace(', canaries digits.take(10)', '')
      .replace('report { audit { attacks [loss] } }', '');
    const p = plan(base);
    expect(p.runs[0]!.target.canaries).toBeUndefined();
    expect(p.runs[0]!.audit).toBeUndefined();
    expect(spec<AttackJobSpec>(p, 'attack/loss').candidates.length).toBe(200);
    expect('relabel' in spec<TrainSpec>(p, 'train/target/victim')).toBe(false);
  });
});

describe('canaries and the accountant', () => {
  it('counts the IN canaries (with repeats) in the training set whose ε a dp_sgd target claims', () => {
    const s = src(5, 'digits.take(400) { repeat: 2 }').replace(
      'canaries digits.take(400) { repeat: 2 } }',
      'canaries digits.take(400) { repeat: 2 }, defenses [dp_sgd { noise: 1.1, clip: 1 }] }',
    );
    const p = plan(s);
    const t = p.runs[0]!.target;
    const n = 100 + 2 * t.canaries!.in.length; // members and each IN canary twice
    expect(t.privacy!.epsilon).toBe(
      dpSgdEpsilon({ datasetSize: n, batchSize: 32, epochs: 1, delta: 1e-5, noise: 1.1 }).epsilon,
    );
    expect(spec<TrainSpec>(p, 'train/target/victim').trainIdx).toHaveLength(n);
  });
});
