import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { onlineNeedsHalf } from '../../../src/check/rules/online-needs-half.js';
import { ruleErrors } from '../harness.js';

/** onlineNeedsHalf's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(onlineNeedsHalf);

describe('rule online-needs-half (E310)', () => {
  it('reports online LiRA on shadows not sampled half, at the mode', () => {
    const src = `${BASE}attack l = lira { shadows: refs, mode: online, fixed_variance: true }\n`;
    const [d] = errorsOf(src, 'E310');
    expect(d!.message).toBe(
      'The online LiRA attack "l" needs shadows sampled half, but shadows "refs" are sampled overlapping.',
    );
    expect(d!.range.start).toMatchObject({ line: 10, column: 40 });
  });

  it('accepts online LiRA on half-sampled shadows, and offline LiRA on any', () => {
    const half = BASE.replace('size 100', 'sampling half');
    expect(errorsOf(`${half}attack l = lira { shadows: refs, mode: online, fixed_variance: true }\n`, 'E310')).toEqual(
      [],
    );
    expect(errorsOf(`${BASE}attack l = lira { shadows: refs, mode: offline }\n`, 'E310')).toEqual([]);
  });

  it("refuses online on a half-sampled pool holding none of the targets' records (E312), at the mode", () => {
    const half = BASE.replace('size 100', 'sampling half');
    for (const kind of [
      'lira { shadows: refs, mode: online, fixed_variance: true }',
      'rmia { shadows: refs, mode: online }',
    ]) {
      const [d] = errorsOf(`${half}attack a = ${kind}\n`, 'E312');
      expect(d!.message).toMatch(
        /^The online (LiRA|RMIA) attack "a" needs models trained with the records it scores, but the pool of shadows "refs" \(digits\.rest\) holds none of the targets' members and non-members: online would be offline (LiRA|RMIA) under the online name\.$/,
      );
      expect(d!.range.start.line).toBe(10);
    }
    // a pool holding the targets' records, or mode offline: no E312
    const whole = half.replace('pool digits.rest', 'pool digits');
    expect(errorsOf(`${whole}attack a = rmia { shadows: refs, mode: online }\n`, 'E312')).toEqual([]);
    expect(errorsOf(`${half}attack a = rmia { shadows: refs, mode: offline }\n`, 'E312')).toEqual([]);
  });
});
