import { describe, expect, it } from 'vitest';
import type { AttackContext } from '../../src/attacks/index.js';
import { rmiaAttack } from '../../src/attacks/rmia.js';

/** Two classes, one reference model: population records 4 and 5 are in its training set. */
function context(inIdx: number[]): AttackContext {
  const n = 8;
  const logits = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) logits.set([r / n, 1 - r / n], r * 2);
  const signals = { logits, classes: 2 };
  return {
    labels: Int32Array.from({ length: n }, (_, r) => r % 2),
    classes: 2,
    target: signals,
    candidates: [0, 1, 2, 3],
    shadows: new Map([['refs', [{ signals, inIdx, outIdx: [] }]]]),
    population: [4, 5, 6, 7],
    seed: 0,
  };
}

describe('offline RMIA with few reference models', () => {
  it('leaves population records that are IN every reference model out of z instead of failing', () => {
    const scores = rmiaAttack(context([4, 5]), 'refs', { mode: 'offline', a: 0.3, gamma: 1 });
    expect(scores).toHaveLength(4);
    // z = records 6 and 7 only: every score is a fraction of 2
    for (const s of scores) expect([0, 0.5, 1]).toContain(s);
  });

  it('says what to do when no population record can serve as z', () => {
    expect(() => rmiaAttack(context([4, 5, 6, 7]), 'refs', { mode: 'offline', a: 0.3, gamma: 1 })).toThrow(
      /no usable population record.*more reference models/,
    );
  });
});
