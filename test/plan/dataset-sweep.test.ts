/**
 * A sweep over a dataset setting (`buys.classes in [...]`, a csv path): each point has its own data,
 * named after the setting and loaded (and keyed) by its own content, while jobs that do not depend on
 * the swept setting are shared across points.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/index.js';
import { loadSource, planSpec } from '../../src/pipeline/index.js';
import { tempDir } from '../e2e/helpers.js';

const spec = (data: string, sweep: string) => `experiment t { seed 1 }
${data}
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 3, batch: 16 } }
target victim { model m, members d.take(60), nonmembers d.take(60) }
shadows refs { model m, count 2, pool d.rest, size 30 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs }
sweep { ${sweep} }
`;

function plan(text: string, file: string): Plan {
  const loaded = loadSource(file, text);
  const planned = planSpec(loaded, 'cpu', join(tempDir(), 'cache'));
  expect(
    [...loaded.diagnostics, ...planned.diagnostics].filter((d) => d.severity === 'error').map((d) => d.message),
  ).toEqual([]);
  return planned.value!;
}

describe('sweeps over a dataset setting', () => {
  it('gives each point its own data and shares the jobs that do not depend on the setting', () => {
    const dir = tempDir();
    const text = spec(
      'dataset d = synthetic_purchase { records: 400, features: 20, classes: 4 }',
      'd.classes in [2, 5]; shokri.per_class in [true, false]',
    );
    const p = plan(text, join(dir, 't.mia'));
    expect(p.runs.map((r) => r.target.dataset)).toEqual(['d@classes=2', 'd@classes=2', 'd@classes=5', 'd@classes=5']);
    const info = new Map(p.datasets.map((d) => [d.name, d]));
    expect(info.get('d@classes=2')!.classes).toBe(2);
    expect(info.get('d@classes=5')!.classes).toBe(5);
    expect(info.get('d@classes=2')!.context!.key).not.toBe(info.get('d@classes=5')!.context!.key);
    // One target model per class count, shared by the per_class points; the loss attack too.
    const trains = p.jobs.filter((j) => j.spec.kind === 'train' && j.spec.role === 'target');
    expect(trains).toHaveLength(2);
    expect(new Set(p.runs.map((r) => r.target.train)).size).toBe(2);
    expect(p.runs[0]!.target.train).toBe(p.runs[1]!.target.train);
    expect(p.runs[0]!.attacks[0]!.job).toBe(p.runs[1]!.attacks[0]!.job);
    expect(p.runs[0]!.attacks[1]!.job).not.toBe(p.runs[1]!.attacks[1]!.job);
  });

  it('sweeps a csv path, each file parsed by its own content key, and checks the values', () => {
    const dir = tempDir();
    const rows = (k: number) =>
      ['a,b,y', ...Array.from({ length: 200 }, (_, i) => `${(i * k) % 7},${i % 5},${i % 2}`)].join('\n');
    writeFileSync(join(dir, 'one.csv'), rows(3));
    writeFileSync(join(dir, 'two.csv'), rows(5));
    const text = spec('dataset d = csv("one.csv") { label: "y" }', 'd.path in ["one.csv", "two.csv"]');
    const p = plan(text, join(dir, 't.mia'));
    // The point that keeps the declared path keeps the name; the other is named after its path.
    expect(p.runs.map((r) => r.target.dataset)).toEqual(['d', 'd@path=two.csv']);
    const keys = p.runs.map((r) => p.datasets.find((d) => d.name === r.target.dataset)!.context!.key);
    expect(new Set(keys).size).toBe(2);
    const bad = loadSource(
      't.mia',
      spec(
        'dataset d = synthetic_purchase { records: 400, features: 20, classes: 4 }',
        'd.classes in [0, 2]; d.clases in [1]',
      ),
    );
    expect(bad.diagnostics.filter((d) => d.code.startsWith('E60')).map((d) => d.message)).toEqual([
      'A value of the sweep over "d.classes" must lie between 1 and 65536, not 0',
      '"d" has no setting "clases" a sweep can vary. Did you mean "classes"?',
    ]);
  });
});
