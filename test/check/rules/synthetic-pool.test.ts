import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { syntheticPool } from '../../../src/check/rules/synthetic-pool.js';
import { ruleErrors } from '../harness.js';
import { knownNames } from '../../../src/check/rules/known-names.js';
import { onlineNeedsHalf } from '../../../src/check/rules/online-needs-half.js';

/** syntheticPool's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(syntheticPool);

const SYN = BASE.replace(
  'shadows refs { model mlp, count 4, pool digits.rest, size 100 }',
  `dataset fake = marginals(digits.take(300)) { records: 1000 }
dataset grown = hill_climb(victim) { records: 200 }
shadows refs { model mlp, count 4, pool fake, sampling half }
shadows climb { model mlp, count 4, pool grown, size 50 }`,
);

describe('rule synthetic-pool (E311)', () => {
  it('reports online LiRA on shadows of synthesised data at its mode, without E310', () => {
    const [d] = errorsOf(`${SYN}attack l = lira { shadows: climb, mode: online, fixed_variance: true }\n`, 'E311');
    expect(d!.message).toBe(
      'The online LiRA attack "l" needs models trained with each candidate, but shadows "climb" train on the synthesised "grown", which holds no candidate.',
    );
    expect(d!.range.start).toMatchObject({ line: 13, column: 41 });
    expect(
      ruleErrors(onlineNeedsHalf)(
        `${SYN}attack l = lira { shadows: climb, mode: online, fixed_variance: true }\n`,
        'E310',
      ),
    ).toEqual([]);
  });

  it('reports a population drawn from a synthesised pool, augmentations, and synthesised target data', () => {
    const pop = errorsOf(`${SYN}attack r = rmia { shadows: refs }\n`, 'E311');
    expect(pop.map((d) => d.message)).toEqual([
      'The RMIA attack "r" draws its population from the pool of shadows "refs", the synthesised "fake"; population records must be the target\'s dataset\'s.',
    ]);
    const aug = errorsOf(`${SYN}attack o = lira { shadows: climb, augmentations: [translate(1)] }\n`, 'E311');
    expect(aug[0]!.message).toContain('queries augmented copies');
    const tgt = errorsOf(SYN.replace('nonmembers digits.take(100)', 'nonmembers fake.take(100)'), 'E311');
    expect(tgt[0]!.message).toContain('The target "victim" cannot be trained or scored on the synthesised "fake"');
  });

  it('accepts the attacks a synthesised pool can serve', () => {
    const ok = `${SYN}attack s = shadow_model { shadows: climb }
attack l = lira { shadows: climb, mode: offline, fixed_variance: true }
attack r = rmia { shadows: climb, population: digits.rest }
attack m = ml_leaks { shadows: refs }\n`;
    expect(errorsOf(ok, 'E311')).toEqual([]);
  });

  it('knows the target a hill_climb source names', () => {
    const [d] = ruleErrors(knownNames)(SYN.replace('hill_climb(victim)', 'hill_climb(victm)'), 'E202');
    expect(d!.message).toBe('Unknown target "victm". Did you mean "victim"?');
  });
});
