import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo, Plan } from '../../src/plan/index.js';
import { program, compilePlan } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

interface Settings {
  seed: number;
  members: number;
  nonmembers: number;
  count: number;
  size: number;
  epochs: number;
  batch: number;
  rate: number;
  perClass: boolean;
  signal: string;
  sampling: string;
}

function source(s: Settings, sweep = ''): string {
  return `experiment t { seed ${s.seed} }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(${s.rate}), epochs: ${s.epochs}, batch: ${s.batch} } }
target victim { model m, members digits.take(${s.members}), nonmembers digits.take(${s.nonmembers}) }
shadows refs { model m, count ${s.count}, pool digits.rest, size ${s.size}, sampling ${s.sampling} }
attack loss = threshold { signal: ${s.signal} }
attack shokri = shadow_model { shadows: refs, per_class: ${s.perClass} }
${sweep}`;
}

const settings: fc.Arbitrary<Settings> = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  members: fc.integer({ min: 10, max: 300 }),
  nonmembers: fc.integer({ min: 10, max: 300 }),
  count: fc.integer({ min: 1, max: 6 }),
  size: fc.integer({ min: 5, max: 200 }),
  epochs: fc.integer({ min: 1, max: 50 }),
  batch: fc.integer({ min: 1, max: 128 }),
  rate: fc.constantFrom(0.001, 0.01, 0.1),
  perClass: fc.boolean(),
  signal: fc.constantFrom('loss', 'confidence', 'entropy'),
  sampling: fc.constantFrom('overlapping', 'disjoint'),
});

const planOf = (s: Settings, backend = 'wasm'): Plan => compilePlan(program(source(s)), datasets, backend);

function assertTopological(plan: Plan): void {
  const seen = new Set<string>();
  for (const j of plan.jobs) {
    for (const d of j.deps) expect(seen.has(d)).toBe(true); // deps first: hence no cycle
    expect(seen.has(j.id)).toBe(false);
    seen.add(j.id);
    expect(j.inputs).toHaveLength(j.deps.length);
  }
  for (const r of plan.runs) {
    expect(seen.has(r.target.query)).toBe(true);
    for (const a of r.attacks) {
      expect(seen.has(a.job)).toBe(true);
      // every attack is followed by its evaluation, which reads the attack's scores only
      const ev = plan.jobs.find((j) => j.id === a.evaluate)!;
      expect(ev.spec.kind).toBe('evaluate');
      expect(ev.deps).toEqual([a.job]);
    }
  }
}

