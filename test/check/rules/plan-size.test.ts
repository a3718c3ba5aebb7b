/**
 * E119: the plan's size from the program, before any work: sweep points, jobs, a model's training set
 * (canary copies included), record passes of all training, augmented queries. Each refusal names the
 * quantity, how it is made, the limit, and sits at the setting to lower.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/kinds/size-limits.js';
import { planSize } from '../../../src/check/plan-measure.js';
import { BASE } from '../helpers.js';
import { planSizeRule } from '../../../src/check/rules/plan-size.js';
import { ruleErrors } from '../harness.js';

/** planSizeRule's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(planSizeRule);

const list = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => i + from).join(', ');
const lineOf = (src: string, text: string): number => src.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('rule plan-size (E119)', () => {
  it('ordinary plans pass, the quickstart-sized ones included', () => {
    expect(errorsOf(BASE, 'E119')).toEqual([]);
    expect(errorsOf(`${BASE}sweep { refs.count in [1, 2, 4, 8]; mlp.epochs in [1, 2, 3] }\n`, 'E119')).toEqual([]);
  });

  it('a grid past the limit on points is refused at its widest axis, whatever the axes', () => {
    for (const sweep of [
      `experiment.seed in [${list(1000)}]; mlp.epochs in [${list(999)}]`,
      `experiment.seed in [${list(101)}]; mlp.epochs in [${list(10)}]; refs.count in [${list(10)}]`,
    ]) {
      const src = `${BASE}sweep { ${sweep} }\n`;
      const [d, ...more] = errorsOf(src, 'E119');
      expect(more).toEqual([]);
      expect(d!.message).toMatch(/^The sweep has [\d,× ]+ = [\d,]+ points, over the limit of 10,000\.$/);
      expect(d!.range.start.line).toBe(lineOf(src, 'sweep'));
    }
  });

  it('jobs over every point: shadow count × sweep points, with the counts the sweep sets', () => {
    const src = `${BASE.replace('count 4', 'count 4000')}sweep { experiment.seed in [${list(20)}] }\n`;
    const [d] = errorsOf(src, 'E119');
    expect(d!.message).toMatch(
      /^The plan has about 160,[\d,]+ jobs \(20 sweep points, up to 8,0\d\d jobs a point\), over the limit of 100,000\.$/,
    );
    expect(d!.hint).toContain('the count of shadows "refs"');
    expect(d!.range.start).toMatchObject({ line: lineOf(src, 'shadows refs') });
    // The declared count is 4; the sweep sets 4,000 and 4,096 at 40 points.
    const swept = `${BASE}sweep { refs.count in [4000, 4096]; experiment.seed in [${list(20)}] }\n`;
    const [s] = errorsOf(swept, 'E119');
    expect(s!.message).toMatch(/^The plan has about 32\d,[\d,]+ jobs \(40 sweep points, up to 8,196 jobs a point\)/);
    expect(errorsOf(`${BASE}sweep { refs.count in [4000, 4096] }\n`, 'E119')).toEqual([]);
  });

  it('canaries repeated past the training-set limit, at the repeat (the 4.4 GB case)', () => {
    for (const [n, repeat] of [
      [100, 1_000_000],
      [1000, 2001],
    ] as const) {
      const src = BASE.replace(
        'nonmembers digits.take(100) }',
        `nonmembers digits.take(100), canaries digits.take(${n}) { repeat: ${repeat} } }`,
      );
      const [d] = errorsOf(src, 'E119');
      expect(d!.message).toBe(
        `Each model of target "victim" trains on ${(100 + n * repeat).toLocaleString('en-US')} records (its canaries repeated), over the limit of 2,000,000.`,
      );
      expect(src.split('\n')[d!.range.start.line - 1]!.slice(d!.range.start.column - 1)).toMatch(
        new RegExp(`^${repeat} }`),
      );
    }
  });

  it('record passes of all training: epochs × shadows × size × sweep', () => {
    const src = BASE.replace('count 4', 'count 4000')
      .replace('size 100', 'size 5000')
      .replace('epochs: 2', 'epochs: 1000');
    const [d] = errorsOf(src, 'E119').filter((x) => x.message.startsWith('Training'));
    expect(d!.message).toBe(
      'Training passes over 20,000,100,000 records in all (shadows "refs": 4,000 × 5,000 records × 1,000 epochs), over the limit of 10,000,000,000.',
    );
  });

  it('augmentations past the queries of a record (translate(1000000) never ended) or in all', () => {
    for (const augs of ['translate(1000000)', 'translate(2501)', 'rotate(3), noise(0.1, 9000), translate(300)']) {
      const [d] = errorsOf(
        `${BASE}attack aug = label_only { method: augmentation, augmentations: [${augs}] }\n`,
        'E119',
      );
      expect(d!.message).toMatch(
        /^The augmentations of label_only "aug" query [\d,]+ copies of each record \(\w+: [\d,]+\), over the limit of 10,000\.$/,
      );
    }
    // In all: the copies of each record × the target's records × the target and the shadow models queried.
    const lira = 'attack l = lira { shadows: refs, mode: offline, augmentations: [noise(0.1, 5000)] }';
    const src = `${BASE.replace(/take\(100\)/g, 'take(1000)').replace('count 4', 'count 9')}${lira}\n`;
    const [all] = errorsOf(src, 'E119');
    expect(all!.message).toBe(
      'The augmentations of lira "l" make 5,001 copies × 2,000 records × 10 models = 100,020,000 queries, over the limit of 100,000,000.',
    );
    expect(errorsOf(src.replace('5000', '4999'), 'E119')).toEqual([]);
  });

  it('a shadow size or a population past its limit is refused at that setting', () => {
    const src = `${BASE.replace('size 100', 'size 1e13')}attack p = population { population: digits.sample(1e12) }\n`;
    const es = errorsOf(src, 'E119');
    const at = (d: (typeof es)[number]) => src.split('\n')[d.range.start.line - 1]!.slice(d.range.start.column - 1);
    const size = es.find((d) => d.message.startsWith('Each model of shadows "refs" trains on 10,000,000,000,000'));
    expect(at(size!)).toMatch(/^1e13/);
    const pop = es.find((d) => d.message.startsWith('The population of population "p" has 1,000,000,000,000 records'));
    expect(at(pop!)).toMatch(/^digits\.sample/);
  });

  it('the plan size is computed from the program alone', () => {
    const size = planSize({
      datasets: [],
      models: [],
      targets: [],
      shadows: [],
      attacks: [],
      sweep: [{ path: ['experiment', 'seed'], values: [1, 2, 3], file: '', range: undefined as never }],
    });
    expect(size.points).toBe(3);
    expect(LIMITS.sweepPoints).toBeGreaterThan(256);
  });
});
