import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../src/plan/index.js';
import { BASE, check } from '../check/helpers.js';
import { compilePlan, program } from '../plan/helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

/** Each job's id, hash and spec, as the plan of `attack b = <attack>` gives them. */
const jobsOf = (attack: string) =>
  compilePlan(program(`${BASE}attack b = ${attack}\n`), datasets, 'wasm').jobs.map((j) => ({
    id: j.id,
    hash: j.hash,
    spec: j.spec,
  }));

describe('label_only { method: boundary } is the boundary_distance attack', () => {
  it.each([
    ['label_only { method: boundary }', 'boundary_distance'],
    ['label_only { method: boundary, radius: 2.5, steps: 5 }', 'boundary_distance { radius: 2.5, steps: 5 }'],
    ['label_only(method: boundary, directions: 3)', 'boundary_distance { directions: 3 }'],
    ['label_only { radius: 1, method: boundary }', 'boundary_distance(radius: 1)'],
  ])('%s plans exactly %s: the same jobs, hashes and specs', (alias, kind) => {
    const a = jobsOf(alias);
    expect(a.some((j) => j.id === 'attack/b')).toBe(true);
    expect(a).toEqual(jobsOf(kind));
  });

  it("other methods stay label_only's, and its plan differs from the boundary distance's", () => {
    const gap = jobsOf('label_only { method: gap }');
    expect(gap.find((j) => j.id === 'attack/b')!.spec).toMatchObject({ attack: { kind: 'label_only' } });
    expect(gap).not.toEqual(jobsOf('boundary_distance'));
  });

  it("a setting the boundary distance lacks is one clear error naming both kinds and the distance's settings", () => {
    const ds = check(`${BASE}attack b = label_only { method: boundary, augmentations: [rotate(3)] }\n`).filter(
      (d) => d.severity === 'error',
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe('E101');
    expect(ds[0]!.message).toBe(
      'Unknown setting "augmentations" in the label_only attack "b" (method boundary: the boundary_distance attack).',
    );
    expect(ds[0]!.hint).toContain('radius, directions, steps');
  });

  it('a bad value of a forwarded setting is reported at that setting, and an unknown method still lists the methods', () => {
    const bad = check(`${BASE}attack b = label_only { method: boundary, steps: 0 }\n`).filter(
      (d) => d.severity === 'error',
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain('steps');
    const unknown = check(`${BASE}attack b = label_only { method: boundry }\n`).filter((d) => d.severity === 'error');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toBe('Unknown method "boundry". Did you mean "boundary"?');
    expect(unknown[0]!.hint).toBe('Use one of: gap, augmentation, noise, boundary.');
  });
});