describe('compile: plans', () => {
  it('are acyclic, topologically ordered and deterministic', () => {
    fc.assert(
      fc.property(settings, (s) => {
        const a = planOf(s),
          b = planOf(s);
        assertTopological(a);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(new Set(a.jobs.map((j) => j.hash)).size).toBe(a.jobs.length);
      }),
      { numRuns: 60 },
    );
  });

  it("change a job's hash when and only when its spec or an input's hash changes", () => {
    const keys: (keyof Settings)[] = [
      'seed',
      'members',
      'nonmembers',
      'count',
      'size',
      'epochs',
      'batch',
      'rate',
      'perClass',
      'signal',
      'sampling',
    ];
    fc.assert(
      fc.property(settings, settings, fc.constantFrom(...keys), (s, other, key) => {
        const t = { ...s, [key]: other[key] } as Settings;
        const a = planOf(s),
          b = planOf(t);
        const aById = new Map(a.jobs.map((j) => [j.id, j]));
        const bById = new Map(b.jobs.map((j) => [j.id, j]));
        for (const jb of b.jobs) {
          const ja = aById.get(jb.id);
          if (!ja) continue;
          const specSame = JSON.stringify(ja.spec) === JSON.stringify(jb.spec);
          const inputsSame =
            ja.deps.length === jb.deps.length &&
            ja.deps.every((d, i) => aById.get(d)!.hash === bById.get(jb.deps[i]!)!.hash);
          expect(ja.hash === jb.hash).toBe(specSame && inputsSame);
        }
        // and the change lands where it should
        const same = (id: string): boolean => aById.get(id)?.hash === bById.get(id)?.hash;
        if (s[key] === t[key]) expect(b.jobs.every((j) => same(j.id))).toBe(true);
        else if (key === 'signal')
          expect(b.jobs.filter((j) => !same(j.id)).map((j) => j.id)).toEqual(['attack/loss', 'evaluate/loss']);
        else if (key === 'perClass')
          expect(b.jobs.filter((j) => !same(j.id)).map((j) => j.id)).toEqual(['attack/shokri', 'evaluate/shokri']);
        else if (key === 'epochs' || key === 'batch' || key === 'rate' || key === 'seed')
          expect(b.jobs.every((j) => !same(j.id))).toBe(true);
        else if (key === 'count' || key === 'size' || key === 'sampling') {
          expect(same('train/target/victim')).toBe(true);
          expect(same('attack/loss')).toBe(true);
          expect(same('evaluate/loss')).toBe(true);
          expect(same('attack/shokri')).toBe(false);
          expect(same('evaluate/shokri')).toBe(false);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('change every hash with the backend', () => {
    const s: Settings = {
      seed: 1,
      members: 50,
      nonmembers: 50,
      count: 2,
      size: 20,
      epochs: 2,
      batch: 8,
      rate: 0.01,
      perClass: false,
      signal: 'loss',
      sampling: 'overlapping',
    };
    const a = planOf(s, 'wasm'),
      b = planOf(s, 'cpu');
    for (const [i, j] of a.jobs.entries()) expect(j.hash).not.toBe(b.jobs[i]!.hash);
  });

  it('give shadow models seeds from their identity: adding a ninth leaves the first eight and their hashes untouched', () => {
    const base: Settings = {
      seed: 7,
      members: 100,
      nonmembers: 100,
      count: 8,
      size: 50,
      epochs: 3,
      batch: 16,
      rate: 0.01,
      perClass: true,
      signal: 'loss',
      sampling: 'overlapping',
    };
    for (const sampling of ['overlapping', 'disjoint']) {
      const eight = planOf({ ...base, sampling }),
        nine = planOf({ ...base, sampling, count: 9 });
      const e = new Map(eight.jobs.map((j) => [j.id, j]));
      for (let i = 0; i < 8; i++) {
        for (const kind of ['train', 'query']) {
          const id = `${kind}/shadow/refs/${i}`;
          expect(nine.jobs.find((j) => j.id === id)!.hash).toBe(e.get(id)!.hash);
        }
      }
      const seeds = nine.jobs.flatMap((j) => (j.spec.kind === 'train' ? [j.spec.seed] : []));
      expect(new Set(seeds).size).toBe(seeds.length);
      expect(nine.jobs.some((j) => j.id === 'train/shadow/refs/8')).toBe(true);
      expect(nine.jobs.find((j) => j.id === 'attack/shokri')!.hash).not.toBe(e.get('attack/shokri')!.hash);
    }
  });

  it('compile the quickstart to its 26 jobs: 9 models trained and queried, 4 attacks, each evaluated', () => {
    const p = compilePlan(program(readFileSync(join(root, 'experiments', 'quickstart.mia'), 'utf8')), datasets, 'wasm');
    expect(p.jobs.filter((j) => j.spec.kind === 'train')).toHaveLength(9);
    expect(p.jobs.filter((j) => j.spec.kind === 'query')).toHaveLength(9);
    expect(p.jobs).toHaveLength(26);
    expect(p.jobs.filter((j) => j.spec.kind === 'attack').map((j) => j.id)).toEqual([
      'attack/loss',
      'attack/shokri',
      'attack/lira',
      'attack/rmia',
    ]);
    expect(p.jobs.filter((j) => j.spec.kind === 'evaluate').map((j) => j.id)).toEqual([
      'evaluate/loss',
      'evaluate/shokri',
      'evaluate/lira',
      'evaluate/rmia',
    ]);
    expect(p.runs).toHaveLength(1);
    expect(p.runs[0]!.params).toEqual({});
    expect(p.runs[0]!.attacks.map((a) => [a.job, a.evaluate])).toEqual(
      ['loss', 'shokri', 'lira', 'rmia'].map((n) => [`attack/${n}`, `evaluate/${n}`]),
    );
    // each evaluation scores the target's 1,000 members then its 1,000 non-members, at the report's FPR levels
    for (const j of p.jobs) {
      if (j.spec.kind !== 'evaluate') continue;
      expect(j.spec.candidates).toEqual([...p.runs[0]!.target.members, ...p.runs[0]!.target.nonmembers]);
      expect(j.spec.members).toBe(1000);
      expect(j.spec.fprLevels).toEqual([0.001, 0.01, 0.1]);
    }
  });

  it("change only the evaluate jobs when only the report's metrics change: a warm rerun recomputes the metrics alone", () => {
    const quickstart = readFileSync(join(root, 'experiments', 'quickstart.mia'), 'utf8');
    const line = 'report { metrics [auc, tpr@0.1%, tpr@1%, tpr@10%, balanced_accuracy, advantage] }';
    expect(quickstart).toContain(line);
    const a = compilePlan(program(quickstart), datasets, 'wasm');
    const b = compilePlan(
      program(
        quickstart.replace(
          line,
          'report { metrics [auc, tpr@0.1%, tpr@1%, tpr@5%, tpr@10%, balanced_accuracy, advantage] }',
        ),
      ),
      datasets,
      'wasm',
    );
    expect(b.jobs.map((j) => j.id)).toEqual(a.jobs.map((j) => j.id));
    const before = new Map(a.jobs.map((j) => [j.id, j]));
    const evaluates = b.jobs.filter((j) => j.spec.kind === 'evaluate');
    expect(evaluates).toHaveLength(4);
    for (const j of b.jobs) {
      const old = before.get(j.id)!;
      if (j.spec.kind === 'evaluate') {
        expect(j.hash).not.toBe(old.hash);
        expect(j.spec.fprLevels).toEqual([0.001, 0.01, 0.05, 0.1]);
        expect(j.deps).toEqual(old.deps);
      } else {
        expect(j.hash).toBe(old.hash);
        expect(JSON.stringify(j.spec)).toBe(JSON.stringify(old.spec));
      }
    }
  });
});

describe('compile: sweeps', () => {
  const base: Settings = {
    seed: 7,
    members: 100,
    nonmembers: 100,
    count: 2,
    size: 50,
    epochs: 3,
    batch: 16,
    rate: 0.01,
    perClass: true,
    signal: 'loss',
    sampling: 'overlapping',
  };

  it('expand into one plan where grid points share jobs: a sweep over attack settings trains the shadows once', () => {
    const p = compilePlan(
      program(source(base, 'sweep { loss.signal in [loss, confidence, entropy]; shokri.per_class in [true, false] }')),
      datasets,
      'wasm',
    );
    assertTopological(p);
    expect(p.runs.map((r) => r.params)).toEqual([
      { 'loss.signal': 'loss', 'shokri.per_class': 'true' },
      { 'loss.signal': 'loss', 'shokri.per_class': 'false' },
      { 'loss.signal': 'confidence', 'shokri.per_class': 'true' },
      { 'loss.signal': 'confidence', 'shokri.per_class': 'false' },
      { 'loss.signal': 'entropy', 'shokri.per_class': 'true' },
      { 'loss.signal': 'entropy', 'shokri.per_class': 'false' },
    ]);
    expect(p.jobs.filter((j) => j.spec.kind === 'train')).toHaveLength(3);
    expect(p.jobs.filter((j) => j.spec.kind === 'attack')).toHaveLength(5); // 3 loss + 2 shokri
    expect(new Set(p.jobs.map((j) => j.id)).size).toBe(p.jobs.length);
    const single = compilePlan(program(source({ ...base, signal: 'confidence', perClass: false })), datasets, 'wasm');
    const run = p.runs[3]!;
    const hashOf = (plan: Plan, id: string): string => plan.jobs.find((j) => j.id === id)!.hash;
    expect(hashOf(p, run.attacks[0]!.job)).toBe(hashOf(single, 'attack/loss'));
    expect(hashOf(p, run.attacks[1]!.job)).toBe(hashOf(single, 'attack/shokri'));
    expect(p.jobs.filter((j) => j.spec.kind === 'evaluate')).toHaveLength(5); // one per distinct attack job
    expect(hashOf(p, run.attacks[0]!.evaluate)).toBe(hashOf(single, 'evaluate/loss'));
    expect(hashOf(p, run.attacks[1]!.evaluate)).toBe(hashOf(single, 'evaluate/shokri'));
  });

  it('share the first shadows between points of a sweep over their count', () => {
    const p = compilePlan(program(source(base, 'sweep { refs.count in [1, 2, 4] }')), datasets, 'wasm');
    assertTopological(p);
    expect(p.jobs.filter((j) => j.spec.kind === 'train')).toHaveLength(5); // target + 4 shadows
    expect(p.jobs.filter((j) => j.spec.kind === 'attack')).toHaveLength(4); // one loss, three shokri
    expect(p.runs.map((r) => r.params)).toEqual([{ 'refs.count': 1 }, { 'refs.count': 2 }, { 'refs.count': 4 }]);
  });

  it('tell apart jobs whose settings differ between points, and apply model, target and seed settings', () => {
    const p = compilePlan(
      program(source(base, 'sweep { m.epochs in [1, 2]; victim.members.size in [40, 60] }')),
      datasets,
      'wasm',
    );
    assertTopological(p);
    const targets = p.jobs.filter((j) => j.spec.kind === 'train' && j.spec.role === 'target');
    expect(targets).toHaveLength(4);
    expect(targets.every((j) => /^train\/target\/victim@[0-9a-f]{8}$/.test(j.id))).toBe(true);
    expect(p.runs.map((r) => r.target.members.length)).toEqual([40, 60, 40, 60]);
    const epochs = targets.map((j) => (j.spec.kind === 'train' ? j.spec.model.train.epochs : 0));
    expect(epochs).toEqual([1, 1, 2, 2]);
    const seeds = compilePlan(program(source(base, 'sweep { experiment.seed in [1, 2] }')), datasets, 'wasm');
    expect(seeds.runs.map((r) => r.seed)).toEqual([1, 2]);
    expect(seeds.jobs).toHaveLength(2 * planOf(base).jobs.length);
  });
});
