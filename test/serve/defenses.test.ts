/**
 * `--defense` arguments read as a spec's defenses: the checker's codes and messages, one line per problem
 * naming the argument; only output defenses with a release transform, composed in the order given.
 */
import { describe, expect, it } from 'vitest';
import { servedRelease } from '../../src/cli/serve/defenses.js';

const refusal = (args: string[], classes = 4): string => {
  try {
    servedRelease(args, classes);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('--defense', () => {
  it('composes output defenses in the order given, as a target with those defenses', () => {
    expect(servedRelease([], 4).release).toEqual({ kind: 'probabilities' });
    const r = servedRelease(['top_k(2)', 'rounding { decimals: 1 }'], 4).release;
    expect(r).toMatchObject({ kind: 'transformed', form: 'top_k' });
    expect(r.kind === 'transformed' && r.steps).toEqual([
      { kind: 'top_k', settings: { k: 2 } },
      { kind: 'rounding', settings: { decimals: 1 } },
    ]);
    expect(servedRelease(['labels_only'], 3).release).toMatchObject({ form: 'labels' });
  });

  it('gives the checker’s codes and messages, naming the argument', () => {
    expect(refusal(['top_k(9)'])).toContain('--defense "top_k(9)": error[E164]');
    expect(refusal(['top_k(0)'])).toMatch(/--defense "top_k\(0\)": error\[E111\]/);
    expect(refusal(['rounding(16)'])).toMatch(/--defense "rounding\(16\)": error\[E1\d\d\]/);
    expect(refusal(['labels_only', 'top_k(2)'])).toContain('--defense "top_k(2)": error[E165]');
    expect(refusal(['top_kk(2)'])).toMatch(/--defense "top_kk\(2\)": error\[E\d+\]: .*"top_k"/);
    expect(servedRelease(['labels_only', 'labels_only'], 4).warnings[0]).toContain('warning[W165]');
  });

  it('refuses training defenses, MemGuard, and text that is not one defense', () => {
    expect(refusal(['dp_sgd { noise: 1, clip: 1 }'])).toContain('it changes how a model trains');
    expect(refusal(['memguard'])).toContain('in a job of its own');
    expect(refusal(['top_k(2)] }\nattack x = threshold {}'])).toContain('one defense on one line');
    expect(refusal(['top_k(2), rounding(1)'])).toContain('one defense per --defense');
    expect(servedRelease(['top_k(2) // a comment ]'], 4).release).toMatchObject({ form: 'top_k' });
    for (const m of [refusal(['top_k(\u001b[2J3)'])]) expect(m).not.toContain('\u001b');
  });
});
