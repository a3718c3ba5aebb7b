import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { needsProbabilities } from '../../../src/check/rules/needs-probabilities.js';
import { ruleErrors } from '../harness.js';

/** needsProbabilities's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(needsProbabilities);

describe('rule needs-probabilities (E350)', () => {
  it('reports a score-based attack against a labels_only target, at the attack kind', () => {
    const src = BASE.replace('nonmembers digits.take(100) }', 'nonmembers digits.take(100), defenses [labels_only] }');
    const [d] = errorsOf(src, 'E350');
    expect(d!.message).toBe(
      'The threshold attack "loss" needs the target\'s probabilities, but target "victim" releases labels only (the labels_only defense).',
    );
    expect(d!.range.start).toMatchObject({ line: 9, column: 15 });
  });

  it('reports it against a remote API that outputs labels, and accepts label_only attacks', () => {
    const src = BASE.replace(
      'target victim { model mlp,',
      'target victim = remote { url: "http://x", output: labels, budget: 1000,',
    ).replace(
      'attack loss = threshold { signal: loss }',
      'attack gap = label_only { method: gap }\nattack conf = threshold { signal: confidence }',
    );
    const ds = errorsOf(src, 'E350');
    expect(ds.map((d) => d.message)).toEqual([
      'The threshold attack "conf" needs the target\'s probabilities, but target "victim" releases labels only (its output is labels).',
    ]);
  });
});
