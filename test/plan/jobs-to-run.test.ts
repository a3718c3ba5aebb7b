import { describe, expect, it } from 'vitest';
import { jobsToRun, planToJson, planToText, type DatasetInfo } from '../../src/plan/index.js';
import { program, compilePlan } from './helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];
const plan = compilePlan(
  program(`experiment t { seed 1 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { epochs: 1 } }
target victim { model m, members digits.take(50), nonmembers digits.take(50) }
shadows refs { model m, count 2, pool digits.rest, size 50 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs }
`),
  datasets,
  'wasm',
);
const hashOf = (id: string): string => plan.jobs.find((j) => j.id === id)!.hash;

describe('what a run would compute (mia plan)', () => {
  it('walks back from the results: a lost input whose readers are cached is not needed', () => {
    const lost = new Set([hashOf('query/shadow/refs/0'), hashOf('attack/shokri')]);
    const cached = (h: string): boolean => !lost.has(h);
    expect(jobsToRun(plan, cached)).toEqual(new Set());
    const json = planToJson(plan, cached);
    expect(json.summary).toEqual({ jobs: plan.jobs.length, cached: plan.jobs.length - 2, toRun: 0, notNeeded: 2 });
    expect(planToText(plan, cached)).toContain('0 to run, 2 not needed (what reads them is cached)');
  });

  it('recomputes the path to a lost result, from the cached outputs it can start from', () => {
    const lost = new Set([hashOf('query/shadow/refs/0'), hashOf('attack/shokri'), hashOf('evaluate/shokri')]);
    expect(jobsToRun(plan, (h) => !lost.has(h))).toEqual(
      new Set(['query/shadow/refs/0', 'attack/shokri', 'evaluate/shokri']),
    );
    expect(jobsToRun(plan, () => false).size).toBe(plan.jobs.length);
  });
});
